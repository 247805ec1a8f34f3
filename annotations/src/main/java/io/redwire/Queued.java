package io.redwire;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a {@code void} method of an interface a background job: calls through the generated client
 * enqueue the job and return at once, and workers run the real implementation's method.
 *
 * <pre>{@code
 * public interface Mailer {
 *   @Queued(queue = "mail", maxAttempts = 5, backoff = "1s")
 *   void confirmation(String orderId, @Delay Duration after);
 * }
 * Mailer mail = RedwireMailer.client(redwire);                  // enqueues, returns at once
 * Worker worker = RedwireMailer.work(smtpMailer, redwire, 4);   // 4 concurrent jobs; AutoCloseable
 * QueueAdmin<Mailer> admin = RedwireMailer.admin(redwire);      // counts, dead jobs, retry, purge
 * }</pre>
 *
 * <p>Jobs are delivered at least once: a job is removed only after its method returned; a worker that
 * dies with a job running loses its lease and another worker runs the job again; a job that throws is
 * retried after {@link #backoff()} (doubled each time, plus jitter) until {@link #maxAttempts()}
 * attempts, then kept as a dead job with its last error. A parameter marked {@link Delay} or {@link At}
 * delays the job.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Queued {

  /** The queue (a Redis stream); default {@code <Interface>.<method>}. Methods of one interface may share one. */
  String queue() default "";

  /** Attempts before the job is dead (kept, with its last error, for the admin API); at least 1. */
  int maxAttempts() default 5;

  /**
   * The wait before the second attempt; each further attempt waits twice as long (at most 64 times
   * this), plus up to 25 % random jitter.
   */
  String backoff() default "1s";

  /**
   * How long one attempt may run: after it the worker thread is interrupted and the attempt counts as
   * failed (retried). Empty: no limit.
   */
  String timeout() default "";

  /**
   * A key template over the parameters ({@code "{orderId}"}): while a job with the same key is waiting,
   * delayed or running, another enqueue is dropped (and counted). Empty: every enqueue adds a job.
   */
  String unique() default "";
}
