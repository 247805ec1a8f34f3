package io.redwire.processor.model;

import java.util.List;

/**
 * One {@code @Queued} method: a job of its queue.
 *
 * @param queue the queue, defaulting to {@code <Interface>.<method>}
 * @param backoffMillis -1 when malformed (reported); likewise {@code timeoutMillis}, which is 0 when
 *     not set (no limit)
 * @param unique the unique key template, or null when the job is not unique (or the template did not
 *     parse: reported)
 * @param delay the {@code @Delay} parameter, or null; {@code at}: the {@code @At} parameter, or null
 * @param args how each parameter is encoded, in order (an {@link ValueType.Unsupported} is reported)
 */
public record QueueSpec(
    Origin origin,
    String queue,
    int maxAttempts,
    long backoffMillis,
    long timeoutMillis,
    KeyTemplate unique,
    Param delay,
    Param at,
    List<ValueType> args) {

  /**
   * The fingerprint of the job's arguments: over the method's name and every parameter's shape, so a
   * job enqueued by a build whose method took other arguments is never misread (it is dead, with the
   * reason).
   */
  public long fingerprint(String method) {
    StringBuilder shape = new StringBuilder("job:").append(method).append('(');
    for (int i = 0; i < args.size(); i++) {
      if (i > 0) {
        shape.append(',');
      }
      shape.append(args.get(i).shape());
    }
    return ValueType.fnv1a64(shape.append(')'));
  }
}
