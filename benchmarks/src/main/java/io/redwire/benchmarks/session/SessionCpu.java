package io.redwire.benchmarks.session;

import io.redwire.benchmarks.ServerPeer;
import io.redwire.testing.RedisServer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * CPU time per typical request of each peer of {@link SessionBenchmark}, in the client JVM and in
 * redis-server, which bounds throughput on a machine with few cores (there, throughput is about cores
 * / CPU per request) and, unlike timings, hardly depends on what else the machine runs: {@code java -cp
 * benchmarks.jar io.redwire.benchmarks.session.SessionCpu [threads] [requests per thread] [rounds]}.
 *
 * <p>Per round: the JVM's process CPU time ({@code OperatingSystemMXBean.getProcessCpuTime}: the
 * request threads, the client's own threads, GC and JIT) and the request threads' own CPU time;
 * redis-server's ({@code INFO cpu}: {@code used_cpu_sys + used_cpu_user}); and the time Redis spent in
 * the commands themselves ({@code INFO commandstats}, scripts counted with the commands they call).
 * Two unmeasured rounds warm up first.
 */
public final class SessionCpu {

  private SessionCpu() {}

  public static void main(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    int perThread = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    System.out.println("| peer | threads | requests | client JVM us | of it request threads us | redis-server us"
        + " | total us | in commands us |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
    measure("redwire", new SessionPeers.RedwirePeer(), threads, perThread, rounds);
    measure("redwireTwoCalls", new SessionPeers.RedwireTwoCallsPeer(), threads, perThread, rounds);
    measure("springSessionDefault", new SessionPeers.SpringDefaultPeer(), threads, perThread, rounds);
    measure("springSessionText", new SessionPeers.SpringTextPeer(), threads, perThread, rounds);
  }

  private static <P extends ServerPeer & SessionPeers.Peer> void measure(String name, P peer, int threads,
      int perThread, int rounds) throws Exception {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    peer.setUp();
    try {
      RedisServer server = peer.server();
      run(peer, threads, perThread);
      run(peer, threads, perThread);
      for (int r = 0; r < rounds; r++) {
        server.resetStats();
        double serverBefore = serverCpuSeconds(server);
        long before = os.getProcessCpuTime();
        long requestThreads = run(peer, threads, perThread);
        long client = os.getProcessCpuTime() - before;
        double serverCpu = serverCpuSeconds(server) - serverBefore;
        long commands = commandMicros(server);
        double n = (double) threads * perThread;
        System.out.printf(Locale.ROOT, "| %s | %d | %d | %.1f | %.1f | %.1f | %.1f | %.2f |%n", name, threads,
            (long) n, client / 1e3 / n, requestThreads / 1e3 / n, serverCpu * 1e6 / n,
            client / 1e3 / n + serverCpu * 1e6 / n, commands / n);
      }
    } finally {
      peer.tearDown();
    }
  }

  /** Runs {@code perThread} requests on each of {@code threads} threads; returns their CPU time (ns). */
  private static long run(SessionPeers.Peer peer, int threads, int perThread) throws InterruptedException {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    AtomicLong cpu = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> all = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(() -> {
        try {
          peer.request(); // the thread's session
          long start = mx.getCurrentThreadCpuTime();
          for (int j = 0; j < perThread; j++) {
            peer.request();
          }
          cpu.addAndGet(mx.getCurrentThreadCpuTime() - start);
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      });
      t.start();
      all.add(t);
    }
    for (Thread t : all) {
      t.join();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("a request failed", failure.get());
    }
    return cpu.get();
  }

  private static double serverCpuSeconds(RedisServer server) {
    double seconds = 0;
    for (String line : server.command("INFO", "cpu").split("\r?\n")) {
      if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
        seconds += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    return seconds;
  }

  /** Microseconds Redis spent in top-level commands since the last reset (a script's calls are inside it). */
  private static long commandMicros(RedisServer server) {
    long scripts = 0;
    long all = 0;
    for (String line : server.command("INFO", "commandstats").split("\r?\n")) {
      if (!line.startsWith("cmdstat_") || line.startsWith("cmdstat_info:") || line.startsWith("cmdstat_config:")) {
        continue;
      }
      String command = line.substring("cmdstat_".length(), line.indexOf(':'));
      long usec = 0;
      for (String field : line.substring(line.indexOf(':') + 1).split(",")) {
        if (field.startsWith("usec=")) {
          usec = Long.parseLong(field.substring("usec=".length()));
        }
      }
      all += usec;
      if (command.equals("evalsha") || command.equals("eval")) {
        scripts += usec;
      }
    }
    // commandstats also counts the commands a script calls: with scripts, the scripts' time holds them
    return scripts > 0 ? scripts : all;
  }
}
