package io.redwire.it.session;

import io.redwire.runtime.CountingMetrics;
import io.redwire.runtime.Redwire;
import io.redwire.testing.RedisCluster;
import io.redwire.testing.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * The session contract on a 3-master Redis Cluster: sessions spread over the masters, rotation is a
 * same-slot RENAME, user indexes live in their own slots.
 */
class SessionClusterTest extends SessionContract {

  static RedisCluster cluster;
  static RedisClusterClient plain;
  final List<RedisClusterClient> clients = new ArrayList<>();

  @BeforeAll
  static void startCluster() {
    cluster = RedisCluster.start(3);
    plain = client(cluster.nodes().get(0));
  }

  @AfterAll
  static void stopCluster() {
    plain.close();
    cluster.close();
  }

  @AfterEach
  void closeClients() {
    clients.forEach(RedisClusterClient::close);
  }

  static RedisClusterClient client(RedisServer seed) {
    return RedisClusterClient.builder().nodes(Set.of(new HostAndPort(seed.host(), seed.port()))).build();
  }

  @Override
  Redwire newRedwire(CountingMetrics metrics) {
    // seeded with a different node each time: the instances do not share a view of the cluster
    RedisClusterClient c = client(cluster.nodes().get(clients.size() % 3));
    clients.add(c);
    return Redwire.builder().client(c).namespace(namespace).metrics(metrics).build();
  }

  @Override
  UnifiedJedis raw() {
    return plain;
  }
}
