package io.redwire.it.queue;

import io.redwire.runtime.Redwire;
import java.nio.charset.StandardCharsets;

/**
 * Runs a {@code record(n)} job: works for a millisecond, counts the run in Redis ({@code <ns>:test:runs},
 * a hash of n to runs) and remembers which worker ran it ({@code <ns>:test:by:<worker>}), then works for
 * another millisecond. A worker killed in the first millisecond has not applied the job's effect (the
 * job must run again elsewhere, or it is lost); one killed in the second has applied it but not
 * acknowledged the job (it runs twice).
 */
final class CountingNumbers implements Numbers {

  private final Redwire redwire;
  private final byte[] runs;
  private final byte[] by;

  CountingNumbers(Redwire redwire, String worker) {
    this.redwire = redwire;
    this.runs = (redwire.namespace() + ":test:runs").getBytes(StandardCharsets.UTF_8);
    this.by = (redwire.namespace() + ":test:by:" + worker).getBytes(StandardCharsets.UTF_8);
  }

  static byte[] runsKey(String namespace) {
    return (namespace + ":test:runs").getBytes(StandardCharsets.UTF_8);
  }

  static byte[] byKey(String namespace, String worker) {
    return (namespace + ":test:by:" + worker).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void record(int n) {
    work();
    byte[] field = Integer.toString(n).getBytes(StandardCharsets.UTF_8);
    redwire.client().sadd(by, field); // first: a kill between the two leaves no run without its worker
    redwire.client().hincrBy(runs, field, 1);
    work();
  }

  private static void work() {
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
