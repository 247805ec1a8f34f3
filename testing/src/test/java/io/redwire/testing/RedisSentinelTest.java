package io.redwire.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RedisSentinelTest {

  @Test
  void replicatesAndFailsOverToTheReplica() throws Exception {
    Path sentinelDir;
    try (RedisSentinel deployment = RedisSentinel.start("main")) {
      RedisServer master = deployment.master();
      RedisServer replica = deployment.replica();
      assertEquals("main", deployment.masterName());
      assertEquals(1, deployment.sentinels().size());
      RedisServer sentinel = deployment.sentinels().get(0);
      sentinelDir = sentinel.dir();
      assertEquals(List.of("127.0.0.1:" + sentinel.port()), deployment.sentinelAddresses());
      Set<Integer> ports = Set.of(master.port(), replica.port(), sentinel.port());
      assertEquals(3, ports.size());
      assertFalse(ports.contains(6379));

      assertEquals("sentinel", sentinel.info().mode(), sentinel.info().toString());
      assertTrue(master.command("ROLE").startsWith("master"));
      assertTrue(replica.command("ROLE").startsWith("slave"));
      assertEquals("127.0.0.1:" + master.port(), deployment.reportedMaster());
      // the sentinel rewrites its config file: it must be writable
      assertTrue(Files.readString(sentinel.dir().resolve("redis.conf")).contains("sentinel myid"));

      master.command("SET", "k", "v");
      // replication is asynchronous (and WAIT on another connection would not wait for this write)
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (!"v".equals(replica.command("GET", "k")) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals("v", replica.command("GET", "k"));
      assertThrows(RedisServer.ErrorReply.class, () -> replica.command("SET", "k", "w"),
          "the replica is read-only");

      long started = System.nanoTime();
      deployment.failover();
      long ms = (System.nanoTime() - started) / 1_000_000;
      System.out.println("failover took " + ms + " ms");

      assertSame(replica, deployment.master(), "roles swapped");
      assertSame(master, deployment.replica());
      assertFalse(master.isRunning(), "the old master was killed");
      assertEquals("127.0.0.1:" + replica.port(), deployment.reportedMaster());
      assertTrue(replica.command("ROLE").startsWith("master"));
      assertEquals("v", replica.command("GET", "k"), "replicated data survives");
      assertEquals("OK", replica.command("SET", "k", "w"), "the promoted replica takes writes");

      IllegalStateException second = assertThrows(IllegalStateException.class, deployment::failover);
      assertTrue(second.getMessage().contains("no running replica"), second.getMessage());
    }
    assertFalse(Files.exists(sentinelDir), "directories deleted on close");
  }

  @Test
  void threeSentinelsKnowEachOther() {
    try (RedisSentinel deployment = RedisSentinel.start("trio", 3)) {
      assertEquals(3, deployment.sentinelAddresses().size());
      Set<Integer> ports = new HashSet<>();
      for (RedisServer s : deployment.sentinels()) {
        ports.add(s.port());
        assertNotEquals(6379, s.port());
        String others = s.command("SENTINEL", "sentinels", "trio");
        assertEquals(2, others.split("\nrunid\n").length - 1, others);
        assertEquals("127.0.0.1\n" + deployment.master().port(),
            s.command("SENTINEL", "get-master-addr-by-name", "trio"));
      }
      assertEquals(3, ports.size());
    }
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> RedisSentinel.start("bad name"));
    assertThrows(IllegalArgumentException.class, () -> RedisSentinel.start("ok", 0));
  }
}
