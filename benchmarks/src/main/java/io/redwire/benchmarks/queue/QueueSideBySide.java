package io.redwire.benchmarks.queue;

import io.redwire.runtime.Redwire;
import io.redwire.runtime.queue.WorkOptions;
import io.redwire.runtime.queue.Worker;
import io.redwire.testing.RedisServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CountDownLatch;

/**
 * Job queues side by side: Redwire's generated {@code RedwireBenchJobs} and BullMQ (Node, {@code
 * benchmarks/queue/bullmq-bench.mjs}) against one fixture redis-server on this machine, in alternating
 * rounds (Redwire, BullMQ, Redwire, BullMQ), the server flushed between them. Both sides measure the
 * same three things the same way, in one process each:
 *
 * <ul>
 *   <li><b>enqueue</b>: {@code n} jobs added one after the other by one producer (each add waits for its
 *       reply); jobs per second;
 *   <li><b>no-op throughput</b> with 1 and 4 worker threads (BullMQ: worker concurrency): {@code n} jobs
 *       added first, then the worker started; jobs per second from its start until the last job ran;
 *   <li><b>enqueue-to-start latency</b> with an idle worker of 1 and 4 threads: one job at a time, the time
 *       from before the add until the job's method starts (same process clock); p50, p90, p99.
 * </ul>
 *
 * <p>Usage (see {@code benchmarks/queue/run.sh}, which installs BullMQ first): {@code java -cp
 * benchmarks/target/benchmarks.jar io.redwire.benchmarks.queue.QueueSideBySide <bullmq dir> [n]
 * [latency samples] [rounds]}. Without a BullMQ directory ({@code -}) only Redwire runs.
 */
public final class QueueSideBySide {

  private QueueSideBySide() {}

  public static void main(String[] args) throws Exception {
    String bullmq = args.length > 0 ? args[0] : "-";
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    int samples = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    List<Map<String, String>> rows = new ArrayList<>();
    try (RedisServer server = RedisServer.start()) {
      System.out.println("redis-server " + server.info() + " at " + server.uri());
      for (int round = 1; round <= rounds; round++) {
        server.command("FLUSHALL");
        rows.add(redwire(server.uri(), n, samples, round));
        System.out.println(rows.get(rows.size() - 1));
        if (!bullmq.equals("-")) {
          server.command("FLUSHALL");
          rows.add(bullmq(bullmq, server.port(), n, samples, round));
          System.out.println(rows.get(rows.size() - 1));
        }
      }
    }
    System.out.println();
    System.out.println("| round | system | enqueue jobs/s | no-op jobs/s, 1 thread | no-op jobs/s, 4 threads"
        + " | enqueue-to-start p50 / p90 / p99 µs, 1 thread | same, 4 threads |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
    for (Map<String, String> r : rows) {
      System.out.printf("| %s | %s | %s | %s | %s | %s / %s / %s | %s / %s / %s |%n", r.get("round"),
          r.get("system"), r.get("enqueue"), r.get("throughput1"), r.get("throughput4"), r.get("p50_1"),
          r.get("p90_1"), r.get("p99_1"), r.get("p50_4"), r.get("p90_4"), r.get("p99_4"));
    }
  }

  static Map<String, String> redwire(String uri, int n, int samples, int round) throws Exception {
    Map<String, String> row = new LinkedHashMap<>();
    row.put("round", Integer.toString(round));
    row.put("system", "Redwire");
    try (Redwire redwire = Redwire.builder().uri(uri).namespace("bench").build()) {
      BenchJobs client = RedwireBenchJobs.client(redwire);
      for (int i = 0; i < 1_000; i++) { // warm-up of the client path (JIT), then drained below
        client.noop(0);
      }
      drain(redwire, 1_000);
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        client.noop(0);
      }
      row.put("enqueue", perSecond(n, System.nanoTime() - start));
      drain(redwire, n);
      for (int threads : new int[] {1, 4}) {
        for (int i = 0; i < n; i++) {
          client.noop(0);
        }
        CountDownLatch done = new CountDownLatch(n);
        long t0 = System.nanoTime();
        Worker w = RedwireBenchJobs.work(at -> done.countDown(), redwire, WorkOptions.concurrency(threads));
        done.await(5, TimeUnit.MINUTES);
        row.put("throughput" + threads, perSecond(n, System.nanoTime() - t0));
        w.close();
      }
      for (int threads : new int[] {1, 4}) {
        LinkedBlockingQueue<Long> started = new LinkedBlockingQueue<>();
        Worker w = RedwireBenchJobs.work(at -> started.add(System.nanoTime() - at), redwire,
            WorkOptions.concurrency(threads));
        long[] latency = new long[samples];
        for (int i = -200; i < samples; i++) { // 200 warm-up samples
          client.noop(System.nanoTime());
          long l = started.take();
          if (i >= 0) {
            latency[i] = l;
          }
        }
        w.close();
        percentiles(row, latency, threads);
      }
    }
    return row;
  }

  /** Runs {@code n} no-op jobs of the warm-up or enqueue phase so the next phase starts with an empty queue. */
  private static void drain(Redwire redwire, int n) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(n);
    Worker w = RedwireBenchJobs.work(at -> done.countDown(), redwire, WorkOptions.concurrency(4));
    done.await(5, TimeUnit.MINUTES);
    w.close();
  }

  static Map<String, String> bullmq(String dir, int port, int n, int samples, int round) throws Exception {
    // next to its node_modules: Node resolves 'bullmq' from the script's directory
    java.nio.file.Path script = java.nio.file.Path.of(dir, "bullmq-bench.mjs");
    java.nio.file.Files.copy(java.nio.file.Path.of("benchmarks/queue/bullmq-bench.mjs"), script,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Process p = new ProcessBuilder("node", script.getFileName().toString(), Integer.toString(port),
        Integer.toString(n),
        Integer.toString(samples))
        .directory(new File(dir))
        .redirectErrorStream(true)
        .start();
    Map<String, String> row = new LinkedHashMap<>();
    row.put("round", Integer.toString(round));
    row.put("system", "BullMQ");
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        int eq = line.indexOf('=');
        if (line.startsWith("result ") && eq > 0) {
          row.put(line.substring(7, eq), line.substring(eq + 1));
        } else {
          System.out.println("  bullmq: " + line);
        }
      }
    }
    p.waitFor();
    return row;
  }

  static void percentiles(Map<String, String> row, long[] nanos, int threads) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    row.put("p50_" + threads, micros(s[s.length / 2]));
    row.put("p90_" + threads, micros(s[s.length * 9 / 10]));
    row.put("p99_" + threads, micros(s[s.length * 99 / 100]));
  }

  static String micros(long nanos) {
    return Long.toString(nanos / 1_000);
  }

  static String perSecond(int n, long nanos) {
    return Long.toString(Math.round(n / (nanos / 1e9)));
  }

}
