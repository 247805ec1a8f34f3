package io.redwire.runtime.queue;

import java.time.Instant;
import java.util.List;

/**
 * A dead job, with its arguments decoded.
 *
 * @param id its id in the dead jobs, for {@link QueueAdmin#retry} and {@link QueueAdmin#purge}
 * @param jobId the job's own id (the same across retries)
 * @param job the method's name
 * @param args the arguments in parameter order, or null when they cannot be decoded (then {@code
 *     error} says why)
 * @param error the last error (its text and causes)
 * @param attempts how many attempts were made
 * @param deadAt when it died
 */
public record DeadJob(String id, String jobId, String job, List<Object> args, String error, int attempts,
    Instant deadAt) {}
