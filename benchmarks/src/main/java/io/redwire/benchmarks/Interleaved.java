package io.redwire.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;

/**
 * Peers measured interleaved: each round runs a block of operations of every peer, in an order that
 * rotates every round, on {@code threads} threads at once, and every ratio between two peers is taken
 * per round. A load that drifts (other processes on a two-core machine) then moves both sides of each
 * ratio alike, where separate JMH runs minutes apart see different machines. Ratios are averaged on a
 * log scale (a round at half speed and one at double cancel), with a ~95 % interval of that mean.
 */
public final class Interleaved {

  /** One operation of a peer on thread {@code thread}; {@code seq} counts that thread's operations. */
  public interface Op {
    void run(int thread, long seq) throws Exception;
  }

  public record Peer(String name, Op op) {}

  /** Per peer and round: operations per second, and the median latency of one operation (µs). */
  public record Result(List<Peer> peers, double[][] rates, double[][] p50s) {}

  private final int threads;
  private final int rounds;
  private final int block;
  private final int warmupRounds;

  public Interleaved(int threads, int rounds, int block, int warmupRounds) {
    this.threads = threads;
    this.rounds = rounds;
    this.block = block;
    this.warmupRounds = warmupRounds;
  }

  public Result run(List<Peer> peers) throws Exception {
    double[][] rates = new double[peers.size()][rounds];
    double[][] p50s = new double[peers.size()][rounds];
    long[] seq = new long[threads];
    for (int r = -warmupRounds; r < rounds; r++) {
      for (int i = 0; i < peers.size(); i++) {
        int p = Math.floorMod(i + r, peers.size());
        long[] latencies = new long[threads * block];
        long nanos = block(peers.get(p), seq, latencies);
        if (r >= 0) {
          rates[p][r] = (double) threads * block * 1e9 / nanos;
          Arrays.sort(latencies);
          p50s[p][r] = latencies[latencies.length / 2] / 1e3;
        }
      }
    }
    return new Result(peers, rates, p50s);
  }

  /** Runs {@code block} operations on each thread at once; the wall time of the block. */
  private long block(Peer peer, long[] seq, long[] latencies) throws Exception {
    CyclicBarrier start = new CyclicBarrier(threads + 1);
    CountDownLatch done = new CountDownLatch(threads);
    Throwable[] failure = new Throwable[1];
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread worker = new Thread(() -> {
        try {
          start.await();
          long s = seq[thread];
          for (int i = 0; i < block; i++) {
            long t0 = System.nanoTime();
            peer.op().run(thread, s++);
            latencies[thread * block + i] = System.nanoTime() - t0;
          }
          seq[thread] = s;
        } catch (Throwable e) {
          failure[0] = e;
        } finally {
          done.countDown();
        }
      });
      worker.start();
    }
    start.await();
    long t0 = System.nanoTime();
    done.await();
    long elapsed = System.nanoTime() - t0;
    if (failure[0] != null) {
      throw new IllegalStateException(peer.name() + " failed", failure[0]);
    }
    return elapsed;
  }

  /** Prints each peer's median rate and p50, then the ratios of each of {@code subjects} to each of {@code bases}. */
  public void print(Result result, List<String> subjects, List<String> bases, boolean perRound) {
    List<Peer> peers = result.peers();
    System.out.printf(Locale.ROOT, "threads=%d rounds=%d block=%d operations per thread (+%d warm-up rounds)%n",
        threads, rounds, block, warmupRounds);
    if (perRound) {
      for (int r = 0; r < rounds; r++) {
        StringBuilder line = new StringBuilder("round " + r + ":");
        for (int p = 0; p < peers.size(); p++) {
          line.append(String.format(Locale.ROOT, " %,.0f/s p50 %.1f us;", result.rates()[p][r], result.p50s()[p][r]));
        }
        System.out.println(line);
      }
    }
    for (int p = 0; p < peers.size(); p++) {
      System.out.printf(Locale.ROOT, "%-34s ops/s median %,.0f (min %,.0f, max %,.0f); p50 us median %.1f%n",
          peers.get(p).name(), median(result.rates()[p]), Arrays.stream(result.rates()[p]).min().orElse(0),
          Arrays.stream(result.rates()[p]).max().orElse(0), median(result.p50s()[p]));
    }
    for (String base : bases) {
      int b = index(peers, base);
      for (String subject : subjects) {
        int s = index(peers, subject);
        System.out.printf(Locale.ROOT, "%s / %s: throughput %s; p50 %s%n", subject, base,
            ratio(result.rates()[s], result.rates()[b]), ratio(result.p50s()[s], result.p50s()[b]));
      }
    }
  }

  private static int index(List<Peer> peers, String name) {
    for (int i = 0; i < peers.size(); i++) {
      if (peers.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no peer " + name);
  }

  /** The geometric mean of the per-round ratios a / b with its ~95 % interval, and their median. */
  static String ratio(double[] a, double[] b) {
    int n = a.length;
    double[] logs = new double[n];
    double[] ratios = new double[n];
    for (int r = 0; r < n; r++) {
      ratios[r] = a[r] / b[r];
      logs[r] = Math.log(ratios[r]);
    }
    double mean = Arrays.stream(logs).average().orElse(0);
    double sd = n > 1 ? Math.sqrt(Arrays.stream(logs).map(x -> (x - mean) * (x - mean)).sum() / (n - 1)) : 0;
    double half = 2.0 * sd / Math.sqrt(n); // ~95 % (t is 2.05 at 30 rounds)
    return String.format(Locale.ROOT, "%.3fx (95 %% interval %.3f-%.3f, median %.3f)", Math.exp(mean),
        Math.exp(mean - half), Math.exp(mean + half), median(ratios));
  }

  public static double median(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  /** Closes what was opened, last first. */
  public static void closeAll(List<AutoCloseable> closing) throws Exception {
    Exception first = null;
    for (int i = closing.size() - 1; i >= 0; i--) {
      try {
        closing.get(i).close();
      } catch (Exception e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  public static List<AutoCloseable> closing() {
    return new ArrayList<>();
  }
}
