package io.redwire.benchmarks.queue;

import io.redwire.runtime.Redwire;
import io.redwire.runtime.queue.WorkOptions;
import io.redwire.runtime.queue.Worker;
import io.redwire.testing.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * CPU per no-op job, client and server, while a worker drains a backlog: what the side-by-side
 * throughput ({@link QueueSideBySide}) is bounded by on a machine with two cores, and less sensitive than
 * jobs/s to what else runs. Each round enqueues {@code n} jobs, then starts a worker with
 * {@code threads} threads and measures, until the last job ran, this JVM's and redis-server's CPU time
 * ({@code /proc/<pid>/stat}, Linux) per job, this JVM's context switches per job, and the scripts the
 * server ran ({@code INFO commandstats}: {@code EVALSHA} calls per job and the time spent in them,
 * commands inside the scripts included). BullMQ's counterpart is {@code benchmarks/queue/bullmq-cpu.mjs}.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.redwire.benchmarks.queue.QueueCpu [n, 20000]
 * [rounds, 4] [threads, 4]}; the first round includes the JIT's warm-up.
 */
public final class QueueCpu {

  private QueueCpu() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    try (RedisServer server = RedisServer.start()) {
      long redis = Long.parseLong(server.command("INFO", "server").replaceAll("(?s).*process_id:(\\d+).*", "$1"));
      long self = ProcessHandle.current().pid();
      System.out.println("redis-server " + server.info() + ", " + n + " no-op jobs per round, " + threads + " threads");
      try (Redwire redwire = Redwire.builder().uri(server.uri()).namespace("bench").build()) {
        BenchJobs client = RedwireBenchJobs.client(redwire);
        for (int round = 1; round <= rounds; round++) {
          for (int i = 0; i < n; i++) {
            client.noop(0);
          }
          CountDownLatch done = new CountDownLatch(n);
          server.command("CONFIG", "RESETSTAT");
          long switches0 = switches(self);
          long cpu0 = cpu(self);
          long redis0 = cpu(redis);
          long t0 = System.nanoTime();
          Worker w = RedwireBenchJobs.work(at -> done.countDown(), redwire, WorkOptions.concurrency(threads));
          if (!done.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the jobs did not run");
          }
          long nanos = System.nanoTime() - t0;
          long cpu = cpu(self) - cpu0;
          long redisCpu = cpu(redis) - redis0;
          long switches = switches(self) - switches0;
          String scripts = server.command("INFO", "commandstats").lines()
              .filter(l -> l.startsWith("cmdstat_evalsha:")).collect(Collectors.joining());
          w.close();
          long calls = Long.parseLong(scripts.replaceAll("^cmdstat_evalsha:calls=(\\d+),.*", "$1"));
          long usec = Long.parseLong(scripts.replaceAll(".*usec=(\\d+),.*", "$1"));
          System.out.printf("round %d: %,d jobs/s; CPU per job: JVM %.1f us, redis-server %.1f us, together %.1f us;"
                  + " JVM context switches per job %.2f; EVALSHA per job %.3f, %.1f us of scripts per job%n",
              round, Math.round(n / (nanos / 1e9)), cpu / 1e3 / n, redisCpu / 1e3 / n, (cpu + redisCpu) / 1e3 / n,
              switches / (double) n, calls / (double) n, usec / (double) n);
        }
      }
    }
  }

  /** User plus system CPU time of a process, in nanoseconds (clock ticks of 10 ms). */
  static long cpu(long pid) throws Exception {
    String[] f = Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ")[1].split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
  }

  /** Voluntary and involuntary context switches of every thread of a process. */
  static long switches(long pid) throws Exception {
    long sum = 0;
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          for (String line : Files.readAllLines(t.resolve("status"))) {
            if (line.contains("ctxt_switches")) {
              sum += Long.parseLong(line.replaceAll("\\D", ""));
            }
          }
        } catch (java.io.IOException ended) {
          // the thread ended meanwhile
        }
      }
    }
    return sum;
  }
}
