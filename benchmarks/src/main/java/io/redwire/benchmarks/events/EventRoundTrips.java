package io.redwire.benchmarks.events;

import io.redwire.benchmarks.events.EventPeers.Peer;
import io.redwire.testing.CommandCounter;
import io.redwire.testing.RedisServer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Counts the commands each durable peer of {@link EventsBench} sends per event, publish and consume
 * together, on the wire (a counting TCP proxy in front of a redis-server): {@code java -cp
 * benchmarks.jar io.redwire.benchmarks.events.EventRoundTrips [events]}. Twice per peer: paced at
 * 1,000 events/s from one thread (the listener is idle between events, so every read returns one
 * entry), and as a burst (one thread publishes as fast as it can, so reads can return several).
 * Unlike the timings, these counts depend on the machine's load only through how many entries a read
 * finds. The last column is the time those commands spent inside Redis ({@code INFO commandstats}
 * {@code usec} of the commands seen on the wire, a script's inner commands included in its own).
 */
public final class EventRoundTrips {

  private EventRoundTrips() {}

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    StringBuilder out = new StringBuilder(
        "| peer | setting | commands per event | which (per event; inside Redis per call) | server us per event |\n"
            + "| --- | --- | ---: | --- | ---: |\n");
    int run = 0;
    try (RedisServer server = RedisServer.start(); CommandCounter counter = new CommandCounter(server.port())) {
      EventPeers.Server proxied = new EventPeers.Server("127.0.0.1", counter.port());
      for (String name : EventPeers.STREAM) {
        for (boolean paced : List.of(true, false)) {
          run++;
          try (Peer p = EventPeers.create("stream", name, proxied, run)) {
            EventsBench.Recorder r = new EventsBench.Recorder(0, events);
            p.start(r);
            EventsBench.probe(p, r);
            Thread.sleep(500);
            counter.reset();
            server.command("CONFIG", "RESETSTAT");
            long t0 = System.nanoTime();
            for (int i = 0; i < events; i++) {
              if (paced) {
                long at = t0 + i * 1_000_000L;
                long d;
                while ((d = at - System.nanoTime()) > 0) {
                  LockSupport.parkNanos(d);
                }
              }
              long now = System.nanoTime();
              p.publish(i, now, now);
            }
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (r.received.get() < events && System.nanoTime() < deadline) {
              Thread.sleep(5);
            }
            Thread.sleep(300); // the last acks
            List<String> commands = counter.commands();
            Map<String, Long> usec = usec(server.command("INFO", "commandstats"));
            Map<String, Integer> byName = new TreeMap<>();
            commands.forEach(c -> byName.merge(c, 1, Integer::sum));
            StringBuilder which = new StringBuilder();
            byName.forEach((c, n) -> {
              which.append(which.length() == 0 ? "" : ", ").append(c).append(' ')
                  .append(String.format(Locale.ROOT, "%.2f", (double) n / events));
              Long u = usec.get(c.toLowerCase(Locale.ROOT));
              if (u != null && n >= events / 10) {
                which.append(String.format(Locale.ROOT, " (%.1f us)", (double) u / n));
              }
            });
            long serverUsec = 0;
            for (String c : byName.keySet()) {
              serverUsec += usec.getOrDefault(c.toLowerCase(Locale.ROOT), 0L);
            }
            out.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %s | %.1f |%n", name,
                paced ? "paced 1,000/s" : "burst", (double) commands.size() / events, which,
                (double) serverUsec / events));
            if (r.received.get() < events) {
              out.append("  (").append(name).append(": only ").append(r.received.get()).append(" handled)\n");
            }
          }
          server.command("FLUSHALL");
        }
      }
    }
    System.out.print(out);
    System.exit(0);
  }

  /** {@code INFO commandstats}: command name (lower case) -> total microseconds inside Redis. */
  static Map<String, Long> usec(String info) {
    Map<String, Long> m = new TreeMap<>();
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("cmdstat_")) {
        String name = line.substring(8, line.indexOf(':'));
        for (String kv : line.substring(line.indexOf(':') + 1).split(",")) {
          if (kv.startsWith("usec=")) {
            m.put(name, Long.parseLong(kv.substring(5)));
          }
        }
      }
    }
    return m;
  }
}
