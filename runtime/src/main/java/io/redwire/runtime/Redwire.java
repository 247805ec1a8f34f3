package io.redwire.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import io.redwire.runtime.key.Keys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.UnifiedJedis;

/**
 * The runtime that generated proxies call: one Jedis client, the key namespace, run-time overrides
 * of compiled TTLs, limits and leases, the metrics listener and a small background executor.
 *
 * <p>Create one per application (or per Redis deployment) and share it; it is thread-safe.
 *
 * <pre>{@code
 * Redwire redwire = Redwire.connect("redis://:secret@cache.internal:6379/0");
 * Redwire redwire = Redwire.builder()
 *     .client(RedisClusterClient.builder().nodes(nodes).build()) // yours: Redwire won't close it
 *     .namespace("shop-prod")
 *     .ttl("product", Duration.ofMinutes(2))                    // overrides @Cached(ttl = ...)
 *     .build();
 * }</pre>
 *
 * <p>Every key Redwire writes starts with {@code <namespace>:<kind>:<name>:} ({@link #prefix}).
 */
public final class Redwire implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Redwire.class);

  /** The namespace used when none is configured. */
  public static final String DEFAULT_NAMESPACE = "redwire";

  /** Connect timeout when neither the builder nor the URI sets one. */
  static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
  /** Socket (read) timeout when neither the builder nor the URI sets one. */
  static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(2);
  /**
   * Connections a {@code Redwire} built from a URI opens at most (Jedis' pool default is 8); a caller
   * that finds them all busy waits at most the socket timeout for one, then fails as an outage would.
   */
  static final int MAX_CONNECTIONS = 32;
  /** Threads that renew lock leases; they never run user code. */
  private static final int RENEWAL_THREADS = 1;
  /** Threads for background work that may run user code (refreshes, retries). */
  private static final int WORKER_THREADS = 4;
  /** Tasks that may wait for a worker; more are refused (the caller skips the background work). */
  private static final int WORKER_QUEUE = 1024;
  /** How long {@link #close()} lets the background work already queued finish. */
  private static final long CLOSE_DRAIN_MILLIS = 2_000;

  private final UnifiedJedis client;
  private final boolean ownsClient;
  private final String namespace;
  private final Map<String, Duration> ttls;
  private final Map<String, Limit> limits;
  private final Map<String, Duration> leases;
  private final RedwireMetrics metrics;
  private final boolean cluster;
  /** The socket timeout of the client Redwire built; null for a client it was given. */
  private final Duration socketTimeout;
  private final CircuitBreaker breaker;
  private final Duration pubSubPingInterval;
  private final Duration pubSubPongTimeout;
  private final ConcurrentHashMap<String, Object> shared = new ConcurrentHashMap<>();
  /** Name -> every claim of it (kind, shape, owner); guarded by itself. */
  private final Map<String, List<Claim>> claims = new HashMap<>();

  private final Object lock = new Object();
  private final List<AutoCloseable> closeables = new ArrayList<>(); // guarded by lock
  private volatile ScheduledExecutorService renewals; // created under lock
  private volatile ThreadPoolExecutor workers; // created under lock
  private volatile boolean closed; // written under lock
  /** Set by the first {@link #close()} while it lets the queued background work finish. */
  private boolean draining; // guarded by lock

  private Redwire(Builder b, UnifiedJedis client, boolean ownsClient, Duration socketTimeout) {
    this.client = client;
    this.ownsClient = ownsClient;
    this.socketTimeout = socketTimeout;
    this.namespace = b.namespace;
    this.ttls = Map.copyOf(b.ttls);
    this.limits = Map.copyOf(b.limits);
    this.leases = Map.copyOf(b.leases);
    this.metrics = b.metrics;
    this.cluster = isClusterClient(client);
    this.pubSubPingInterval = b.pubSubPingInterval;
    this.pubSubPongTimeout = b.pubSubPongTimeout;
    RedwireMetrics m = b.metrics;
    this.breaker = new CircuitBreaker(b.breakerThreshold, b.breakerCoolDown.toNanos(),
        new CircuitBreaker.Listener() {
          @Override
          public void opened() {
            m.circuitOpened("redis");
            log.warn("Redis failed {} times in a row; skipping it for {} ms", b.breakerThreshold,
                b.breakerCoolDown.toMillis());
          }

          @Override
          public void closed() {
            m.circuitClosed("redis");
            log.info("Redis answers again; using it again");
          }
        });
  }

  /**
   * Connects to one Redis server: {@code redis://[[user]:password@]host[:port][/db][?options]}, or
   * {@code rediss://...} for TLS (verified against the JVM's trust store). The port defaults to 6379
   * and the database to 0; percent-encode special characters in the user and password. Options:
   * {@code connectTimeout} and {@code socketTimeout}, each a duration such as {@code 500ms}, {@code
   * 2s}, {@code 1m}, {@code PT2S} or a number of milliseconds (default 2 s each), e.g. {@code
   * redis://cache:6379/0?connectTimeout=500ms&socketTimeout=1s}. The returned Redwire owns the
   * client and closes it.
   *
   * <p>Opens one connection before it returns, bounded by the connect timeout, and fails at once on
   * errors no retry can fix: a wrong user or password, a password missing for a server that requires
   * one, an unknown database, a TLS handshake that fails. A server that is down or does not answer
   * is not such an error: this returns within the connect timeout (a warning is logged) and the
   * declared failure policies apply until the server answers.
   *
   * @throws IllegalArgumentException for another scheme or a malformed URI (the message never
   *     contains the password)
   * @throws IllegalStateException when the server refuses the connection for good (the message
   *     names the cause, never the password)
   */
  public static Redwire connect(String uri) {
    return builder().uri(uri).build();
  }

  /** A builder; set exactly one of {@link Builder#client} and {@link Builder#uri}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The Jedis client every pattern uses. */
  public UnifiedJedis client() {
    return client;
  }

  /**
   * The socket (read) timeout of the client: the one Redwire built it with from a URI, or, for a client
   * it was given, the one {@link Builder#socketTimeout} declared for it; empty for a given client whose
   * timeout was not declared (Jedis does not tell). Blocking reads sent in a pipeline (which Jedis does
   * not exempt from the socket timeout) stay below it.
   */
  public java.util.Optional<Duration> socketTimeout() {
    return java.util.Optional.ofNullable(socketTimeout);
  }

  /** The first segment of every key. */
  public String namespace() {
    return namespace;
  }

  /** The metrics listener ({@link RedwireMetrics#NONE} unless configured). */
  public RedwireMetrics metrics() {
    return metrics;
  }

  /** Whether the client talks to a Redis Cluster ({@link RedisClusterClient} or {@link JedisCluster}). */
  public boolean isCluster() {
    return cluster;
  }

  /** How often the shared pub/sub connection is sent a PING (see {@link Builder#pubSubHealthCheck}). */
  public Duration pubSubPingInterval() {
    return pubSubPingInterval;
  }

  /** How long the shared pub/sub connection may stay silent before it is replaced. */
  public Duration pubSubPongTimeout() {
    return pubSubPongTimeout;
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  /** The operator's TTL override for {@code name}, else {@code compiled}. */
  public Duration ttl(String name, Duration compiled) {
    Duration override = ttls.get(name);
    return override != null ? override : compiled;
  }

  /** The operator's rate limit override for {@code name}, else {@code compiled}. */
  public Limit limit(String name, Limit compiled) {
    Limit override = limits.get(name);
    return override != null ? override : compiled;
  }

  /** The operator's lock lease override for {@code name}, else {@code compiled}. */
  public Duration lease(String name, Duration compiled) {
    Duration override = leases.get(name);
    return override != null ? override : compiled;
  }

  /**
   * The scheduler that renews lock leases (and runs Redwire's own short Redis calls on timers): one
   * daemon thread named {@code redwire-renewal-N}, created on first use and shut down by {@link
   * #close()}. It never runs user code, so slow delegates can never delay a renewal.
   *
   * @throws IllegalStateException after {@link #close()}
   */
  public ScheduledExecutorService renewals() {
    ScheduledExecutorService r = renewals;
    if (r != null && !closed) {
      return r;
    }
    synchronized (lock) {
      ensureOpen();
      if (renewals == null) {
        ScheduledThreadPoolExecutor executor =
            new ScheduledThreadPoolExecutor(RENEWAL_THREADS, new Threads("redwire-renewal-"));
        executor.setRemoveOnCancelPolicy(true);
        renewals = executor;
      }
      return renewals;
    }
  }

  /**
   * The bounded pool for background work that may run user code: early cache refreshes, retries.
   * Up to 4 daemon threads named {@code redwire-worker-N} and a queue of 1024 tasks; beyond that
   * {@code execute} throws {@link java.util.concurrent.RejectedExecutionException} and the caller
   * skips the work. Tasks must never block a thread waiting on a future: chain on it instead.
   *
   * @throws IllegalStateException after {@link #close()}
   */
  public Executor workers() {
    ThreadPoolExecutor w = workers;
    if (w != null && !closed) {
      return w;
    }
    synchronized (lock) {
      ensureOpen();
      if (workers == null) {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(WORKER_THREADS, WORKER_THREADS, 30,
            TimeUnit.SECONDS, new ArrayBlockingQueue<>(WORKER_QUEUE), new Threads("redwire-worker-"));
        executor.allowCoreThreadTimeOut(true);
        workers = executor;
      }
      return workers;
    }
  }

  /**
   * Throws when this Redwire is closed: every generated proxy and handle calls it (through the
   * runtime) before it uses Redis.
   *
   * @throws IllegalStateException after {@link #close()}
   */
  public void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("Redwire is closed: " + this + " can no longer be used");
    }
  }

  /**
   * Registers that {@code owner} uses the pattern {@code name} of {@code kind} with {@code shape}
   * (value fingerprint, key shape, algorithm...), as generated factories do before they build
   * anything. Names are shared on purpose only: registering a name again with the same kind and
   * shape is fine (a second proxy, or two interfaces that share a cache by naming it), with another
   * shape it is refused, and so is another kind from another owner. One owner may use one name for
   * several kinds: a method that is cached and locked has the default name {@code Catalog.product}
   * for both, in separate key spaces ({@code <ns>:cache:...}, {@code <ns>:lock:...}).
   *
   * @throws IllegalStateException when {@code name} is already registered with another shape of this
   *     kind, or by another owner with another kind (the message names both owners), or after
   *     {@link #close()}
   */
  public void claim(String kind, String name, String owner, String shape) {
    ensureOpen();
    Claim mine = new Claim(kind, shape, owner);
    synchronized (claims) {
      List<Claim> all = claims.computeIfAbsent(name, n -> new ArrayList<>());
      Claim sameKind = null;
      Claim otherKind = null;
      boolean ownerUsesName = false;
      for (Claim c : all) {
        if (c.kind.equals(kind)) {
          if (!c.shape.equals(shape)) {
            throw claimRefused(name, c, mine); // one kind, two shapes: never a share
          }
          sameKind = c;
        } else if (otherKind == null) {
          otherKind = c;
        }
        ownerUsesName |= c.owner.equals(owner);
      }
      // a deliberate share of this kind (same shape), or the owner's own name for another kind of the
      // same method; but not a name another interface uses only as another kind
      if (sameKind == null && otherKind != null && !ownerUsesName) {
        throw claimRefused(name, otherKind, mine);
      }
      if (!all.contains(mine)) {
        all.add(mine);
      }
    }
  }

  private static IllegalStateException claimRefused(String name, Claim first, Claim second) {
    return new IllegalStateException("The name \"" + name + "\" is used by " + first.owner + " as a "
        + first.kind + " (" + first.shape + ") and by " + second.owner + " as a " + second.kind + " ("
        + second.shape + "). Names are shared deliberately only: give one of them another name.");
  }

  private record Claim(String kind, String shape, String owner) {}

  /**
   * Reports a failed Redis call of pattern {@code name}: counted in {@link RedwireMetrics#redisError}
   * and, when it is an outage (a connection failure or timeout, a server that is loading or failing
   * over; see {@link Failures#isOutage}), counted by the circuit breaker. Command errors (WRONGTYPE,
   * OOM, CROSSSLOT, ...) never open the breaker, so they never take unrelated work down; they are
   * logged at warn level at most once per name and operation every 10 s.
   *
   * @return whether it was an outage
   */
  public boolean failed(String name, String operation, RuntimeException e) {
    metrics.redisError(name, operation, e);
    if (Failures.isOutage(e)) {
      breaker.failure();
      return true;
    }
    // the server answered, but this says nothing about outages: the breaker's count is left alone
    Failures.logCommandError(name, operation, e);
    return false;
  }

  /**
   * The UTF-8 bytes of {@code <namespace>:<kind>:<name>:}, the start of every key of one pattern
   * instance (e.g. kind {@code "cache"}, name {@code "product"}).
   *
   * @throws IllegalArgumentException if kind or name is empty or holds ':', '{', '}', whitespace or
   *     control characters
   */
  public byte[] prefix(String kind, String name) {
    Keys.checkName("kind", kind);
    Keys.checkName("name", name);
    return (namespace + ':' + kind + ':' + name + ':').getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads the server's {@code maxmemory-policy} and logs a warning unless it is {@code noeviction}:
   * any other policy lets Redis evict keys under memory pressure, and with them locks, rate-limit
   * state and cache generations, not only cached values. Returns the policy, or null when the server
   * could not tell (down, CONFIG disabled, or a cluster client).
   */
  public String checkEvictionPolicy() {
    String policy;
    try {
      policy = client.configGet("maxmemory-policy").get("maxmemory-policy");
    } catch (RuntimeException e) {
      log.debug("Could not read maxmemory-policy; skipping the eviction check", e);
      return null;
    }
    warnAboutEviction(policy);
    return policy;
  }

  /**
   * {@link #checkEvictionPolicy()} on a daemon thread, waiting for it at most {@code bound}: a
   * server that does not answer must not make start-up slow. A check that takes longer still logs
   * its warning when it ends.
   */
  void checkEvictionPolicyWithin(Duration bound) {
    Thread t = new Thread(() -> {
      try {
        checkEvictionPolicy();
      } catch (RuntimeException e) {
        log.debug("eviction check failed", e);
      }
    }, "redwire-startup-check");
    t.setDaemon(true);
    t.start();
    try {
      t.join(Math.max(1, bound.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (t.isAlive()) {
      log.info("Redis did not answer the maxmemory-policy check within {} ms; continuing without it",
          bound.toMillis());
    }
  }

  static void warnAboutEviction(String policy) {
    if (policy != null && !policy.equals("noeviction")) {
      log.warn("Redis maxmemory-policy is {}: under memory pressure Redis may evict Redwire's locks,"
          + " rate limits and cache generations along with cached values. Use noeviction, or a"
          + " separate Redis for data that must not disappear.", policy);
    }
  }

  /**
   * The circuit breaker every pattern consults before calling Redis: after repeated failures Redis
   * is skipped for a cool-down, then tried again by one caller.
   */
  public CircuitBreaker breaker() {
    return breaker;
  }

  /**
   * The object registered under {@code id}, created by {@code factory} on first use: how generated
   * proxies built on one Redwire share per-name state (a cache's single-flight table, say). The
   * factory runs outside any lock and must not do I/O; when two threads race, both may run it and
   * only one result is kept, so it must not register resources (do that on the kept object).
   */
  public Object shared(String id, Supplier<?> factory) {
    Object existing = shared.get(id);
    if (existing != null) {
      return existing;
    }
    // never inside computeIfAbsent: a factory may itself call shared(...) (which would be a
    // "Recursive update"), so two racing callers may both create and one result is dropped;
    // factories must therefore be cheap and do no I/O
    Object created = factory.get();
    existing = shared.putIfAbsent(id, created);
    return existing != null ? existing : created;
  }

  /**
   * Registers a resource to close with this Redwire (resources close in reverse order of
   * registration, before the background executor and the client; their errors are logged). After
   * {@link #close()} the resource is closed at once.
   */
  public void onClose(AutoCloseable resource) {
    Objects.requireNonNull(resource, "resource");
    synchronized (lock) {
      if (!closed) {
        closeables.add(resource);
        return;
      }
    }
    closeQuietly(resource);
  }

  /**
   * Lets the background work already queued on {@link #workers()} (cache stores, which release their
   * load leases, and refreshes) finish for at most 2 s, accepting no new work (callers then store
   * themselves); then closes registered resources (newest first: the shared pub/sub connection, ...),
   * stops Redwire's threads and closes the client if Redwire created it. From then on {@link #ensureOpen()} throws,
   * so every call through a generated proxy that needs Redis, and every new {@code wrap} (through
   * {@link #claim}), throws {@link IllegalStateException}; none of that counts as a Redis error.
   * Idempotent; never throws.
   */
  @Override
  public void close() {
    List<AutoCloseable> toClose;
    ScheduledExecutorService executor;
    ThreadPoolExecutor pool;
    synchronized (lock) {
      if (closed || draining) {
        return;
      }
      draining = true;
      pool = workers;
    }
    // the work already queued (cache stores, which also release their load leases; refreshes) gets a
    // bounded time to finish while Redis is still usable: a store dropped here would leave its lease
    // held, and other instances would wait for it to expire before they load the key themselves
    drain(pool);
    synchronized (lock) {
      closed = true;
      toClose = new ArrayList<>(closeables);
      closeables.clear();
      executor = renewals;
      pool = workers;
    }
    for (int i = toClose.size() - 1; i >= 0; i--) {
      closeQuietly(toClose.get(i));
    }
    stop(executor);
    stop(pool);
    if (ownsClient) {
      closeQuietly(client);
    }
  }

  @Override
  public String toString() {
    return "Redwire[namespace="
        + namespace
        + ", client="
        + client.getClass().getSimpleName()
        + (closed ? ", closed" : "")
        + "]";
  }

  // ---------------------------------------------------------------------------------------------

  /** Lets {@code pool} finish its queued tasks for at most {@link #CLOSE_DRAIN_MILLIS}, accepting no new ones. */
  private static void drain(ThreadPoolExecutor pool) {
    if (pool == null) {
      return;
    }
    pool.shutdown();
    if (!(Thread.currentThread() instanceof RedwireThread)) {
      try {
        if (!pool.awaitTermination(CLOSE_DRAIN_MILLIS, TimeUnit.MILLISECONDS)) {
          log.warn("Redwire background work still queued after {} ms at close: dropped ({} tasks; loads"
              + " whose stores were dropped leave their leases to expire)", CLOSE_DRAIN_MILLIS, pool.getQueue().size());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void stop(ExecutorService executor) {
    if (executor == null) {
      return;
    }
    executor.shutdownNow();
    if (!(Thread.currentThread() instanceof RedwireThread)) {
      try {
        if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
          log.warn("Redwire background tasks did not stop within 5 s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void closeQuietly(AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception e) {
      log.warn("Closing {} failed", resource, e);
    } catch (Error e) {
      log.error("Closing {} failed", resource, e);
      throw e;
    }
  }

  @SuppressWarnings("deprecation") // JedisCluster is still a cluster client users may hand us
  private static boolean isClusterClient(UnifiedJedis client) {
    return client instanceof RedisClusterClient || client instanceof JedisCluster;
  }

  static RedisClient newClient(RedisUri uri, DefaultJedisClientConfig config) {
    // Jedis' defaults are 8 connections and an unbounded wait for one: a service's request threads
    // would queue behind 8 calls, and behind a frozen server for as long as it stays frozen
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(MAX_CONNECTIONS);
    pool.setMaxIdle(MAX_CONNECTIONS);
    pool.setMaxWait(Duration.ofMillis(config.getSocketTimeoutMillis()));
    return RedisClient.builder()
        .hostAndPort(uri.host(), uri.port())
        .clientConfig(config)
        .poolConfig(pool)
        .build();
  }

  /** The client configuration for {@code uri}, with its timeouts or the defaults. */
  static DefaultJedisClientConfig clientConfig(RedisUri uri) {
    return clientConfig(uri,
        uri.connectTimeout() != null ? uri.connectTimeout() : DEFAULT_CONNECT_TIMEOUT,
        uri.socketTimeout() != null ? uri.socketTimeout() : DEFAULT_SOCKET_TIMEOUT);
  }

  static DefaultJedisClientConfig clientConfig(RedisUri uri, Duration connect, Duration socket) {
    DefaultJedisClientConfig.Builder config =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(millis(connect))
            .socketTimeoutMillis(millis(socket))
            .database(uri.database())
            .ssl(uri.ssl())
            // named, not negotiated: negotiating makes RedisClient connect while it is built, which
            // would block build() on a server that does not answer (every supported server has RESP3)
            .protocol(RedisProtocol.RESP3);
    if (uri.user() != null) {
      config.user(uri.user());
    }
    if (uri.password() != null) {
      config.password(uri.password());
    }
    return config.build();
  }



  private static int millis(Duration d) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
  }

  private static final class RedwireThread extends Thread {
    RedwireThread(Runnable r, String name) {
      super(r, name);
      setDaemon(true);
    }
  }

  private static final class Threads implements ThreadFactory {
    private static final AtomicInteger NEXT = new AtomicInteger(1);
    private final String prefix;

    Threads(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public Thread newThread(Runnable r) {
      return new RedwireThread(r, prefix + NEXT.getAndIncrement());
    }
  }

  /**
   * Configures a {@link Redwire}. Not thread-safe; {@link #build()} copies what it needs, so a
   * builder may be reused.
   */
  public static final class Builder {
    private UnifiedJedis client;
    private String uri;
    private String namespace = DEFAULT_NAMESPACE;
    private final Map<String, Duration> ttls = new HashMap<>();
    private final Map<String, Limit> limits = new HashMap<>();
    private final Map<String, Duration> leases = new HashMap<>();
    private boolean startupCheck = true;
    private Duration connectTimeout; // null: the URI's, else the default
    private Duration socketTimeout; // null: the URI's, else the default
    private int breakerThreshold = 5;
    private Duration pubSubPingInterval = Duration.ofSeconds(1);
    private Duration pubSubPongTimeout = Duration.ofSeconds(3);
    private Duration breakerCoolDown = Duration.ofSeconds(5);
    private RedwireMetrics metrics = RedwireMetrics.NONE;

    private Builder() {}

    /** Uses an existing client (standalone, Sentinel or Cluster); Redwire will not close it. */
    public Builder client(UnifiedJedis client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** Connects to this URI (see {@link Redwire#connect}); Redwire owns and closes the client. */
    public Builder uri(String uri) {
      this.uri = Objects.requireNonNull(uri, "uri");
      return this;
    }

    /**
     * The first segment of every key (default {@code "redwire"}), e.g. per application or
     * environment.
     *
     * @throws IllegalArgumentException if empty or holding ':', '{', '}', whitespace or control
     *     characters
     */
    public Builder namespace(String namespace) {
      this.namespace = Keys.checkName("namespace", namespace);
      return this;
    }

    /** Overrides the compiled TTL of the cache (or other pattern) {@code name}. */
    public Builder ttl(String name, Duration ttl) {
      ttls.put(Keys.checkName("name", name), positive("ttl", ttl));
      return this;
    }

    /** Overrides the compiled rate limit of {@code name}: {@code permits} per {@code per}. */
    public Builder limit(String name, long permits, Duration per) {
      limits.put(Keys.checkName("name", name), new Limit(permits, per));
      return this;
    }

    /** Overrides the compiled lock lease of {@code name}. */
    public Builder lease(String name, Duration lease) {
      leases.put(Keys.checkName("name", name), positive("lease", lease));
      return this;
    }

    /**
     * After {@code threshold} consecutive Redis failures, skip Redis for {@code coolDown} (default:
     * 5 failures, 5 s).
     */
    public Builder circuitBreaker(int threshold, Duration coolDown) {
      if (threshold < 1) {
        throw new IllegalArgumentException("threshold must be at least 1, got " + threshold);
      }
      this.breakerThreshold = threshold;
      this.breakerCoolDown = positive("coolDown", coolDown);
      return this;
    }

    /**
     * How long opening a connection may take (TCP connect, TLS handshake, authentication) with
     * {@link #uri}; also the bound of the check that {@link #build()} makes. Overrides the URI's
     * {@code connectTimeout}; default 2 s. With {@link #client}, it only bounds the start-up check.
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive("connectTimeout", timeout);
      return this;
    }

    /**
     * How long a command may wait for its reply with {@link #uri} (a slower reply counts as a Redis
     * failure). Overrides the URI's {@code socketTimeout}; default 2 s. With {@link #client}, declares
     * the socket timeout that client was built with (Redwire cannot read it from a {@code UnifiedJedis}):
     * idle stream consumers (events, job queues) then wait for new entries below half of it in one round
     * trip, as with a client Redwire built; undeclared, they wait in {@code XREADGROUP ... BLOCK 500} and
     * admit with a second round trip. Declare no more than the client's real timeout (a consumer
     * whose wait the client gives up on early logs a warning and blocks in {@code XREADGROUP} from then on).
     */
    public Builder socketTimeout(Duration timeout) {
      this.socketTimeout = positive("socketTimeout", timeout);
      return this;
    }

    /**
     * The health check of the shared pub/sub connection (lock releases, cache clear-alls): a PING every
     * {@code pingInterval}, and a connection that stays silent (no PONG) for {@code pongTimeout} is
     * closed and replaced, its listeners told that messages may have been missed. Default: every 1 s,
     * replaced after 3 s of silence.
     *
     * @throws IllegalArgumentException unless both are positive and the timeout is longer than the
     *     interval
     */
    public Builder pubSubHealthCheck(Duration pingInterval, Duration pongTimeout) {
      positive("pingInterval", pingInterval);
      positive("pongTimeout", pongTimeout);
      if (pongTimeout.compareTo(pingInterval) <= 0) {
        throw new IllegalArgumentException("pongTimeout (" + pongTimeout + ") must be longer than"
            + " pingInterval (" + pingInterval + ")");
      }
      this.pubSubPingInterval = pingInterval;
      this.pubSubPongTimeout = pongTimeout;
      return this;
    }

    /** The metrics listener (default {@link RedwireMetrics#NONE}). */
    public Builder metrics(RedwireMetrics metrics) {
      this.metrics = Objects.requireNonNull(metrics, "metrics");
      return this;
    }

    /**
     * Creates the Redwire. With {@link #uri}, it opens one connection first (bounded by the connect
     * timeout) and fails on errors no retry can fix; see {@link Redwire#connect}. A server that is
     * down or does not answer does not fail it. With {@link #client}, it does no I/O beyond the
     * start-up check.
     *
     * @throws IllegalStateException unless exactly one of {@link #client} and {@link #uri} was set;
     *     or when the server refuses the connection for good (wrong user or password, password
     *     missing, unknown database, TLS handshake failure)
     * @throws IllegalArgumentException for a bad URI
     */
    public Redwire build() {
      if ((client == null) == (uri == null)) {
        throw new IllegalStateException(
            "set exactly one of client(UnifiedJedis) and uri(String)"
                + (client == null ? "; neither was set" : "; both were set"));
      }
      if (client != null) {
        Redwire redwire = new Redwire(this, client, false, socketTimeout);
        if (startupCheck) {
          redwire.checkEvictionPolicyWithin(
              connectTimeout != null ? connectTimeout : DEFAULT_CONNECT_TIMEOUT);
        }
        return redwire;
      }
      RedisUri parsed = RedisUri.parse(uri);
      Duration connect = connectTimeout != null ? connectTimeout
          : parsed.connectTimeout() != null ? parsed.connectTimeout() : DEFAULT_CONNECT_TIMEOUT;
      Duration socket = socketTimeout != null ? socketTimeout
          : parsed.socketTimeout() != null ? parsed.socketTimeout() : DEFAULT_SOCKET_TIMEOUT;
      DefaultJedisClientConfig config = clientConfig(parsed, connect, socket);
      ConnectCheck probe = ConnectCheck.run(parsed, config, connect, startupCheck);
      Redwire redwire = new Redwire(this, newClient(parsed, config), true, socket);
      if (startupCheck && probe.answered()) {
        warnAboutEviction(probe.policy());
      }
      return redwire;
    }

    /**
     * Whether {@link #build()} asks the server for its {@code maxmemory-policy} and warns when it
     * could evict keys that must not disappear (default true).
     */
    public Builder startupCheck(boolean check) {
      this.startupCheck = check;
      return this;
    }

    private static Duration positive(String what, Duration d) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, got " + d);
      }
      return d;
    }
  }
}
