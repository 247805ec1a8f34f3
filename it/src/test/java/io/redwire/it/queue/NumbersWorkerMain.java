package io.redwire.it.queue;

import io.redwire.runtime.Redwire;
import io.redwire.runtime.queue.WorkOptions;
import java.time.Duration;

/**
 * A worker process for {@link QueueKillTest}: works the {@code numbers} queue with {@link CountingNumbers}
 * until it is killed. Arguments: redis URI, namespace, consumer name, concurrency, lease in ms.
 */
public final class NumbersWorkerMain {

  private NumbersWorkerMain() {}

  public static void main(String[] args) throws InterruptedException {
    String uri = args[0];
    String namespace = args[1];
    String consumer = args[2];
    int concurrency = Integer.parseInt(args[3]);
    long lease = Long.parseLong(args[4]);
    Redwire redwire = Redwire.builder().uri(uri).namespace(namespace).build();
    RedwireNumbers.work(new CountingNumbers(redwire, consumer), redwire,
        WorkOptions.concurrency(concurrency).lease(Duration.ofMillis(lease)).consumer(consumer));
    System.out.println("worker " + consumer + " started");
    System.out.flush();
    Thread.currentThread().join(); // until killed
  }
}
