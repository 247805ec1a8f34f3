package io.redwire.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} process on a free local port, for tests.
 *
 * <p>The binary is {@code redis-server} from the {@code PATH} when there is one, else the build for
 * this OS and architecture bundled in the {@code embedded-redis} jar (extracted once per JVM). The
 * system property {@code redwire.redis.server} overrides the choice: a path to a binary, or {@code
 * embedded}. Each server runs in its own temporary directory with persistence off, is bound to
 * 127.0.0.1, never uses port 6379, and is killed by a JVM shutdown hook if a test forgets it.
 *
 * <p>Talks RESP over a plain socket ({@link #command}) so that it needs no Redis client library.
 * Instances are thread-safe.
 */
public final class RedisServer implements AutoCloseable {

  /** An error reply ({@code -ERR ...}) from the server. */
  public static final class ErrorReply extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ErrorReply(String message) {
      super(message);
    }
  }

  private static final String HOST = "127.0.0.1";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration RESTART_PORT_WAIT = Duration.ofSeconds(10);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
  private static final int START_ATTEMPTS = 5;

  private static final Set<RedisServer> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (RedisServer server : LIVE) {
                    Process p = server.process;
                    if (p != null) {
                      p.destroyForcibly();
                    }
                  }
                },
                "redis-server-reaper"));
  }

  private final Path binary;
  private final Path dir;
  private final Path config; // the config file passed first on the command line, or null
  private final List<String> extraArgs;
  private final String password;
  private final int port;
  private volatile Process process;
  private volatile boolean frozen;

  private RedisServer(Path binary, Path dir, Path config, List<String> extraArgs, int port) {
    this.binary = binary;
    this.dir = dir;
    this.config = config;
    this.extraArgs = extraArgs;
    this.password = requirepass(extraArgs);
    this.port = port;
  }

  /**
   * Starts a server on a free port and waits until it answers PING.
   *
   * @param extraArgs more {@code redis-server} arguments, e.g. {@code "--requirepass", "secret"}
   * @throws IllegalStateException if the server did not come up (the message holds the log tail)
   */
  public static RedisServer start(String... extraArgs) {
    return start(Binaries.redisServer(), extraArgs);
  }

  static RedisServer start(Path binary, String... extraArgs) {
    return start(binary, null, extraArgs);
  }

  /**
   * Starts a server whose command line begins with a config file holding {@code configText}
   * (written as {@code redis.conf} in the server's directory, and kept writable: Redis Sentinel
   * rewrites it), followed by the usual arguments and {@code extraArgs}.
   */
  static RedisServer startWithConfig(String configText, String... extraArgs) {
    return start(Binaries.redisServer(), configText, extraArgs);
  }

  private static RedisServer start(Path binary, String configText, String... extraArgs) {
    Path dir;
    Path config = null;
    try {
      dir = Files.createTempDirectory("redwire-redis-");
      if (configText != null) {
        config = dir.resolve("redis.conf");
        Files.writeString(config, configText, StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> extra = List.of(extraArgs.clone());
    IllegalStateException last = null;
    for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
      RedisServer server = new RedisServer(binary, dir, config, extra, freePort());
      try {
        server.launch();
        return server;
      } catch (PortInUse e) {
        last = e; // someone grabbed the port between our probe and the bind: try another one
      } catch (RuntimeException e) {
        deleteTree(dir);
        throw e;
      }
    }
    deleteTree(dir);
    throw last;
  }

  /** The port the server listens on. */
  public int port() {
    return port;
  }

  /** Always {@code 127.0.0.1}. */
  public String host() {
    return HOST;
  }

  /** {@code redis://127.0.0.1:PORT} (without credentials). */
  public String uri() {
    return "redis://" + HOST + ":" + port;
  }

  /** The server's working directory (holds {@code redis.log}). */
  public Path dir() {
    return dir;
  }

  /** Whether the process is alive (a frozen process is alive). */
  public boolean isRunning() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /** Stops gracefully ({@code SHUTDOWN NOSAVE}), destroying the process if that fails; waits for exit. */
  public synchronized void stop() {
    Process p = process;
    if (p == null) {
      return;
    }
    if (p.isAlive() && !frozen) {
      try {
        Resp.call(HOST, port, Duration.ofSeconds(2), password, "SHUTDOWN", "NOSAVE");
      } catch (IOException | RuntimeException expected) {
        // the server closes the connection without a reply when it shuts down
      }
      waitFor(p, Duration.ofSeconds(5));
    }
    if (p.isAlive()) {
      p.destroyForcibly();
      waitFor(p, Duration.ofSeconds(10));
    }
    ended();
  }

  /** Kills the process with SIGKILL (no shutdown of any kind) and waits for it to exit. */
  public synchronized void kill() {
    Process p = process;
    if (p == null) {
      return;
    }
    p.destroyForcibly();
    waitFor(p, Duration.ofSeconds(10));
    ended();
  }

  /**
   * Starts the server again on the same port with the same arguments and waits for PING; stops it
   * first if it is running. Retries for a few seconds while the port is still held.
   */
  public synchronized void restart() {
    if (process != null) {
      stop();
    }
    long deadline = System.nanoTime() + RESTART_PORT_WAIT.toNanos();
    while (true) {
      try {
        launch();
        return;
      } catch (PortInUse e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        sleep(100);
      }
    }
  }

  /** Suspends the process (SIGSTOP): it keeps its sockets open but answers nothing. */
  public synchronized void freeze() {
    signal("STOP");
    frozen = true;
  }

  /** Resumes a process suspended by {@link #freeze()} (SIGCONT). */
  public synchronized void thaw() {
    signal("CONT");
    frozen = false;
  }

  /** The {@code requirepass} it was started with, or null. */
  String password() {
    return password;
  }

  /**
   * Sends one command on a new connection (authenticating first when the server was started with
   * {@code --requirepass}) and renders the reply as text: simple and bulk strings as their text,
   * integers as digits, arrays flattened and joined by {@code "\n"}, nil as {@code null}.
   *
   * @throws ErrorReply for an error reply
   * @throws UncheckedIOException when the server cannot be reached or does not answer in 5 s
   */
  public String command(String... args) {
    return command(COMMAND_TIMEOUT, args);
  }

  /** Like {@link #command(String...)} with a different connect and read timeout. */
  public String command(Duration timeout, String... args) {
    try {
      return Resp.render(Resp.call(HOST, port, timeout, password, args));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "redis-server on port " + port + " did not answer " + args[0] + ": " + e, e);
    }
  }

  /**
   * The {@code calls} count of one command in {@code INFO commandstats}, e.g. {@code "get"} or
   * {@code "evalsha"}; 0 when the command was never called.
   */
  public long commandCalls(String command) {
    String prefix = "cmdstat_" + command.toLowerCase(Locale.ROOT) + ":";
    for (String line : command("INFO", "commandstats").split("\r?\n")) {
      if (line.startsWith(prefix)) {
        for (String field : line.substring(prefix.length()).split(",")) {
          if (field.startsWith("calls=")) {
            return Long.parseLong(field.substring("calls=".length()));
          }
        }
      }
    }
    return 0;
  }

  /**
   * What the server says it is, from {@code INFO server}. Valkey keeps {@code redis_version} (the
   * Redis version it is compatible with, 7.2.4 for every Valkey 8) and adds {@code server_name} and
   * {@code valkey_version}, and reports its mode as {@code server_mode} instead of {@code
   * redis_mode}: this reads whichever the server has.
   *
   * @param name {@code "redis"} or {@code "valkey"} ({@code server_name}, {@code "redis"} when absent)
   * @param version the server's own version ({@code valkey_version}, else {@code redis_version})
   * @param mode {@code standalone}, {@code cluster} or {@code sentinel} ({@code server_mode}, else
   *     {@code redis_mode})
   * @param executable the binary the process runs ({@code executable}), or null when not reported
   */
  public record Info(String name, String version, String mode, String executable) {
    static Info parse(String infoServer) {
      Map<String, String> fields = new HashMap<>();
      for (String line : infoServer.split("\r?\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && !line.startsWith("#")) {
          fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
        }
      }
      String name = fields.getOrDefault("server_name", "redis");
      String version = fields.getOrDefault(name + "_version", fields.get("redis_version"));
      String mode = fields.getOrDefault("server_mode", fields.get("redis_mode"));
      return new Info(name, version, mode, fields.get("executable"));
    }

    /** E.g. {@code "valkey 8.0.1 (sentinel)"}. */
    @Override
    public String toString() {
      return name + " " + version + " (" + mode + ")";
    }
  }

  /** What the server says it is ({@code INFO server}); see {@link Info}. */
  public Info info() {
    return Info.parse(command("INFO", "server"));
  }

  /** The binary this server runs (and runs again on {@link #restart()}). */
  public Path binary() {
    return binary;
  }

  /** Resets the server's statistics ({@code CONFIG RESETSTAT}). */
  public void resetStats() {
    command("CONFIG", "RESETSTAT");
  }

  /** The last lines of the server's log file. */
  public String logTail() {
    return tail(dir.resolve("redis.log"), 0, 30);
  }

  /** Stops the server and deletes its directory. */
  @Override
  public synchronized void close() {
    if (frozen) {
      kill();
    }
    stop();
    deleteTree(dir);
  }

  @Override
  public String toString() {
    return "RedisServer[" + uri() + (isRunning() ? "" : ", stopped") + "]";
  }

  // ---------------------------------------------------------------------------------------------

  private static final class PortInUse extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    PortInUse(String message) {
      super(message);
    }
  }

  private void launch() {
    Path log = dir.resolve("redis.log");
    long logStart;
    try {
      logStart = Files.exists(log) ? Files.size(log) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(binary.toString());
    if (config != null) {
      cmd.add(config.toString()); // a config file must be the first argument
    }
    Collections.addAll(
        cmd,
        "--port", String.valueOf(port),
        "--bind", HOST,
        "--save", "",
        "--appendonly", "no",
        "--protected-mode", "no",
        "--dir", dir.toString(),
        "--logfile", log.toString());
    cmd.addAll(extraArgs);
    Process p;
    try {
      p =
          new ProcessBuilder(cmd)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()))
              .start();
    } catch (IOException e) {
      throw new IllegalStateException("could not run " + binary + ": " + e, e);
    }
    process = p;
    frozen = false;
    LIVE.add(this);
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      if (!p.isAlive()) {
        waitFor(p, Duration.ofSeconds(1));
        ended();
        String tail = tail(log, logStart, 30) + tail(dir.resolve("stdout.log"), 0, 10);
        String message =
            "redis-server on port " + port + " exited with " + p.exitValue() + ":\n" + tail;
        if (tail.contains("Address already in use")) {
          throw new PortInUse(message);
        }
        throw new IllegalStateException(message);
      }
      if (answersPing()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        p.destroyForcibly();
        waitFor(p, Duration.ofSeconds(5));
        ended();
        throw new IllegalStateException(
            "redis-server on port " + port + " did not answer PING within " + START_TIMEOUT
                + ":\n" + tail(log, logStart, 30));
      }
      sleep(20);
    }
  }

  private boolean answersPing() {
    try {
      Object reply = Resp.call(HOST, port, Duration.ofMillis(500), null, "PING");
      return "PONG".equals(reply);
    } catch (ErrorReply e) {
      // NOAUTH: it is up, it just wants a password; LOADING: not ready yet
      return e.getMessage().startsWith("NOAUTH");
    } catch (IOException e) {
      return false;
    }
  }

  private void ended() {
    process = null;
    frozen = false;
    LIVE.remove(this);
  }

  private void signal(String signal) {
    Process p = process;
    if (p == null || !p.isAlive()) {
      throw new IllegalStateException(this + " is not running");
    }
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).start();
      if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + p.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String requirepass(List<String> args) {
    String pass = null;
    for (int i = 0; i + 1 < args.size(); i++) {
      if (args.get(i).equalsIgnoreCase("--requirepass")) {
        pass = args.get(i + 1);
      }
    }
    return pass;
  }

  static int freePort() {
    for (int i = 0; i < 20; i++) {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
        int port = s.getLocalPort();
        // never 6379, and keep clear of the cluster bus port range (port + 10000 must be valid)
        if (port != 6379 && port != 16379 && port < 55535) {
          return port;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException("no free port found");
  }

  private static void waitFor(Process p, Duration timeout) {
    try {
      p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String tail(Path file, long from, int lines) {
    try {
      if (!Files.exists(file)) {
        return "";
      }
      byte[] all = Files.readAllBytes(file);
      int start = (int) Math.min(from, all.length);
      String text = new String(all, start, all.length - start, StandardCharsets.UTF_8);
      String[] split = text.split("\n");
      int first = Math.max(0, split.length - lines);
      return String.join("\n", List.of(split).subList(first, split.length)) + "\n";
    } catch (IOException e) {
      return "(could not read " + file + ": " + e + ")\n";
    }
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temp dir left behind is not worth failing a test for
    }
  }

  /** Locates (or extracts) the redis-server binary once per JVM. */
  static final class Binaries {
    private static volatile Path embedded;

    private Binaries() {}

    static Path redisServer() {
      String override = System.getProperty("redwire.redis.server");
      if (override != null && !override.isBlank()) {
        return override.equals("embedded") ? embedded() : Path.of(override);
      }
      Path onPath = onPath();
      return onPath != null ? onPath : embedded();
    }

    static Path onPath() {
      String path = System.getenv("PATH");
      if (path == null) {
        return null;
      }
      boolean windows = isWindows();
      for (String d : path.split(java.io.File.pathSeparator)) {
        if (d.isEmpty()) {
          continue;
        }
        Path candidate = Path.of(d, windows ? "redis-server.exe" : "redis-server");
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return candidate;
        }
      }
      return null;
    }

    static synchronized Path embedded() {
      if (embedded != null) {
        return embedded;
      }
      String resource = embeddedResource();
      try (InputStream in = RedisServer.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException(
              "no redis-server on PATH and " + resource + " is not on the classpath");
        }
        Path dir = Files.createTempDirectory("redwire-redis-bin-");
        dir.toFile().deleteOnExit(); // registered first, so deleted after the file inside it
        Path file = dir.resolve(resource);
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        if (!file.toFile().setExecutable(true, true)) {
          throw new IllegalStateException("could not chmod +x " + file);
        }
        file.toFile().deleteOnExit();
        embedded = file;
        return file;
      } catch (IOException e) {
        throw new UncheckedIOException("could not extract " + resource, e);
      }
    }

    static String embeddedResource() {
      String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
      String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
      boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
      boolean amd64 = arch.equals("amd64") || arch.equals("x86_64");
      boolean x86 = arch.equals("x86") || arch.equals("i386") || arch.equals("i686");
      if (os.contains("linux")) {
        if (amd64) {
          return "redis-server-6.2.6-v5-linux-amd64";
        }
        if (arm64) {
          return "redis-server-6.2.7-linux-arm64";
        }
        if (x86) {
          return "redis-server-6.2.7-linux-386";
        }
      } else if (os.contains("mac") || os.contains("darwin")) {
        if (amd64) {
          return "redis-server-6.2.6-v5-darwin-amd64";
        }
        if (arm64) {
          return "redis-server-6.2.6-v5-darwin-arm64";
        }
      } else if (os.contains("windows") && amd64) {
        return "redis-server-5.0.14.1-windows-amd64.exe";
      }
      throw new IllegalStateException(
          "no redis-server on PATH and no bundled binary for " + os + "/" + arch);
    }

    private static boolean isWindows() {
      return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("windows");
    }
  }

  /**
   * Closes every server, even when some fail; the first failure is thrown with the others added as
   * suppressed.
   */
  static void closeAll(Iterable<RedisServer> servers) {
    RuntimeException first = null;
    for (RedisServer server : servers) {
      try {
        server.close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
