package io.redwire.benchmarks;

import io.redwire.benchmarks.BenchCatalog.Product;
import io.redwire.testing.RedisServer;
import java.io.IOException;

/**
 * The physical floor of a cache hit: {@code redis-benchmark -t set,get} (the SET only fills the keys;
 * read the GET line) against a fixture redis-server, with the value size of one encoded
 * {@link Product} and the hit benchmarks' key space, at each concurrency given (default 1 and 8).
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar io.redwire.benchmarks.RedisBenchmarkFloor
 * [requests] [concurrency...]}
 */
public final class RedisBenchmarkFloor {
  private RedisBenchmarkFloor() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int size = Products.encode(Products.load(1)).length;
    String[] concurrency = args.length > 1 ? java.util.Arrays.copyOfRange(args, 1, args.length)
        : new String[] {"1", "8"};
    try (RedisServer server = RedisServer.start()) {
      for (String c : concurrency) {
        String[] cmd = {"redis-benchmark", "-h", server.host(), "-p", String.valueOf(server.port()),
            "-t", "set,get", "-c", c, "-n", String.valueOf(requests), "-d", String.valueOf(size),
            "-r", String.valueOf(Products.HIT_KEYS), "--threads", "1"};
        System.out.println("$ " + String.join(" ", cmd));
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        p.waitFor();
      }
    }
  }
}
