package io.redwire.runtime.queue;

import io.redwire.runtime.codec.Input;

/** Decodes a job's data by the job's name (the method name). Generated, one per interface. */
public interface JobCodec {

  /**
   * Reads the job's arguments from {@code in} (positioned at the value header).
   *
   * @return the job, or null when this interface has no job of that name
   * @throws io.redwire.runtime.codec.CodecException when the data cannot be decoded (another shape,
   *     damaged bytes)
   */
  Job decode(String job, Input in);
}
