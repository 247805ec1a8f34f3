package io.redwire.benchmarks.events;

import io.redwire.runtime.Redwire;
import io.redwire.runtime.events.SubscribeOptions;
import io.redwire.runtime.events.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.redisson.Redisson;
import org.redisson.api.RStream;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.api.stream.StreamCreateGroupArgs;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamReadGroupArgs;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettucePoolingClientConfiguration;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.data.redis.stream.StreamMessageListenerContainer;
import org.springframework.data.redis.stream.StreamMessageListenerContainer.StreamMessageListenerContainerOptions;

/**
 * The peers of {@link EventsBench}: one publisher and one listener of one library, on the same
 * server, with fresh keys per run. Every listener calls {@link Sink#received} first thing in its
 * handler (before the acknowledgement), with the sequence number and scheduled time from the payload.
 *
 * <p>Durable (a stream and a consumer group, each event acknowledged after the handler):
 *
 * <ul>
 *   <li>{@code redwire}: the generated {@code RedwireTicks} proxy ({@code @Publishes(channel = "ticks")}:
 *       one {@code XADD} with the envelope and approximate {@code MINID} trimming) and {@code
 *       RedwireTickListener.subscribe} ({@code @Subscribes}, annotation defaults: concurrency 1) on one
 *       {@code Redwire} (Jedis {@code RedisClient}, pool of 8);
 *   <li>{@code redwire-c4}: the same with {@code SubscribeOptions.DEFAULTS.concurrency(4)};
 *   <li>{@code spring}: Spring Data Redis {@code StringRedisTemplate.opsForStream().add(key, map)} and a
 *       {@code StreamMessageListenerContainer} with its default options (String serializers, 2 s poll
 *       timeout, no batch size) and {@code receive(...)} (manual acks): the listener acknowledges each
 *       record with {@code opsForStream().acknowledge(group, record)}; one {@code
 *       LettuceConnectionFactory} for both (not pooled, its default: the container's blocking reads
 *       then take a dedicated connection per poll);
 *   <li>{@code spring-pooled}: the same on a pooled factory ({@code
 *       LettucePoolingClientConfiguration.defaultConfiguration()}: commons-pool2, 8 connections);
 *   <li>{@code redisson}: {@code RStream<String, String>} with {@code StringCodec}: {@code add(StreamAddArgs
 *       .entries(map))}; a consumer thread loops over {@code readGroup(group, consumer,
 *       neverDelivered().count(100).timeout(500 ms))} and acknowledges each batch with one {@code ack(group,
 *       ids...)}; one {@code RedissonClient} (defaults) for both.
 * </ul>
 *
 * <p>Pub/sub (at most once): {@code redwire}: {@code @Publishes(durable = false)} ({@code PUBLISH} of the
 * envelope) and {@code @Subscribes(durable = false)} (the shared subscriber connection hands each message
 * to the listener's one handler thread); {@code spring}: {@code convertAndSend} and a {@code
 * RedisMessageListenerContainer} with its defaults (its default executor starts a thread per message);
 * {@code redisson}: {@code RTopic} with {@code StringCodec}, {@code publish} and {@code addListener}.
 * The peers' payloads are their cheapest form (two String fields, or {@code "seq:at"}); Redwire's
 * carries its envelope (event id, publish time, fingerprinted binary payload).
 */
final class EventPeers {

  private EventPeers() {}

  /** Where a listener reports an event, first thing in its handler. */
  interface Sink {
    void received(long seq, long at, long sent);
  }

  /** A publisher and a listener of one library. */
  abstract static class Peer implements AutoCloseable {
    /** Connects, creates the group if any, and starts the listener. */
    abstract void start(Sink sink);

    /** Publishes one event, synchronously (returns when the server answered); thread-safe. */
    abstract void publish(long seq, long at, long sent);

    @Override
    public abstract void close();
  }

  /** The peers' stream entry: three String fields. */
  static Map<String, String> fields(long seq, long at, long sent) {
    return Map.of("seq", Long.toString(seq), "at", Long.toString(at), "sent", Long.toString(sent));
  }

  /** Where the server is (the fixture's, or a counting proxy in front of it). */
  record Server(String host, int port) {
    String uri() {
      return "redis://" + host + ":" + port;
    }
  }

  static final List<String> STREAM = List.of("redwire", "redwire-c4", "spring", "spring-pooled", "redisson");
  static final List<String> PUBSUB = List.of("redwire", "spring", "redisson");

