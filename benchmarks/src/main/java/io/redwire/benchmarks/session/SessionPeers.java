package io.redwire.benchmarks.session;

import io.redwire.benchmarks.ServerPeer;
import io.redwire.runtime.Redwire;
import io.redwire.runtime.session.SessionStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.data.redis.serializer.SerializationException;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.data.redis.RedisSessionRepository;

/**
 * The peers of {@link SessionBenchmark}, each on its own redis-server. A typical request reads three
 * fields, adds one to a counter and slides the idle TTL; every thread works on its own session (its
 * own visitor), created on the thread's first request.
 */
public final class SessionPeers {

  private SessionPeers() {}

  /** One request through a peer; returns the visits read, so nothing is optimised away. */
  public interface Peer {
    long request();
  }

  /** A Redwire peer: its own {@code Redwire} on the peer's server. */
  abstract static class RedwireBase extends ServerPeer implements Peer {
    Redwire redwire;
    final ThreadLocal<String> ids = new ThreadLocal<>();

    @Override
    protected void open() {
      connect(server.uri());
    }

    void connect(String uri) {
      redwire = Redwire.builder().uri(uri).namespace("bench").startupCheck(false).build();
      stores();
    }

    /** Builds the peer's session store on {@link #redwire}. */
    abstract void stores();

    @Override
    protected void close() {
      redwire.close();
    }
  }

  /**
   * Redwire: {@code store.view(id)} (no I/O) and {@code addVisits(1)} returning the {@code Request}
   * record (one script adds to the counter, reads the three fields and slides the TTL): one round trip.
   */
  @State(Scope.Benchmark)
  public static class RedwirePeer extends RedwireBase {
    SessionStore<BenchSession> store;

    public RedwirePeer() {}

    RedwirePeer(String uri) {
      connect(uri);
    }

    @Override
    void stores() {
      store = RedwireBenchSession.store(redwire);
    }

    @Override
    public long request() {
      String id = ids.get();
      if (id == null) {
        BenchSession s = store.create();
        s.userId("user-" + Thread.currentThread().getId());
        s.locale("en-GB");
        id = s.id();
        ids.set(id);
      }
      BenchSession.Request r = store.view(id).addVisits(1);
      return r.visits() + r.userId().length() + r.locale().length();
    }
  }

  /**
   * Redwire as two calls: {@code store.view(id)} (no I/O), the {@code Request} record view (one script
   * reads the three fields and slides the TTL) and {@code addVisits(1)} answering the new value (one
   * script): two round trips.
   */
  @State(Scope.Benchmark)
  public static class RedwireTwoCallsPeer extends RedwireBase {
    SessionStore<BenchSessionTwoCalls> store;

    public RedwireTwoCallsPeer() {}

    RedwireTwoCallsPeer(String uri) {
      connect(uri);
    }

    @Override
    void stores() {
      store = RedwireBenchSessionTwoCalls.store(redwire);
    }

    @Override
    public long request() {
      String id = ids.get();
      if (id == null) {
        BenchSessionTwoCalls s = store.create();
        s.userId("user-" + Thread.currentThread().getId());
        s.locale("en-GB");
        id = s.id();
        ids.set(id);
      }
      BenchSessionTwoCalls session = store.view(id);
      BenchSessionTwoCalls.Request r = session.request();
      session.addVisits(1);
      return r.visits() + r.userId().length() + r.locale().length();
    }
  }

  /**
   * Spring Session Data Redis, {@code RedisSessionRepository} on a {@code RedisTemplate} over Lettuce
   * (Spring Data Redis' default client): {@code findById} ({@code HGETALL}), three
   * {@code getAttribute}, {@code setLastAccessedTime} (what {@code SessionRepositoryFilter} does on
   * every request, sliding the TTL), {@code setAttribute}, and {@code save} ({@code EXISTS},
   * {@code HMSET}, {@code PEXPIREAT}).
   */
  abstract static class SpringPeer extends ServerPeer implements Peer {
    LettuceConnectionFactory factory;
    /** The repository through its public interface (its session class is package-private). */
    SessionRepository<Session> repository;
    final ThreadLocal<String> ids = new ThreadLocal<>();

    /** The serializer of hash values (session attributes); null: the template's default (JDK serialization). */
    abstract RedisSerializer<Object> values();

    void connect(String host, int port) {
      factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(host, port));
      factory.afterPropertiesSet();
      factory.start();
      RedisTemplate<String, Object> template = new RedisTemplate<>();
      template.setConnectionFactory(factory);
      template.setKeySerializer(RedisSerializer.string());
      template.setHashKeySerializer(RedisSerializer.string());
      if (values() != null) {
        template.setHashValueSerializer(values());
        template.setValueSerializer(values());
      }
      template.afterPropertiesSet();
      @SuppressWarnings({"unchecked", "rawtypes"})
      SessionRepository<Session> repo = (SessionRepository) new RedisSessionRepository(template);
      repository = repo;
    }

    @Override
    protected void open() {
      connect(server.host(), server.port());
    }

    @Override
    public long request() {
      String id = ids.get();
      if (id == null) {
        Session s = repository.createSession();
        s.setAttribute("visits", 0L);
        s.setAttribute("userId", "user-" + Thread.currentThread().getId());
        s.setAttribute("locale", "en-GB");
        repository.save(s);
        id = s.getId();
        ids.set(id);
      }
      Session session = repository.findById(id);
      session.setLastAccessedTime(Instant.now());
      long visits = session.<Long>getAttribute("visits");
      String userId = session.getAttribute("userId");
      String locale = session.getAttribute("locale");
      session.setAttribute("visits", visits + 1);
      repository.save(session);
      return visits + userId.length() + locale.length();
    }

    @Override
    protected void close() {
      factory.destroy();
    }
  }

  /** Spring Session with its defaults: attribute values in JDK serialization. */
  @State(Scope.Benchmark)
  public static class SpringDefaultPeer extends SpringPeer {
    public SpringDefaultPeer() {}

    @Override
    RedisSerializer<Object> values() {
      return null;
    }
  }

  /**
   * Spring Session with a small non-JDK serializer for the attribute values (a type letter and text:
   * cheaper than any JSON mapper), Spring's best case for serialization.
   */
  @State(Scope.Benchmark)
  public static class SpringTextPeer extends SpringPeer {
    public SpringTextPeer() {}

    @Override
    RedisSerializer<Object> values() {
      return TEXT;
    }
  }

  /** Long, Instant-as-millis and String values as one type letter and their text. */
  static final RedisSerializer<Object> TEXT = new RedisSerializer<>() {
    @Override
    public byte[] serialize(Object value) {
      if (value == null) {
        return null;
      }
      String text = value instanceof Long l ? "L" + l
          : value instanceof Integer i ? "I" + i
          : value instanceof String s ? "S" + s
          : null;
      if (text == null) {
        throw new SerializationException("unsupported attribute type " + value.getClass());
      }
      return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Object deserialize(byte[] bytes) {
      if (bytes == null) {
        return null;
      }
      String text = new String(bytes, StandardCharsets.UTF_8);
      return switch (text.charAt(0)) {
        case 'L' -> Long.parseLong(text.substring(1));
        case 'I' -> Integer.parseInt(text.substring(1));
        case 'S' -> text.substring(1);
        default -> throw new SerializationException("unknown type letter " + text.charAt(0));
      };
    }
  };
}
