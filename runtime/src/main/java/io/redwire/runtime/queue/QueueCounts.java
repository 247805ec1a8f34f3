package io.redwire.runtime.queue;

/**
 * How many jobs a queue holds, read in one round trip.
 *
 * @param waiting in the queue, not yet taken by a worker
 * @param delayed not yet due
 * @param running taken by a worker and not finished: running, or waiting to be retried
 * @param dead failed {@code maxAttempts} times or undecodable, kept for the admin API
 */
public record QueueCounts(long waiting, long delayed, long running, long dead) {}
