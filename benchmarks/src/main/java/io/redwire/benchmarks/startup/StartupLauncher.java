package io.redwire.benchmarks.startup;

import io.redwire.testing.RedisServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Startup comparison: starts {@link io.redwire.benchmarks.startup.redwire.RedwireStartup} and
 * {@link io.redwire.benchmarks.startup.boot.BootStartup} as fresh JVMs, alternately, N times each,
 * against one fixture redis-server (flushed before every run, so each first call is a miss that loads
 * and stores). Each child gets only its own class path: the module's classes plus the jars it would
 * have in a real application (selected from {@code target/classpath.txt}, written by {@code -Pbench}).
 * Reports the child's own main-to-first-call time, the whole process' wall time and the number of
 * classes loaded ({@code -Xlog:class+load} lines): median and min..max.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar
 * io.redwire.benchmarks.startup.StartupLauncher [runs] [benchmarks dir]}
 */
public final class StartupLauncher {

  private static final Pattern FIRST_CALL = Pattern.compile("FIRST_CALL_NANOS=(\\d+)");

  private static final List<String> REDWIRE_JARS = List.of(
      "redwire-annotations-", "redwire-runtime-", "jedis-", "commons-pool2-", "gson-", "json-",
      "slf4j-api-", "slf4j-simple-", "redis-authx-core-");

  private static final List<String> BOOT_JARS = List.of(
      "spring-boot-", "spring-core-", "spring-beans-", "spring-context-", "spring-aop-",
      "spring-expression-", "spring-tx-", "spring-oxm-", "spring-messaging-", "spring-data-commons-",
      "spring-data-keyvalue-", "spring-data-redis-", "lettuce-core-", "netty-", "reactor-core-",
      "reactive-streams-", "slf4j-api-", "logback-", "log4j-to-slf4j-", "log4j-api-", "jul-to-slf4j-",
      "jakarta.annotation-api-", "micrometer-", "jspecify-", "commons-logging-");

  private StartupLauncher() {}

  record Run(double firstCallMs, double wallMs, long classes) {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    Path dir = args.length > 1 ? Path.of(args[1])
        : Files.isDirectory(Path.of("benchmarks/target")) ? Path.of("benchmarks") : Path.of(".");
    Path target = dir.resolve("target").toAbsolutePath();
    List<String> jars = Arrays.asList(Files.readString(target.resolve("classpath.txt")).trim()
        .split(java.io.File.pathSeparator));
    String classes = target.resolve("classes").toString();
    String redwireCp = classpath(classes, jars, REDWIRE_JARS);
    String bootCp = classpath(classes, jars, BOOT_JARS);

    List<Run> redwire = new ArrayList<>();
    List<Run> boot = new ArrayList<>();
    try (RedisServer server = RedisServer.start()) {
      // one untimed run each: page cache and CDS archive warm for both
      run(server, redwireCp, "io.redwire.benchmarks.startup.redwire.RedwireStartup", target);
      run(server, bootCp, "io.redwire.benchmarks.startup.boot.BootStartup", target);
      for (int i = 0; i < runs; i++) {
        redwire.add(run(server, redwireCp, "io.redwire.benchmarks.startup.redwire.RedwireStartup", target));
        boot.add(run(server, bootCp, "io.redwire.benchmarks.startup.boot.BootStartup", target));
      }
    }
    System.out.printf(Locale.ROOT, "%d runs each; median (min..max)%n", runs);
    System.out.printf(Locale.ROOT, "%-24s %-28s %-28s %-24s%n", "", "main -> first call (ms)",
        "process wall (ms)", "classes loaded");
    report("Redwire", redwire);
    report("Spring Boot @Cacheable", boot);
  }

  static String classpath(String classes, List<String> jars, List<String> prefixes) {
    Predicate<String> keep = jar -> {
      String name = Path.of(jar).getFileName().toString();
      return prefixes.stream().anyMatch(name::startsWith);
    };
    List<String> cp = new ArrayList<>();
    cp.add(classes);
    jars.stream().filter(keep).forEach(cp::add);
    return String.join(java.io.File.pathSeparator, cp);
  }

  static Run run(RedisServer server, String cp, String main, Path target) throws IOException, InterruptedException {
    server.command("FLUSHALL");
    Path log = Files.createTempFile(target, "classload-", ".log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xlog:class+load=info:file=" + log, "-cp", cp, main,
        String.valueOf(server.port())).redirectErrorStream(true);
    long started = System.nanoTime();
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    int exit = p.waitFor();
    double wallMs = (System.nanoTime() - started) / 1e6;
    String text = new String(out, StandardCharsets.UTF_8);
    Matcher m = FIRST_CALL.matcher(text);
    if (exit != 0 || !m.find()) {
      throw new IllegalStateException(main + " exited with " + exit + ":\n" + text);
    }
    long classes;
    try (var lines = Files.lines(log)) {
      classes = lines.count();
    }
    Files.delete(log);
    return new Run(Long.parseLong(m.group(1)) / 1e6, wallMs, classes);
  }

  static void report(String name, List<Run> runs) {
    System.out.printf(Locale.ROOT, "%-24s %-28s %-28s %-24s%n", name,
        stat(runs.stream().mapToDouble(Run::firstCallMs).toArray(), "%.0f"),
        stat(runs.stream().mapToDouble(Run::wallMs).toArray(), "%.0f"),
        stat(runs.stream().mapToDouble(Run::classes).toArray(), "%.0f"));
  }

  static String stat(double[] values, String format) {
    double[] v = values.clone();
    Arrays.sort(v);
    double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    return String.format(Locale.ROOT, format + " (" + format + ".." + format + ")", median, v[0], v[v.length - 1]);
  }
}
