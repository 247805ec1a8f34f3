package io.redwire.it.queue;

import io.redwire.runtime.Redwire;
import io.redwire.runtime.queue.Worker;
import io.redwire.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A server stall longer than socket timeout minus the idle wait, during which one job is
 * enqueued (XADD inside a script that then keeps the server busy for 2.5 s: the blocked XREAD is served
 * after it, by which time the client gave up on the pipeline at its 2 s socket timeout).
 */
class QueueStallTest {
  static RedisServer server;

  @BeforeAll
  static void start() {
    server = RedisServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static final class Timed implements Mailer {
    final List<String> ids = new CopyOnWriteArrayList<>();

    @Override
    public void confirmation(String orderId, Duration after) {
      ids.add(orderId);
    }

    @Override
    public void reminder(String orderId, int times) {}
  }

  @Test
  void stallBuiltAndGiven() throws Exception {
    for (boolean given : new boolean[] {false, true}) {
      stall(given);
    }
  }

  static final class Once implements StallOnce {
    final List<String> ids = new CopyOnWriteArrayList<>();

    @Override
    public void run(String id) {
      ids.add(id);
    }
  }

  @Test
  void stallWithOneAttempt() throws Exception {
    String ns = "once";
    Redwire prod = Redwire.builder().uri(server.uri()).namespace(ns).build();
    RedwireStallOnce.client(prod).run("template");
    String stream = null;
    for (String k : server.command("KEYS", ns + "*").split("\n")) {
      if (server.command("TYPE", k).equals("stream")) {
        stream = k;
      }
    }
    server.command("EVAL", "local e = redis.call('XRANGE', KEYS[1], '-', '+')[1][2]"
        + " for i = 1, #e, 2 do redis.call('HSET', KEYS[2], e[i], e[i + 1]) end return 1", "2", stream,
        ns + "tmpl");
    Redwire rw = Redwire.builder().uri(server.uri()).namespace(ns).build();
    Once done = new Once();
    Worker w = RedwireStallOnce.work(done, rw, 1);
    long t = System.nanoTime();
    while (done.ids.isEmpty() && System.nanoTime() - t < 5_000_000_000L) {
      Thread.sleep(10);
    }
    Thread.sleep(1200);
    String lua = "local h = redis.call('HGETALL', KEYS[2]) local a = {}"
        + " for i = 1, #h, 2 do a[#a + 1] = h[i] if h[i] == 'id' then a[#a + 1] = ARGV[1] else a[#a + 1] = h[i + 1] end end"
        + " redis.call('XADD', KEYS[1], '*', unpack(a))"
        + " local t0 = redis.call('TIME') local s0 = tonumber(t0[1]) * 1000000 + tonumber(t0[2])"
        + " while true do local t1 = redis.call('TIME') if tonumber(t1[1]) * 1000000 + tonumber(t1[2]) - s0"
        + " > 2500000 then break end end return 1";
    server.command(Duration.ofSeconds(10), "EVAL", lua, "2", stream, ns + "tmpl",
        java.util.UUID.randomUUID().toString());
    long sent = System.nanoTime();
    Object dead = null;
    while (System.nanoTime() - sent < 45_000_000_000L) {
      if (done.ids.size() >= 2) {
        break;
      }
      if (!RedwireStallOnce.admin(rw).dead(10).isEmpty()) {
        dead = RedwireStallOnce.admin(rw).dead(10);
        break;
      }
      Thread.sleep(50);
    }
    System.out.println("REVIEW once: after " + (System.nanoTime() - sent) / 1_000_000 + " ms runs " + done.ids
        + " dead " + dead);
    org.junit.jupiter.api.Assertions.assertNull(dead, "a job tried once is run, not dead-lettered unrun");
    org.junit.jupiter.api.Assertions.assertEquals(2, done.ids.size(), "the job enqueued in the stall ran");
    w.close();
    rw.close();
    prod.close();
  }

  void stall(boolean given) throws Exception {
    String ns = given ? "given" : "built";
    Redwire prod = Redwire.builder().uri(server.uri()).namespace(ns).build();
    Mailer mail = RedwireMailer.client(prod);
    mail.confirmation("template", null);
    String stream = null;
    for (String k : server.command("KEYS", ns + "*").split("\n")) {
      if (server.command("TYPE", k).equals("stream")) {
        stream = k;
      }
    }
    // keep the entry's fields (binary) in a hash, before the worker takes (and deletes) it
    server.command("EVAL", "local e = redis.call('XRANGE', KEYS[1], '-', '+')[1][2]"
        + " for i = 1, #e, 2 do redis.call('HSET', KEYS[2], e[i], e[i + 1]) end return 1", "2", stream,
        ns + "tmpl");
    Redwire rw = given
        ? Redwire.builder().client(redis.clients.jedis.RedisClient.create(server.host(), server.port()))
            .namespace(ns).build()
        : Redwire.builder().uri(server.uri()).namespace(ns).build();
    Timed done = new Timed();
    Worker w = RedwireMailer.work(done, rw, 1);
    long t = System.nanoTime();
    while (done.ids.isEmpty() && System.nanoTime() - t < 5_000_000_000L) {
      Thread.sleep(10);
    }
    Thread.sleep(1200); // idle: in the pipelined XREAD wait
    String lua = "local h = redis.call('HGETALL', KEYS[2]) local a = {}"
        + " for i = 1, #h, 2 do a[#a + 1] = h[i] if h[i] == 'id' then a[#a + 1] = ARGV[1] else a[#a + 1] = h[i + 1] end end"
        + " redis.call('XADD', KEYS[1], '*', unpack(a))"
        + " local t0 = redis.call('TIME') local s0 = tonumber(t0[1]) * 1000000 + tonumber(t0[2])"
        + " while true do local t1 = redis.call('TIME') if tonumber(t1[1]) * 1000000 + tonumber(t1[2]) - s0"
        + " > 2500000 then break end end return 1";
    String[] cmd = {"EVAL", lua, "2", stream, ns + "tmpl", java.util.UUID.randomUUID().toString()};
    long sent = System.nanoTime();
    server.command(Duration.ofSeconds(10), cmd);
    long ranAfter = -1;
    while (System.nanoTime() - sent < 40_000_000_000L) {
      if (done.ids.size() >= 2) {
        ranAfter = (System.nanoTime() - sent) / 1_000_000;
        break;
      }
      Thread.sleep(10);
    }
    System.out.println("REVIEW " + ns + ": stalled job ran after " + ranAfter + " ms; runs " + done.ids
        + "; pending " + server.command("XPENDING", stream, server.command("XINFO", "GROUPS", stream)
            .split("\n")[1]).replace('\n', ' '));
    org.junit.jupiter.api.Assertions.assertTrue(ranAfter >= 0 && ranAfter < 6_000,
        ns + ": the job enqueued in the stall runs once the stall ends, not after the reclaim time: " + ranAfter);
    w.close();
    rw.close();
    prod.close();
  }
}
