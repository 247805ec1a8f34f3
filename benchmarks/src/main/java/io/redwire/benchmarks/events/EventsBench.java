package io.redwire.benchmarks.events;

import io.redwire.benchmarks.events.EventPeers.Peer;
import io.redwire.testing.RedisServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Events benchmark driver (not JMH): one {@code redis-server} (the test fixture: free port, never 6379)
 * for every peer, which run one after another in one JVM, their order rotated each round.
 *
 * <ul>
 *   <li>{@code stream} and {@code pubsub} at a fixed rate (open loop): {@code publishers} threads publish
 *       event {@code i} at {@code t0 + i / rate}, by the clock and not by completion (a thread that falls
 *       behind publishes at once), and every event carries the {@code System.nanoTime()} it was
 *       <em>scheduled</em> for; the listener's handler records its entry time minus that. So a publish
 *       that is late (slow client, parked thread, full machine) counts in the latency: no coordinated
 *       omission. The first {@code warmup} seconds are not recorded; then {@code seconds} seconds are.
 *       Reported: p50, p99, p99.9 and max of all recorded events, events lost (not handled within 10 s
 *       after the last publish), handled twice, the publishers' lag (call start minus schedule, p50:
 *       the park's timer slack and the run queue of a busy machine) and, for reference only, p50 and
 *       p99 measured from the publish call's start (also in the payload), which leave that lag out.
 *   <li>{@code throughput} (durable only): {@code publishers} threads publish {@code events} events as
 *       fast as they can while the listener consumes; reported: publishes/s (all published) and end to
 *       end events/s (from the first publish to the last event handled). A first batch of a fifth as
 *       many events warms up the same peer and is not counted.
 * </ul>
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.redwire.benchmarks.events.EventsBench [key=value ...]}
 * with keys {@code rounds} (3), {@code kinds} (stream,pubsub,throughput), {@code rates} (1000,5000),
 * {@code warmup} (5 s), {@code seconds} (10 s), {@code events} (50000), {@code publishers} (2 for the
 * fixed rates), {@code tpublishers} (4 for throughput), {@code peers} (all: redwire, redwire-c4,
 * spring, spring-pooled, redisson; redwire-c4 and spring-pooled only in durable kinds), {@code out} (a
 * file the raw lines are appended to).
 * Every run prints one line with the 1-minute load average at its start; a summary (median and range
 * over the rounds) follows.
 */
public final class EventsBench {

  record Result(String kind, int rate, String peer, int round, double load, long measured, long lost,
      long dups, double p50, double p99, double p999, double max, double lagP50, double sentP50,
      double sentP99, double pubPerSec,
      double e2ePerSec) {}

  private EventsBench() {}

  public static void main(String[] argv) throws Exception {
    Map<String, String> a = new LinkedHashMap<>();
    for (String s : argv) {
      int eq = s.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("expected key=value, got " + s);
      }
      a.put(s.substring(0, eq), s.substring(eq + 1));
    }
    int rounds = Integer.parseInt(a.getOrDefault("rounds", "3"));
    List<String> kinds = List.of(a.getOrDefault("kinds", "stream,pubsub,throughput").split(","));
    int[] rates = Arrays.stream(a.getOrDefault("rates", "1000,5000").split(",")).mapToInt(Integer::parseInt)
        .toArray();
    int warmup = Integer.parseInt(a.getOrDefault("warmup", "5"));
    int seconds = Integer.parseInt(a.getOrDefault("seconds", "10"));
    int events = Integer.parseInt(a.getOrDefault("events", "50000"));
    int publishers = Integer.parseInt(a.getOrDefault("publishers", "2"));
    int tpublishers = Integer.parseInt(a.getOrDefault("tpublishers", "4"));
    List<String> peers = a.containsKey("peers") ? List.of(a.get("peers").split(",")) : EventPeers.STREAM;
    Path out = a.containsKey("out") ? Path.of(a.get("out")) : null;