  static Peer create(String kind, String name, Server server, int run) {
    boolean durable = !kind.equals("pubsub");
    String ns = "ev" + run;
    return switch (name) {
      case "redwire" -> durable ? new RedwireStream(server, ns, 0) : new RedwirePubSub(server, ns);
      case "redwire-c4" -> {
        if (!durable) {
          throw new IllegalArgumentException("redwire-c4 is a durable peer");
        }
        yield new RedwireStream(server, ns, 4);
      }
      case "spring" -> durable ? new SpringStream(server, ns, false) : new SpringPubSub(server, ns);
      case "spring-pooled" -> {
        if (!durable) {
          throw new IllegalArgumentException("spring-pooled is a durable peer");
        }
        yield new SpringStream(server, ns, true);
      }
      case "redisson" -> durable ? new RedissonStream(server, ns) : new RedissonPubSub(server, ns);
      default -> throw new IllegalArgumentException("unknown peer " + name);
    };
  }

  // ------------------------------------------------------------------------------------- Redwire

  static final class RedwireStream extends Peer {
    private final Server server;
    private final String ns;
    private final int concurrency;
    private Redwire redwire;
    private Ticks ticks;
    private Subscription subscription;

    RedwireStream(Server server, String ns, int concurrency) {
      this.server = server;
      this.ns = ns;
      this.concurrency = concurrency;
    }

    @Override
    void start(Sink sink) {
      redwire = Redwire.builder().uri(server.uri()).namespace(ns).build();
      ticks = RedwireTicks.wrap(new Ticks.Nothing(), redwire);
      TickListener listener = t -> sink.received(t.seq(), t.at(), t.sent());
      subscription = concurrency > 0
          ? RedwireTickListener.subscribe(listener, redwire, SubscribeOptions.DEFAULTS.concurrency(concurrency))
          : RedwireTickListener.subscribe(listener, redwire);
    }

    @Override
    void publish(long seq, long at, long sent) {
      ticks.tick(new Ticks.Tick(seq, at, sent));
    }

    @Override
    public void close() {
      if (subscription != null) {
        subscription.close();
      }
      if (redwire != null) {
        redwire.close();
      }
    }
  }

  static final class RedwirePubSub extends Peer {
    private final Server server;
    private final String ns;
    private Redwire redwire;
    private Ticks ticks;
    private Subscription subscription;

    RedwirePubSub(Server server, String ns) {
      this.server = server;
      this.ns = ns;
    }

    @Override
    void start(Sink sink) {
      redwire = Redwire.builder().uri(server.uri()).namespace(ns).build();
      ticks = RedwireTicks.wrap(new Ticks.Nothing(), redwire);
      subscription = RedwireFlashListener.subscribe(t -> sink.received(t.seq(), t.at(), t.sent()), redwire);
    }

    @Override
    void publish(long seq, long at, long sent) {
      ticks.flash(new Ticks.Tick(seq, at, sent));
    }

    @Override
    public void close() {
      if (subscription != null) {
        subscription.close();
      }
      if (redwire != null) {
        redwire.close();
      }
    }
  }

  // -------------------------------------------------------------------------------------- Spring

  static LettuceConnectionFactory lettuce(Server server, boolean pooled) {
    RedisStandaloneConfiguration standalone = new RedisStandaloneConfiguration(server.host(), server.port());
    LettuceConnectionFactory factory = pooled
        ? new LettuceConnectionFactory(standalone, LettucePoolingClientConfiguration.defaultConfiguration())
        : new LettuceConnectionFactory(standalone);
    factory.afterPropertiesSet();
    factory.start();
    return factory;
  }

  static final class SpringStream extends Peer {
    private final Server server;
    private final String key;
    private LettuceConnectionFactory factory;
    private StringRedisTemplate template;
    private StreamMessageListenerContainer<String, MapRecord<String, String, String>> container;

    private final boolean pooled;

    SpringStream(Server server, String ns, boolean pooled) {
      this.server = server;
      this.pooled = pooled;
      this.key = ns + ":spring:ticks";
    }

    @Override
    void start(Sink sink) {
      factory = lettuce(server, pooled);
      template = new StringRedisTemplate(factory);
      template.execute(connection -> connection.streamCommands().xGroupCreate(
          key.getBytes(StandardCharsets.UTF_8), "bench", ReadOffset.from("0-0"), true), true);
      container = StreamMessageListenerContainer.create(factory, StreamMessageListenerContainerOptions.builder()
          .build());
      container.receive(Consumer.from("bench", "c1"), StreamOffset.create(key, ReadOffset.lastConsumed()),
          record -> {
            Map<String, String> v = record.getValue();
            sink.received(Long.parseLong(v.get("seq")), Long.parseLong(v.get("at")), Long.parseLong(v.get("sent")));
            template.opsForStream().acknowledge("bench", record);
          });
      container.start();
    }

    @Override
    void publish(long seq, long at, long sent) {
      template.opsForStream().add(key, fields(seq, at, sent));
    }

