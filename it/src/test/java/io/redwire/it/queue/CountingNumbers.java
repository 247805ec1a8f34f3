package io.redwire.it.queue;

import io.redwire.runtime.Redwire;
import java.nio.charset.StandardCharsets;

/**
 * Runs a {@code record(n)} job: counts the run in Redis ({@code <ns>:test:runs}, a hash of n to runs),
 * remembers which worker ran it ({@code <ns>:test:by:<worker>}), then works for a millisecond: a
 * worker killed in that millisecond has run the job's effect but not acknowledged it.
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
    byte[] field = Integer.toString(n).getBytes(StandardCharsets.UTF_8);
    redwire.client().hincrBy(runs, field, 1);
    redwire.client().sadd(by, field);
    try {
      Thread.sleep(1); // the work after the effect
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
