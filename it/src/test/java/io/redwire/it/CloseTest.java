package io.redwire.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.runtime.CountingMetrics;
import io.redwire.runtime.Redwire;
import io.redwire.testing.RedisServer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import redis.clients.jedis.RedisClient;

/** After {@code Redwire.close()}: every call through a generated proxy, and every new wrap, refuses. */
class CloseTest {

  static RedisServer server;

  @BeforeAll
  static void start() {
    server = RedisServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static void closed(Executable call) {
    IllegalStateException e = assertThrows(IllegalStateException.class, call);
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }

  @Test
  void callsThroughRateLimitedAndLockedProxiesThrowAndNothingCountsAsARedisError() throws Exception {
    CountingMetrics metrics = new CountingMetrics();
    try (RedisClient data = RedisClient.builder().hostAndPort(server.host(), server.port()).build()) {
      Redwire redwire = Redwire.builder().uri(server.uri()).namespace("close").metrics(metrics).build();
      Limited limited = RedwireLimited.wrap(new Limited.Echo(), redwire);
      LockWorker worker = new LockWorker(data);
      LockWork locked = RedwireLockWork.wrap(worker, redwire);
      worker.self = locked;
      assertEquals("a", limited.gcra("a"));
      assertEquals(1, locked.increment("close-counter"));
      assertEquals(7, locked.skipInt("j"));

      int calls = worker.calls.get();
      redwire.close();
      redwire.close(); // harmless

      for (int i = 0; i < 10; i++) {
        closed(() -> limited.gcra("a"));
        closed(() -> limited.pair("a"));
        closed(() -> limited.failOpen("a")); // not "allowed on failure": refused
        closed(() -> limited.failClosed("a"));
        closed(() -> limited.patient("a"));
        closed(() -> locked.increment("close-counter"));
        closed(() -> locked.gateNow("j", new LockWork.Gate()));
        closed(() -> locked.skipInt("j")); // onBusy = SKIP does not skip: the Redwire is gone
      }
      closed(() -> limited.free("free")); // every call through the proxy, annotated or not
      closed(() -> RedwireLimited.wrap(new Limited.Echo(), redwire));
      closed(() -> RedwireLockWork.wrap(worker, redwire));
      assertEquals(calls, worker.calls.get(), "the delegate ran only before the close");

      assertEquals(0, metrics.count("redisError"), metrics.toString());
      assertEquals(0, metrics.count("rateLimitAllowedOnFailure"));
      assertEquals(0, metrics.count("rateLimitDeniedOnFailure"));
      assertEquals(0, metrics.count("lockBusy"));
      assertEquals(0, metrics.count("circuitOpened"));
    }
  }

  @Test
  void aCallerWaitingForALockWhenItsRedwireClosesGetsIllegalStateException() throws Exception {
    CountingMetrics metrics = new CountingMetrics();
    ExecutorService threads = Executors.newCachedThreadPool();
    try (RedisClient data = RedisClient.builder().hostAndPort(server.host(), server.port()).build();
        Redwire holderSide = Redwire.builder().uri(server.uri()).namespace("close-wait").build()) {
      Redwire waiterSide = Redwire.builder().uri(server.uri()).namespace("close-wait").metrics(metrics).build();
      LockWork holder = RedwireLockWork.wrap(new LockWorker(data), holderSide);
      LockWork waiter = RedwireLockWork.wrap(new LockWorker(data), waiterSide);
      LockWork.Gate gate = new LockWork.Gate();
      Future<Long> held = threads.submit(() -> holder.gate("w", gate));
      assertTrue(gate.entered.await(10, TimeUnit.SECONDS));
      Future<Long> waiting = threads.submit(() -> waiter.gate("w", new LockWork.Gate()));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (metrics.count("lockWait", "gate") == 0) {
        assertTrue(System.nanoTime() < deadline, "the second caller waits");
        Thread.onSpinWait();
      }
      long closedAt = System.nanoTime();
      waiterSide.close();
      ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(10, TimeUnit.SECONDS));
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closedAt);
      assertTrue(e.getCause() instanceof IllegalStateException, String.valueOf(e.getCause()));
      assertTrue(ms < 5000, "the waiter gave up " + ms + " ms after the close, not at the 30 s lease end");
      assertEquals(0, metrics.count("redisError"), metrics.toString());
      gate.finish.countDown();
      assertTrue(held.get(10, TimeUnit.SECONDS) > 0);
    } finally {
      threads.shutdownNow();
    }
  }
}