    System.out.printf("# EventsBench %s; java %s; %d cpus%n", String.join(" ", argv),
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
    List<Result> results = new ArrayList<>();
    int run = 0;
    try (RedisServer server = RedisServer.start()) {
      System.out.println("# redis-server " + server.uri() + " " + server.command("INFO", "server").lines()
          .filter(l -> l.startsWith("redis_version")).findFirst().orElse("").trim());
      for (int round = 1; round <= rounds; round++) {
        for (String kind : kinds) {
          int[] kindRates = kind.equals("throughput") ? new int[] {0} : rates;
          for (int rate : kindRates) {
            List<String> order = new ArrayList<>();
            for (String p : peers) {
              if (!(kind.equals("pubsub") && !EventPeers.PUBSUB.contains(p))) {
                order.add(p);
              }
            }
            java.util.Collections.rotate(order, -(round - 1));
            for (String peer : order) {
              run++;
              System.gc();
              Result r;
              try (Peer p = EventPeers.create(kind, peer, new EventPeers.Server(server.host(), server.port()), run)) {
                r = kind.equals("throughput")
                    ? throughput(p, kind, peer, round, events, tpublishers)
                    : fixedRate(p, kind, peer, round, rate, warmup, seconds, publishers);
              }
              server.command("FLUSHALL");
              results.add(r);
              String line = format(r);
              System.out.println(line);
              if (out != null) {
                Files.writeString(out, line + "\n", java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
              }
            }
          }
        }
      }
    }
    summary(results);
    System.exit(0); // client libraries' non-daemon threads
  }

  /** Records what the listener receives; events below {@code from} (warm-up) only count as received. */
  static final class Recorder implements EventPeers.Sink {
    final long from;
    final long[] latency;
    final long[] fromSend;
    final AtomicLong received = new AtomicLong();
    final AtomicLong dups = new AtomicLong();
    volatile boolean probed;
    volatile long last;

    Recorder(long from, int measured) {
      this.from = from;
      this.latency = new long[measured];
      this.fromSend = new long[measured];
    }

    @Override
    public void received(long seq, long at, long sent) {
      long now = System.nanoTime();
      if (seq < 0) {
        probed = true;
        return;
      }
      long i = seq - from;
      if (i >= 0 && i < latency.length) {
        if (latency[(int) i] != 0) {
          dups.incrementAndGet();
          return;
        }
        latency[(int) i] = Math.max(1, now - at);
        fromSend[(int) i] = Math.max(1, now - sent);
      }
      last = now;
      received.incrementAndGet();
    }
  }

  /** Publishes probes until the listener has one (a subscription or group read may start late). */
  static void probe(Peer p, Recorder r) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    for (long i = -1; !r.probed; i--) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the listener never received a probe");
      }
      long now = System.nanoTime();
      p.publish(i, now, now);
      Thread.sleep(20);
    }
    Thread.sleep(200); // probes still in flight
  }

  static Result fixedRate(Peer p, String kind, String peer, int round, int rate, int warmup, int seconds,
      int publishers) throws Exception {
    long total = (long) rate * (warmup + seconds);
    long from = (long) rate * warmup;
    Recorder r = new Recorder(from, (int) (total - from));
    p.start(r);
    probe(p, r);
    double load = load();
    long period = 1_000_000_000L / rate;
    long t0 = System.nanoTime() + 20_000_000L;
    long[][] lags = new long[publishers][];
    Thread[] threads = new Thread[publishers];
    for (int k = 0; k < publishers; k++) {
      int kk = k;
      threads[k] = new Thread(() -> {
        long[] lag = new long[(int) ((total - from) / publishers + 1)];
        int n = 0;
        for (long seq = kk; seq < total; seq += publishers) {
          long at = t0 + seq * period;
          long d;
          while ((d = at - System.nanoTime()) > 0) {
            LockSupport.parkNanos(d);
          }
          long sent = System.nanoTime();
          if (seq >= from && n < lag.length) {
            lag[n++] = sent - at;
          }
          p.publish(seq, at, sent);
        }
        lags[kk] = Arrays.copyOf(lag, n);
      }, "publisher-" + k);
      threads[k].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (r.received.get() < total && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    Thread.sleep(100); // duplicates
    long[] lat = Arrays.stream(r.latency).filter(x -> x > 0).sorted().toArray();
    long[] sendLat = Arrays.stream(r.fromSend).filter(x -> x > 0).sorted().toArray();
    long[] lag = Arrays.stream(lags).flatMapToLong(Arrays::stream).sorted().toArray();
    long measured = total - from;
    return new Result(kind, rate, peer, round, load, measured, measured - lat.length, r.dups.get(),
        pct(lat, 0.50), pct(lat, 0.99), pct(lat, 0.999), lat.length == 0 ? Double.NaN : lat[lat.length - 1] / 1e3,
        pct(lag, 0.50), pct(sendLat, 0.50), pct(sendLat, 0.99), Double.NaN, Double.NaN);
  }

  static Result throughput(Peer p, String kind, String peer, int round, int events, int publishers)
      throws Exception {
    int warm = events / 5;
    Recorder r = new Recorder(warm, events);
    p.start(r);
    probe(p, r);
    batch(p, 0, warm, publishers);
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (r.received.get() < warm && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    double load = load();
    long t0 = System.nanoTime();
    long published = batch(p, warm, warm + events, publishers);
    deadline = System.nanoTime() + 120_000_000_000L;
    while (r.received.get() < warm + events && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    Thread.sleep(100);
    long got = Arrays.stream(r.latency).filter(x -> x > 0).count();
    return new Result(kind, 0, peer, round, load, events, events - got, r.dups.get(), Double.NaN, Double.NaN,
        Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, events / ((published - t0) / 1e9),
        got / ((r.last - t0) / 1e9));
  }

  /** Publishes [from, to) from {@code publishers} threads as fast as they go; returns the end time. */
  static long batch(Peer p, long from, long to, int publishers) throws InterruptedException {
    Thread[] threads = new Thread[publishers];
    for (int k = 0; k < publishers; k++) {
      int kk = k;
      threads[k] = new Thread(() -> {
        for (long seq = from + kk; seq < to; seq += publishers) {
          long now = System.nanoTime();
          p.publish(seq, now, now);
        }
      }, "publisher-" + k);
      threads[k].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    return System.nanoTime();
  }

  /** The p-quantile of sorted nanoseconds, in microseconds. */
  static double pct(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
    return sorted[Math.max(0, i)] / 1e3;
  }

  static double load() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  static String format(Result r) {
    if (r.kind().equals("throughput")) {
      return String.format(Locale.ROOT,
          "RUN kind=throughput peer=%s round=%d load=%.2f events=%d lost=%d dups=%d publish/s=%.0f e2e/s=%.0f",
          r.peer(), r.round(), r.load(), r.measured(), r.lost(), r.dups(), r.pubPerSec(), r.e2ePerSec());
    }
    return String.format(Locale.ROOT,
        "RUN kind=%s rate=%d peer=%s round=%d load=%.2f events=%d lost=%d dups=%d p50us=%.0f p99us=%.0f"
            + " p999us=%.0f maxus=%.0f lagp50us=%.0f sentp50us=%.0f sentp99us=%.0f",
        r.kind(), r.rate(), r.peer(), r.round(), r.load(), r.measured(), r.lost(), r.dups(), r.p50(), r.p99(),
        r.p999(), r.max(), r.lagP50(), r.sentP50(), r.sentP99());
  }

  /** Median and range over the rounds, per kind, rate and peer, as Markdown. */
  static void summary(List<Result> results) {
    Map<String, List<Result>> groups = new LinkedHashMap<>();
    for (Result r : results) {
      groups.computeIfAbsent(r.kind() + "|" + r.rate() + "|" + r.peer(), k -> new ArrayList<>()).add(r);
    }
    System.out.println();
    System.out.println("| kind | rate/s | peer | runs | load | p50 us | p99 us | p99.9 us | lost | dups |"
        + " publisher lag p50 us | p50 from send us | p99 from send us | publish/s | end-to-end/s |");
    System.out.println("| --- | ---: | --- | ---: | --- | --- | --- | --- | ---: | ---: | --- | --- | --- | --- |"
        + " --- |");
    for (List<Result> g : groups.values()) {
      Result f = g.get(0);
      System.out.printf(Locale.ROOT, "| %s | %s | %s | %d | %s | %s | %s | %s | %d | %d | %s | %s | %s | %s | %s |%n",
          f.kind(), f.rate() == 0 ? "max" : String.format(Locale.ROOT, "%,d", f.rate()), f.peer(), g.size(),
          range(g.stream().mapToDouble(Result::load).toArray(), "%.1f"),
          range(g.stream().mapToDouble(Result::p50).toArray(), "%,.0f"),
          range(g.stream().mapToDouble(Result::p99).toArray(), "%,.0f"),
          range(g.stream().mapToDouble(Result::p999).toArray(), "%,.0f"),
          g.stream().mapToLong(Result::lost).sum(), g.stream().mapToLong(Result::dups).sum(),
          range(g.stream().mapToDouble(Result::lagP50).toArray(), "%,.0f"),
          range(g.stream().mapToDouble(Result::sentP50).toArray(), "%,.0f"),
          range(g.stream().mapToDouble(Result::sentP99).toArray(), "%,.0f"),
          range(g.stream().mapToDouble(Result::pubPerSec).toArray(), "%,.0f"),
          range(g.stream().mapToDouble(Result::e2ePerSec).toArray(), "%,.0f"));
    }
  }

  /** "median (min..max)", or "-". */
  static String range(double[] v, String fmt) {
    double[] s = Arrays.stream(v).filter(x -> !Double.isNaN(x)).sorted().toArray();
    if (s.length == 0) {
      return "-";
    }
    double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    if (s.length == 1) {
      return String.format(Locale.ROOT, fmt, median);
    }
    return String.format(Locale.ROOT, fmt + " (" + fmt + ".." + fmt + ")", median, s[0], s[s.length - 1]);
  }
}
