package io.redwire.it.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.runtime.CountingMetrics;
import io.redwire.runtime.Redwire;
import io.redwire.runtime.queue.QueueCounts;
import io.redwire.runtime.queue.WorkOptions;
import io.redwire.runtime.queue.Worker;
import io.redwire.testing.Await;
import io.redwire.testing.RedisCluster;
import io.redwire.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClusterClient;

/**
 * Job queues on a three-master Redis Cluster: every script of a queue (enqueue with a unique key,
 * promotion, ack with the unique key's release, dead letters) runs on the queue's one slot, and the
 * delayed jobs' wake-up travels over classic pub/sub.
 */
class QueueClusterTest {

  static RedisCluster cluster;

  @BeforeAll
  static void startCluster() {
    cluster = RedisCluster.start(3);
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  static RedisClusterClient client(int seed) {
    RedisServer node = cluster.nodes().get(seed % 3);
    return RedisClusterClient.builder().nodes(Set.of(new HostAndPort(node.host(), node.port()))).build();
  }

  @Test
  void immediateDelayedUniqueAndDeadJobsOnACluster() {
    List<RedisClusterClient> clients = new ArrayList<>();
    List<Redwire> redwires = new ArrayList<>();
    List<Worker> workers = new ArrayList<>();
    try {
      CountingMetrics metrics = new CountingMetrics();
      for (int i = 0; i < 3; i++) {
        clients.add(client(i));
        redwires.add(Redwire.builder().client(clients.get(i)).namespace("qcl").metrics(metrics).build());
      }
      Set<String> sent = ConcurrentHashMap.newKeySet();
      Mailer handler = new Mailer() {
        @Override
        public void confirmation(String orderId, Duration after) {
          if (orderId.startsWith("bad")) {
            throw new IllegalStateException("mailbox full");
          }
          sent.add(orderId);
        }

        @Override
        public void reminder(String orderId, int times) {
          sent.add("reminder:" + orderId);
        }
      };
      Mailer client = RedwireMailer.client(redwires.get(2));
      for (int i = 0; i < 200; i++) {
        client.confirmation("o" + i, i % 4 == 0 ? Duration.ofMillis(300) : null);
      }
      client.reminder("r1", 1);
      client.reminder("r1", 2); // pending (no worker yet): dropped
      client.confirmation("bad-1", null);
      for (int i = 0; i < 2; i++) {
        workers.add(RedwireMailer.work(handler, redwires.get(i), WorkOptions.concurrency(2)
            .consumer("node-" + i)));
      }
      Await.until(Duration.ofSeconds(30), () -> sent.size() == 201
          && RedwireMailer.admin(redwires.get(2)).counts().equals(new QueueCounts(0, 0, 0, 1)),
          () -> sent.size() + " of 201, " + RedwireMailer.admin(redwires.get(2)).counts());
      assertEquals(1, metrics.count("jobDuplicate", "mail"));
      assertTrue(metrics.count("jobPromoted", "mail") >= 50, metrics.toString());
      assertTrue(RedwireMailer.admin(redwires.get(2)).retryAll() == 1);
      Await.until(Duration.ofSeconds(10), () -> metrics.count("jobDead", "mail") == 2,
          () -> "the retried job died again: " + metrics);
      client.reminder("r1", 3); // the first one is done: its unique key was released
      Await.until(Duration.ofSeconds(10), () -> metrics.count("jobEnqueued", "mail") == 203,
          () -> metrics.toString());
    } finally {
      workers.forEach(Worker::close);
      redwires.forEach(Redwire::close);
      clients.forEach(RedisClusterClient::close);
    }
  }
}
