package io.redwire.it;

import io.redwire.testing.RedisSentinel;
import java.util.HashSet;
import java.util.Set;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisSentinelClient;

/** Jedis' Sentinel client for a fixture deployment, as the Sentinel tests build it. */
public final class Sentinels {

  private Sentinels() {}

  /**
   * A client of {@code deployment}'s master through its sentinels: 500 ms to connect, {@code
   * socketMillis} to wait for a reply.
   */
  public static RedisSentinelClient client(RedisSentinel deployment, int socketMillis) {
    Set<HostAndPort> sentinels = new HashSet<>();
    for (String address : deployment.sentinelAddresses()) {
      sentinels.add(HostAndPort.from(address));
    }
    return RedisSentinelClient.builder()
        .masterName(deployment.masterName())
        .sentinels(sentinels)
        .clientConfig(DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(500)
            .socketTimeoutMillis(socketMillis)
            .build())
        .build();
  }
}
