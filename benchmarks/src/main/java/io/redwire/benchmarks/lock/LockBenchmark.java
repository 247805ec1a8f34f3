package io.redwire.benchmarks.lock;

import io.redwire.benchmarks.ServerPeer;
import io.redwire.runtime.Redwire;
import io.redwire.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.redis.jedis4.JedisLockProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.redisson.api.RedissonClient;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.integration.redis.util.RedisLockRegistry;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.SetParams;

/**
 * Distributed locks. {@code uncontended_*}: lock + unlock of a free lock, one thread (throughput and
 * latency). {@code handoff_*}: a holder and a waiter on two separate clients (two "instances"); the
 * measured time runs from the holder's unlock call to the waiter running with the lock (signalled
 * back through a latch, which adds a few microseconds to every peer alike). Run with one thread.
 *
 * <p>Redwire: the generated {@code RedwireBenchLocks} proxy of {@link BenchLocks} around a trivial
 * delegate. {@code uncontended_redwire} uses a fixed 30 s lease (as the floor's {@code PX 30000});
 * {@code uncontended_redwireWatchdog} has no lease, so every call also schedules and cancels the
 * watchdog's renewal task. {@code handoff_redwire}: holder and waiter are two proxies on two
 * {@code Redwire} instances with a client each; since a {@code @Locked} lock is held for the duration of
 * a method call on the caller's thread, the holder runs on a helper thread (see {@link RedwireHandoff}
 * for how the measured part still starts at the release).
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class LockBenchmark {

  /** A peer with its own server, and the Lettuce factory the Spring rows share. */
  abstract static class Peer extends ServerPeer {
    static LettuceConnectionFactory lettuce(RedisServer server) {
      LettuceConnectionFactory f =
          new LettuceConnectionFactory(new RedisStandaloneConfiguration(server.host(), server.port()));
      f.afterPropertiesSet();
      f.start();
      return f;
    }
  }

  // ---------------------------------------------------------------------------- uncontended

  /** Redisson {@code RLock.lock()} (watchdog lease) and {@code unlock()}. */
  @State(Scope.Benchmark)
  public static class RedissonLock extends Peer {
    RedissonClient redisson;
    Lock lock;

    @Override
    protected void open() {
      redisson = redisson(server);
      lock = redisson.getLock("lock:uncontended");
    }

    @Override
    protected void close() {
      redisson.shutdown();
    }
  }

  /** Spring Integration {@code RedisLockRegistry} with its defaults (spin lock, 60 s expiry) on Lettuce. */
  @State(Scope.Benchmark)
  public static class SpringIntegrationLock extends Peer {
    LettuceConnectionFactory factory;
    RedisLockRegistry registry;
    Lock lock;

    @Override
    protected void open() {
      factory = lettuce(server);
      registry = new RedisLockRegistry(factory, "bench");
      lock = registry.obtain("uncontended");
    }

    @Override
    protected void close() {
      registry.destroy();
      factory.destroy();
    }
  }

  /** ShedLock's Jedis provider ({@code SET NX PX}, release by {@code DEL}/{@code SET} of lockAtLeastFor). */
  @State(Scope.Benchmark)
  public static class ShedLock extends Peer {
    RedisClient jedis;
    JedisLockProvider provider;

    @Override
    protected void open() {
      jedis = RedisClient.create(server.host(), server.port());
      provider = new JedisLockProvider(jedis, "bench");
    }

    @Override
    protected void close() {
      jedis.close();
    }
  }

  /** The floor: {@code SET key token NX PX 30000}, then compare-and-delete by EVALSHA. */
  @State(Scope.Benchmark)
  public static class HandWritten extends Peer {
    static final String RELEASE =
        "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";
    static final byte[] KEY = "lock:uncontended".getBytes(StandardCharsets.UTF_8);
    static final SetParams PARAMS = SetParams.setParams().nx().px(30_000);
    RedisClient jedis;
    byte[] sha;

    @Override
    protected void open() {
      jedis = RedisClient.create(server.host(), server.port());
      sha = jedis.scriptLoad(RELEASE).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    protected void close() {
      jedis.close();
    }
  }

  /** The generated proxy on a Jedis {@code RedisClient}, as in the cache and rate-limit benchmarks. */
  @State(Scope.Benchmark)
  public static class RedwireLocks extends Peer {
    RedisClient jedis;
    Redwire redwire;
    BenchLocks locks;

    @Override
    protected void open() {
      jedis = RedisClient.create(server.host(), server.port());
      redwire = Redwire.builder().client(jedis).namespace("bench").build();
      locks = RedwireBenchLocks.wrap(new BenchLocks.Trivial(), redwire);
    }

    @Override
    protected void close() {
      redwire.close();
      jedis.close();
    }
  }

  /** Acquire script (SET NX PX + fencing token) and release script (compare, DEL, PUBLISH): 2 round trips. */
  @Benchmark
  public void uncontended_redwire(RedwireLocks peer, Blackhole bh) {
    bh.consume(peer.locks.fixedLease("uncontended"));
  }

  /** As {@link #uncontended_redwire}, plus scheduling the watchdog's renewal on acquire and cancelling it on release. */
  @Benchmark
  public void uncontended_redwireWatchdog(RedwireLocks peer, Blackhole bh) {
    bh.consume(peer.locks.watchdog("uncontended"));
  }

  @Benchmark
  public void uncontended_redisson(RedissonLock peer) {
    peer.lock.lock();
    peer.lock.unlock();
  }

  @Benchmark
  public void uncontended_springIntegration(SpringIntegrationLock peer) {
    peer.lock.lock();
    peer.lock.unlock();
  }

  @Benchmark
  public void uncontended_shedLock(ShedLock peer) {
    SimpleLock lock = peer.provider.lock(new LockConfiguration(Instant.now(), "uncontended",
        Duration.ofSeconds(30), Duration.ZERO)).orElseThrow();
    lock.unlock();
  }

  @Benchmark
  public Object uncontended_jedisHandWritten(HandWritten peer) {
    byte[] token = Long.toHexString(ThreadLocalRandom.current().nextLong()).getBytes(StandardCharsets.US_ASCII);
    if (!"OK".equals(peer.jedis.set(HandWritten.KEY, token, HandWritten.PARAMS))) {
      throw new IllegalStateException("lock was taken");
    }
    return peer.jedis.evalsha(peer.sha, 1, HandWritten.KEY, token);
  }

  // ---------------------------------------------------------------------------- hand-off

  /**
   * A holder lock (taken by the benchmark thread before each measured call, not timed) and a waiter
   * lock on another client, taken by a helper thread that is blocked in {@code lock()} when the
   * measured call starts.
   */
  abstract static class Handoff extends Peer {
    Lock holder;
    Lock waiter;
    private Thread thread;
    private final Semaphore go = new Semaphore(0);
    private final Semaphore release = new Semaphore(0);
    private final Semaphore released = new Semaphore(0);
    volatile CountDownLatch acquired;
    private volatile boolean running = true;

    @Override
    public void setUp() {
      super.setUp();
      thread = new Thread(() -> {
        try {
          while (running) {
            if (!go.tryAcquire(100, TimeUnit.MILLISECONDS)) {
              continue;
            }
            waiter.lock();
            acquired.countDown();
            release.acquire();
            waiter.unlock();
            released.release();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "handoff-waiter");
      thread.setDaemon(true);
      thread.start();
    }

    /** Holder takes the lock; the waiter starts waiting; give it 5 ms to block (subscribe / poll). */
    @Setup(Level.Invocation)
    public void arm() {
      holder.lock();
      acquired = new CountDownLatch(1);
      go.release();
      LockSupport.parkNanos(5_000_000);
    }

    /** The measured part: release, then wait until the waiter runs with the lock. */
    void handOff() throws InterruptedException {
      holder.unlock();
      if (!acquired.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the waiter never got the lock");
      }
    }

    @TearDown(Level.Invocation)
    public void disarm() throws InterruptedException {
      release.release();
      if (!released.tryAcquire(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the waiter never released the lock");
      }
    }

    @Override
    public void tearDown() {
      running = false;
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      super.tearDown();
    }
  }

  /** Redisson: two clients; the waiter is woken by the unlock's pub/sub message. */
  @State(Scope.Benchmark)
  public static class RedissonHandoff extends Handoff {
    RedissonClient a;
    RedissonClient b;

    @Override
    protected void open() {
      a = redisson(server);
      b = redisson(server);
      holder = a.getLock("lock:handoff");
      waiter = b.getLock("lock:handoff");
    }

    @Override
    protected void close() {
      a.shutdown();
      b.shutdown();
    }
  }

  /**
   * Spring Integration: two registries (each holds a JVM-local lock per key, so one registry would
   * hand off inside the JVM without Redis), each on its own Lettuce factory, in PUB_SUB_LOCK mode (the
   * default SPIN_LOCK mode polls every 100 ms).
   */
  @State(Scope.Benchmark)
  public static class SpringIntegrationHandoff extends Handoff {
    LettuceConnectionFactory fa;
    LettuceConnectionFactory fb;
    RedisLockRegistry ra;
    RedisLockRegistry rb;

    @Override
    protected void open() {
      fa = lettuce(server);
      fb = lettuce(server);
      ra = new RedisLockRegistry(fa, "bench");
      rb = new RedisLockRegistry(fb, "bench");
      ra.setRedisLockType(RedisLockRegistry.RedisLockType.PUB_SUB_LOCK);
      rb.setRedisLockType(RedisLockRegistry.RedisLockType.PUB_SUB_LOCK);
      holder = ra.obtain("handoff");
      waiter = rb.obtain("handoff");
    }

    @Override
    protected void close() {
      ra.destroy();
      rb.destroy();
      fa.destroy();
      fb.destroy();
    }
  }

  /**
   * Redwire: two {@code Redwire} instances, each on its own Jedis {@code RedisClient}, and a proxy on
   * each; the waiter (instance B) waits in {@code handoff} with {@code maxWait = 10s} and is woken by the
   * release's PUBLISH through B's shared pub/sub connection.
   *
   * <p>A {@code @Locked} lock is held while the method runs, on the calling thread, so the holder
   * cannot be the benchmark thread as in {@link Handoff}: a holder thread calls the holder proxy, whose
   * body reports "held" and then parks. Before each measured call (untimed) the holder takes the lock,
   * the waiter starts waiting and gets 5 ms to block, exactly as in {@link Handoff}; then the holder is
   * switched from parking to spinning on a volatile flag. The measured part sets that flag: the
   * holder's body returns at once (no thread wake-up, only the flag's cache-line transfer, well under a
   * microsecond), the proxy releases, and the time runs until the waiter signals the latch from inside
   * the lock, as for the peers. The spin lasts only from the end of the setup to the flag (microseconds),
   * and gives up with an error after 10 s.
   */
  @State(Scope.Benchmark)
  public static class RedwireHandoff extends Peer {
    static final String KEY = "handoff";
    static final long SPIN_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    RedisClient ja;
    RedisClient jb;
    Redwire ra;
    Redwire rb;
    BenchLocks holder;
    BenchLocks waiter;
    private Thread holderThread;
    private Thread waiterThread;
    private final Semaphore hold = new Semaphore(0);
    private final Semaphore held = new Semaphore(0);
    private final Semaphore spin = new Semaphore(0);
    private final Semaphore holderDone = new Semaphore(0);
    private final Semaphore go = new Semaphore(0);
    private final Semaphore release = new Semaphore(0);
    private final Semaphore released = new Semaphore(0);
    volatile CountDownLatch acquired;
    private volatile boolean spinning;
    private volatile boolean unlock;
    private volatile boolean running = true;

    @Override
    protected void open() {
      ja = RedisClient.create(server.host(), server.port());
      jb = RedisClient.create(server.host(), server.port());
      ra = Redwire.builder().client(ja).namespace("bench").build();
      rb = Redwire.builder().client(jb).namespace("bench").build();
      holder = RedwireBenchLocks.wrap(new BenchLocks.Trivial(), ra);
      waiter = RedwireBenchLocks.wrap(new BenchLocks.Trivial(), rb);
    }

    @Override
    public void setUp() {
      super.setUp();
      holderThread = loop("handoff-holder", hold, () -> holder.handoff(KEY, this::holdUntilUnlocked), holderDone);
      waiterThread = loop("handoff-waiter", go, () -> waiter.handoff(KEY, this::runAsWaiter), released);
    }

    /** A daemon thread that runs {@code body} each time {@code start} is released, then releases {@code done}. */
    private Thread loop(String name, Semaphore start, Runnable body, Semaphore done) {
      Thread t = new Thread(() -> {
        try {
          while (running) {
            if (start.tryAcquire(100, TimeUnit.MILLISECONDS)) {
              body.run();
              done.release();
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, name);
      t.setDaemon(true);
      t.start();
      return t;
    }

    /** The holder's body, inside the lock: report, park until armed, then spin until the measured call. */
    private void holdUntilUnlocked() {
      held.release();
      spin.acquireUninterruptibly();
      spinning = true;
      long started = System.nanoTime();
      while (!unlock) {
        Thread.onSpinWait();
        if (System.nanoTime() - started > SPIN_LIMIT_NANOS) {
          spinning = false;
          throw new IllegalStateException("the holder was never told to unlock");
        }
      }
      unlock = false;
      spinning = false;
    }

    /** The waiter's body, inside the lock: signal the benchmark thread, then hold until disarmed. */
    private void runAsWaiter() {
      acquired.countDown();
      release.acquireUninterruptibly();
    }

    /** Holder takes the lock; the waiter starts waiting and gets 5 ms to block; the holder starts spinning. */
    @Setup(Level.Invocation)
    public void arm() throws InterruptedException {
      hold.release();
      if (!held.tryAcquire(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the holder never got the lock");
      }
      acquired = new CountDownLatch(1);
      go.release();
      LockSupport.parkNanos(5_000_000);
      spin.release();
      long started = System.nanoTime();
      while (!spinning) {
        Thread.onSpinWait();
        if (System.nanoTime() - started > SPIN_LIMIT_NANOS) {
          throw new IllegalStateException("the holder never started spinning");
        }
      }
    }

    /** The measured part: let the holder's method return (the proxy releases), wait until the waiter runs. */
    void handOff() throws InterruptedException {
      unlock = true;
      if (!acquired.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the waiter never got the lock");
      }
    }

    @TearDown(Level.Invocation)
    public void disarm() throws InterruptedException {
      release.release();
      if (!released.tryAcquire(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the waiter never released the lock");
      }
      if (!holderDone.tryAcquire(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the holder's call never returned");
      }
    }

    @Override
    protected void close() {
      running = false;
      try {
        holderThread.join(5000);
        waiterThread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ra.close();
      rb.close();
      ja.close();
      jb.close();
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public void handoff_redwire(RedwireHandoff peer) throws InterruptedException {
    peer.handOff();
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public void handoff_redisson(RedissonHandoff peer) throws InterruptedException {
    peer.handOff();
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public void handoff_springIntegration(SpringIntegrationHandoff peer) throws InterruptedException {
    peer.handOff();
  }
}