    @Override
    public void close() {
      if (container != null) {
        container.stop();
      }
      if (factory != null) {
        factory.destroy();
      }
    }
  }

  static final class SpringPubSub extends Peer {
    private final Server server;
    private final String channel;
    private LettuceConnectionFactory factory;
    private StringRedisTemplate template;
    private RedisMessageListenerContainer container;

    SpringPubSub(Server server, String ns) {
      this.server = server;
      this.channel = ns + ":spring:flash";
    }

    @Override
    void start(Sink sink) {
      factory = lettuce(server, false);
      template = new StringRedisTemplate(factory);
      container = new RedisMessageListenerContainer();
      container.setConnectionFactory(factory);
      container.addMessageListener((message, pattern) -> {
        String m = new String(message.getBody(), StandardCharsets.US_ASCII);
        int c1 = m.indexOf(':');
        int c2 = m.indexOf(':', c1 + 1);
        sink.received(Long.parseLong(m, 0, c1, 10), Long.parseLong(m, c1 + 1, c2, 10),
            Long.parseLong(m, c2 + 1, m.length(), 10));
      }, new ChannelTopic(channel));
      container.afterPropertiesSet();
      container.start();
    }

    @Override
    void publish(long seq, long at, long sent) {
      template.convertAndSend(channel, seq + ":" + at + ":" + sent);
    }

    @Override
    public void close() {
      if (container != null) {
        try {
          container.destroy();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
      if (factory != null) {
        factory.destroy();
      }
    }
  }

  // ------------------------------------------------------------------------------------ Redisson

  /** A Redisson client with its defaults, as {@code ServerPeer.redisson}. */
  static RedissonClient redisson(Server server) {
    Config config = new Config();
    config.useSingleServer().setAddress(server.uri());
    return Redisson.create(config);
  }

  static final class RedissonStream extends Peer {
    private final Server server;
    private final String key;
    private RedissonClient redisson;
    private RStream<String, String> stream;
    private Thread consumer;
    private volatile boolean running = true;

    RedissonStream(Server server, String ns) {
      this.server = server;
      this.key = ns + ":redisson:ticks";
    }

    @Override
    void start(Sink sink) {
      redisson = redisson(server);
      stream = redisson.getStream(key, StringCodec.INSTANCE);
      stream.createGroup(StreamCreateGroupArgs.name("bench").id(StreamMessageId.ALL).makeStream());
      consumer = new Thread(() -> {
        while (running) {
          Map<StreamMessageId, Map<String, String>> read;
          try {
            read = stream.readGroup("bench", "c1",
                StreamReadGroupArgs.neverDelivered().count(100).timeout(Duration.ofMillis(500)));
          } catch (RuntimeException e) {
            if (running) {
              System.err.println("redisson readGroup: " + e);
            }
            continue;
          }
          if (read == null || read.isEmpty()) {
            continue;
          }
          List<StreamMessageId> ids = new ArrayList<>(read.size());
          for (Map.Entry<StreamMessageId, Map<String, String>> e : read.entrySet()) {
            Map<String, String> v = e.getValue();
            sink.received(Long.parseLong(v.get("seq")), Long.parseLong(v.get("at")), Long.parseLong(v.get("sent")));
            ids.add(e.getKey());
          }
          stream.ack("bench", ids.toArray(new StreamMessageId[0]));
        }
      }, "redisson-stream-consumer");
      consumer.setDaemon(true);
      consumer.start();
    }

    @Override
    void publish(long seq, long at, long sent) {
      stream.add(StreamAddArgs.entries(fields(seq, at, sent)));
    }

    @Override
    public void close() {
      running = false;
      if (consumer != null) {
        try {
          consumer.join(2_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (redisson != null) {
        redisson.shutdown();
      }
    }
  }

  static final class RedissonPubSub extends Peer {
    private final Server server;
    private final String channel;
    private RedissonClient redisson;
    private RTopic topic;

    RedissonPubSub(Server server, String ns) {
      this.server = server;
      this.channel = ns + ":redisson:flash";
    }

    @Override
    void start(Sink sink) {
      redisson = redisson(server);
      topic = redisson.getTopic(channel, StringCodec.INSTANCE);
      topic.addListener(String.class, (ch, m) -> {
        int c1 = m.indexOf(':');
        int c2 = m.indexOf(':', c1 + 1);
        sink.received(Long.parseLong(m, 0, c1, 10), Long.parseLong(m, c1 + 1, c2, 10),
            Long.parseLong(m, c2 + 1, m.length(), 10));
      });
    }

    @Override
    void publish(long seq, long at, long sent) {
      topic.publish(seq + ":" + at + ":" + sent);
    }

    @Override
    public void close() {
      if (redisson != null) {
        redisson.shutdown();
      }
    }
  }
}
