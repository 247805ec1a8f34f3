package io.redwire.runtime.events;

import io.redwire.runtime.codec.Input;
import io.redwire.runtime.codec.Output;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How an event travels: its id, its publish time (epoch ms) and its data (the payload with the value
 * header, so the type's fingerprint comes first). In a stream: the fields {@code id}, {@code at} and
 * {@code data}. On pub/sub: one message, the same three written with {@link Output}.
 */
final class Envelope {

  static final String ID = "id";
  static final String AT = "at";
  static final String DATA = "data";

  record Parsed(String id, long at, byte[] data) {}

  private Envelope() {}

  static Map<byte[], byte[]> fields(String id, long at, byte[] data) {
    Map<byte[], byte[]> fields = new LinkedHashMap<>();
    fields.put(utf8(ID), utf8(id));
    fields.put(utf8(AT), utf8(Long.toString(at)));
    fields.put(utf8(DATA), data);
    return fields;
  }

  static byte[] message(String id, long at, byte[] data) {
    Output out = new Output(data.length + 64);
    out.writeString(id);
    out.writeLong(at);
    out.writeBytes(data);
    return out.toByteArray();
  }

  /** @throws io.redwire.runtime.codec.CodecException when the message is not an envelope */
  static Parsed parse(byte[] message) {
    Input in = new Input(message);
    String id = in.readString();
    long at = in.readLong();
    byte[] data = in.readBytes();
    in.expectEnd();
    return new Parsed(id, at, data);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
