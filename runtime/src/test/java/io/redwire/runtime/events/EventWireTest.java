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
import java.util.concurrent.TimeUnit;
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
  void aHandledEventCostsOneScriptAndReadsAreBatched() throws Exception {
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
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (handled.size() < 200) {
        assertTrue(System.nanoTime() < deadline, handled.size() + " handled");
        Thread.sleep(10);
      }
    } finally {
      consumer.close();
    }
    List<String> commands = wire.commands();
    long evalsha = commands.stream().filter(c -> c.equals("EVALSHA")).count();
    long eval = commands.stream().filter(c -> c.equals("EVAL")).count();
    long reads = commands.stream().filter(c -> c.equals("XREADGROUP")).count();
    // per event one ack script; per batch read one admission script (already handled? a copy of an
    // entry still pending?). A script's first run is an EVALSHA answered NOSCRIPT and then an EVAL (the
    // 8 handler threads may race to load it), so the EVALSHAs count every run exactly once.
    long admissions = evalsha - 200;
    assertTrue(eval <= 2 * (1 + 8), "EVAL " + eval);
    assertEquals(0, commands.stream().filter(c -> c.equals("XACK")).count(), "acks ride in the script");
    assertEquals(0, commands.stream().filter(c -> c.equals("ZMSCORE")).count(), "checks ride in the script");
    // reads fetch up to 8 (the free handler slots) at once, and each batch is admitted with one script
    assertTrue(admissions <= reads && admissions >= 200 / 8, "reads " + reads + ", admissions " + admissions
        + ": " + commands);
  }
}
