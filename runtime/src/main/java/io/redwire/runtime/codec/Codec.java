package io.redwire.runtime.codec;

/**
 * Writes values of one type to an {@link Output} and reads them back from an {@link Input}.
 *
 * <p>Implementations are stateless and thread-safe. The annotation processor generates codecs for
 * records and sealed interfaces by composing the ones in {@link Codecs}; users can supply their own
 * through {@code @UseCodec}.
 *
 * @param <T> the type of value handled
 */
public interface Codec<T> {

    /**
     * Writes {@code value} to {@code out}.
     *
     * @param out the destination
     * @param value the value, never {@code null} (wrap with {@link Codecs#nullable(Codec)} for that)
     */
    void write(Output out, T value);

    /**
     * Reads one value from {@code in}.
     *
     * @param in the source, positioned at the start of a value written by {@link #write}
     * @return the value
     * @throws CodecException if the input is malformed or truncated; never any other exception
     */
    T read(Input in);
}
