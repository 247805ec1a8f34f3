package io.redwire.runtime.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.runtime.Redwire;
import io.redwire.testing.CommandCounter;
import io.redwire.runtime.codec.Codecs;
import io.redwire.testing.RedisServer;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.time.Duration;
import io.redwire.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What crosses the wire per event, counted by a TCP proxy (not INFO commandstats, which also counts the
 * commands inside scripts): one XADD per durable publish, one PUBLISH per pub/sub publish, and one
 * script (record handled + XACK) per handled event, with reads and handled-checks batched.
 */
class EventWireTest {

  static final long FINGERPRINT = 0x5157L;
  RedisServer server;
  CommandCounter wire;
  Redwire redwire;

  @BeforeEach
  void start() throws Exception {
    server = RedisServer.start();
    wire = new CommandCounter(server.port());
    redwire = Redwire.builder().uri(wire.uri()).namespace("wire").startupCheck(false).build();
  }

  @AfterEach
  void stop() throws Exception {
    redwire.close();
    wire.close();
    server.close();
  }

  @Test
  void aDurablePublishIsOneXaddAndAPubSubPublishIsOnePublish() {
    EventPublisher<String> durable = EventPublisher.of(redwire, new Publication("orders", true, 60_000, 0),
        FINGERPRINT, Codecs.STRING);
    EventPublisher<String> fleeting = EventPublisher.of(redwire, new Publication("prices", false, 0, 0),
        FINGERPRINT, Codecs.STRING);
    durable.publish("warm-up");
    wire.reset();
    for (int i = 0; i < 100; i++) {
      durable.publish("e" + i);
    }
    assertEquals(Collections.nCopies(100, "XADD"), wire.commands());
    wire.reset();
    for (int i = 0; i < 100; i++) {
      fleeting.publish("p" + i);
    }
    assertEquals(Collections.nCopies(100, "PUBLISH"), wire.commands());
  }

  @Test
  void readsAdmissionsAndAcksAreBatched() {
    EventPublisher<String> publisher = EventPublisher.of(redwire, new Publication("jobs", true, 60_000, 0),
        FINGERPRINT, Codecs.STRING);
    for (int i = 0; i < 200; i++) {
      publisher.publish("e" + i);
    }
    Set<String> handled = ConcurrentHashMap.newKeySet();
    wire.reset();
    EventConsumer<String> consumer = EventConsumer.start(redwire,
        new Listening("jobs", true, "g", 8, 3, 100, 30_000), FINGERPRINT, Codecs.STRING, handled::add,
        SubscribeOptions.DEFAULTS);
    try {
      Await.until(Duration.ofSeconds(20), () -> handled.size() == 200 && pending("jobs", "g") == 0,
          () -> handled.size() + " handled, " + pending("jobs", "g") + " pending");
    } finally {
      consumer.close();
    }
    List<String> commands = wire.commands();
    long evalsha = count(commands, "EVALSHA");
    long eval = count(commands, "EVAL");
    // a script's first run is an EVALSHA answered NOSCRIPT and then an EVAL, so the EVALSHAs count every
    // run (read-and-admit, batch ack) exactly once
    assertTrue(eval <= 4, "EVAL " + eval);
    assertEquals(0, count(commands, "XACK"), "acks ride in the script");
    assertEquals(0, count(commands, "ZMSCORE"), "checks ride in the script");
    assertTrue(evalsha < 100, "fewer scripts than half the events: " + evalsha + ": " + commands);
  }

  /**
   * Issue 11's consumer at steady state: with a backlog, one consumer at concurrency 1 reads, admits and
   * acknowledges 1,000 events in batches. The consumer before read-ahead and batched acks sent at least
   * three commands per event here (a read, an admission script and an ack script per entry).
   */
  @Test
  void aThousandEventsThroughOneConsumerCostAFewCommandsPerHundredEvents() {
    EventPublisher<String> publisher = EventPublisher.of(redwire, new Publication("jobs", true, 600_000, 0),
        FINGERPRINT, Codecs.STRING);
    for (int i = 0; i < 1_000; i++) {
      publisher.publish("e" + i);
    }
    Set<String> handled = ConcurrentHashMap.newKeySet();
    wire.reset();
    EventConsumer<String> consumer = EventConsumer.start(redwire,
        new Listening("jobs", true, "g", 1, 3, 100, 30_000), FINGERPRINT, Codecs.STRING, handled::add,
        SubscribeOptions.DEFAULTS);
    try {
      Await.until(Duration.ofSeconds(30), () -> handled.size() == 1_000 && pending("jobs", "g") == 0,
          () -> handled.size() + " handled, " + pending("jobs", "g") + " pending");
    } finally {
      consumer.close();
    }
    List<String> commands = wire.commands();
    long stream = count(commands, "XREADGROUP") + count(commands, "EVALSHA") + count(commands, "EVAL")
        + count(commands, "XACK") + count(commands, "XCLAIM") + count(commands, "XPENDING")
        + count(commands, "ZMSCORE");
    System.out.printf("1,000 events, one consumer: %d stream commands (%.3f per event), %d in all: %s%n",
        stream, stream / 1000.0, commands.size(), histogram(commands));
    assertTrue(stream <= 150, "at most 0.15 reads, admissions and acks per event: " + stream + " "
        + histogram(commands));
    assertTrue(commands.size() <= 200, "at most 0.2 commands per event in all: " + histogram(commands));
    assertEquals("1000", server.command("ZCARD", "wire:events:jobs:{jobs}:handled:g").trim(),
        "every event recorded as handled");
  }

  long pending(String channel, String group) {
    return Long.parseLong(server.command("XPENDING", "wire:events:" + channel + ":{" + channel + "}", group)
        .split("\n")[0].trim());
  }

  static long count(List<String> commands, String name) {
    return commands.stream().filter(name::equals).count();
  }

  static java.util.Map<String, Long> histogram(List<String> commands) {
    java.util.Map<String, Long> h = new java.util.TreeMap<>();
    commands.forEach(c -> h.merge(c, 1L, Long::sum));
    return h;
  }
}
