package io.redwire.quickstart;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.redwire.testing.RedisServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The README's quickstart, built and run the way a user would: its fenced blocks whose first line
 * is {@code <!-- file: PATH -->} or {@code // file: PATH} are written into a new Maven project,
 * which is built by a separate {@code mvn} (the one running this build) against the jars this build
 * packaged, and its main is run against a fixture redis-server (a free port, never 6379).
 *
 * <p>The user builds use a private local repository ({@code target/quickstart/repository}) that
 * holds only what they resolve, with this build's own jars copied in as locally installed
 * artifacts; this build's local repository (normally {@code ~/.m2/repository}) is never written.
 * Third-party artifacts come from that repository read as a {@code file://} remote, releases only,
 * before Maven Central: the same bytes this build already verified, no network when they are there,
 * and {@code -o} (offline, with the {@code file} protocol allowed) when this build is offline.
 */
class QuickstartTest {

  private static final Path ROOT = Path.of(property("redwire.root")).normalize();
  private static final String VERSION = property("redwire.version");
  private static final Path WORK = Path.of(property("redwire.quickstart.work"));
  private static final Path REPO = WORK.resolve("repository");
  private static final Path SETTINGS = WORK.resolve("settings.xml");
  private static final Path BUILD_REPO = Path.of(property("redwire.build.repository"));
  private static final boolean OFFLINE = property("redwire.build.offline").equals("offline=true");
  private static final Path MVN = Path.of(property("maven.home"), "bin", "mvn");
  private static final long BUILD_TIMEOUT_SECONDS = 300;
  private static final Pattern FILE_BLOCK =
      Pattern.compile(
          "```[a-z]*\\n(?:<!-- file: (\\S+) -->|// file: (\\S+))\\n.*?```", Pattern.DOTALL);

  /** The README's quickstart files: path in the project -> content (marker line included). */
  private static Map<String, String> readmeFiles;

  @BeforeAll
  static void installArtifactsAndReadReadme() throws IOException {
    readmeFiles = readmeFiles(Files.readString(ROOT.resolve("README.md")));
    assertTrue(readmeFiles.containsKey("pom.xml"), "README quickstart has no pom.xml block");
    assertTrue(
        readmeFiles.keySet().stream().anyMatch(p -> p.endsWith("/Main.java")),
        "README quickstart has no Main.java block: " + readmeFiles.keySet());
    String pom = readmeFiles.get("pom.xml");
    assertTrue(
        pom.contains("<redwire.version>" + VERSION + "</redwire.version>"),
        "the README quickstart's pom.xml must use this build's version " + VERSION);

    Files.createDirectories(WORK);
    deleteTree(REPO.resolve("io/redwire"));
    for (String module : List.of("annotations", "runtime", "processor")) {
      Path jar = ROOT.resolve(module).resolve("target/redwire-" + module + "-" + VERSION + ".jar");
      if (!Files.isRegularFile(jar)) {
        fail(jar + " is missing: this test runs in the integration-test phase of a reactor build"
            + " that packaged " + module + " (mvn verify)");
      }
      install("redwire-" + module, jar, ROOT.resolve(module).resolve("pom.xml"));
    }
    install("redwire-parent", null, ROOT.resolve("pom.xml"));
    Files.writeString(SETTINGS, settings(), StandardCharsets.UTF_8);
  }

  /** The JDKs to build and run on: {@code -Dredwire.quickstart.jdks=HOME,HOME}. */
  static Stream<Path> jdks() {
    return Stream.of(property("redwire.quickstart.jdks").split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .map(Path::of);
  }

  /**
   * Builds the quickstart with {@code -Xlint:all -Werror} (a user's strict build must not see
   * warnings caused by Redwire), and runs its main: the second call of the cached method is a hit.
   */
  @ParameterizedTest(name = "JDK at {0}")
  @MethodSource("jdks")
  void quickstartBuildsWithoutWarningsAndRuns(Path jdk) throws Exception {
    String javaVersion = javaVersion(jdk);
    Path project = WORK.resolve("quickstart-jdk" + javaVersion.replaceAll("[^0-9A-Za-z.]", "_"));
    writeProject(project, readmeFiles);
    String plainPom = readmeFiles.get("pom.xml");
    String strictPom = withCompilerArgs(plainPom, "-Xlint:all", "-Werror");
    String lintFailure = null;
    try (RedisServer redis = RedisServer.start()) {
      String[] run = {"compile", "exec:java", "-Dexec.args=" + redis.uri()};
      Files.writeString(project.resolve("pom.xml"), strictPom);
      Build build = mvn(project, jdk, run);
      if (!build.ok()) {
        lintFailure = build.compilerMessages();
        // see whether the quickstart builds and runs at all without -Werror
        Files.writeString(project.resolve("pom.xml"), plainPom);
        build = mvn(project, jdk, run);
      }
      assertTrue(build.ok(), "the quickstart did not build or run on JDK " + javaVersion + "\n"
          + build.tail());
      assertTrue(
          Files.isRegularFile(project.resolve(
              "target/generated-sources/annotations/com/example/shop/RedwireCatalog.java")),
          "the processor did not write RedwireCatalog on JDK " + javaVersion);
      assertTrue(build.stdout().contains(
              "Product[id=1, name=product 1, price=9.99, tags=[new]], equal: true, loads: 1"),
          "the second call should be a cache hit (loads: 1) on JDK " + javaVersion + "\n"
              + build.tail());
      assertTrue(redis.command("DBSIZE").matches("[1-9][0-9]*"), "nothing was written to Redis");
    }
    String lint = lintFailure;
    check("lint", lint == null, () -> "the quickstart builds and runs on JDK " + javaVersion
        + ", but not with -Xlint:all -Werror:\n" + lint);
  }

  /**
   * A user on SLF4J 2 (slf4j-simple 2.0.x added to the quickstart's dependencies) sees the
   * runtime's warnings: here the circuit breaker's, after Redis failed 5 times in a row (the server
   * was stopped before the run, so every call that asks Redis fails and the delegate answers).
   */
  @Test
  void slf4j2BackendSeesTheCircuitBreakerWarning() throws Exception {
    Map<String, String> files = new LinkedHashMap<>(readmeFiles);
    String pom = files.get("pom.xml");
    String withSlf4j =
        pom.replace(
            "  </dependencies>",
            "    <dependency>\n"
                + "      <groupId>org.slf4j</groupId>\n"
                + "      <artifactId>slf4j-simple</artifactId>\n"
                + "      <version>2.0.17</version>\n"
                + "    </dependency>\n"
                + "  </dependencies>");
    assertTrue(!withSlf4j.equals(pom), "no </dependencies> in the README's pom.xml");
    files.put("pom.xml", withSlf4j);
    files.put("src/main/java/com/example/shop/Outage.java", """
        package com.example.shop;

        import io.redwire.runtime.Redwire;

        public final class Outage {
          public static void main(String[] args) {
            InMemoryCatalog db = new InMemoryCatalog();
            try (Redwire redwire = Redwire.connect(args[0])) {
              Catalog catalog = RedwireCatalog.wrap(db, redwire);
              for (long id = 0; id < 10; id++) {
                // a put reads the cache's generation inline, so each one asks Redis (a get
                // within a second of a failed read bypasses Redis and fails nothing)
                catalog.save(catalog.product(id));
              }
              System.out.println("served while Redis was down: loads: " + db.loads());
            }
          }
        }
        """);
    Path project = WORK.resolve("slf4j2");
    writeProject(project, files);
    Path jdk = Path.of(System.getProperty("java.home"));
    String uri;
    try (RedisServer redis = RedisServer.start()) {
      uri = redis.uri(); // closed below: nothing listens on the port during the run
    }
    Build build = mvn(project, jdk, "compile", "exec:java",
        "-Dexec.mainClass=com.example.shop.Outage", "-Dexec.args=" + uri);
    assertTrue(build.ok(), "the SLF4J 2 project did not build or run\n" + build.tail());
    assertTrue(build.stdout().contains("served while Redis was down: loads: 10"), build.tail());
    check(
        "slf4j2",
        build.stderr().contains("Redis failed 5 times in a row"),
        () -> "slf4j-simple 2 did not print the circuit breaker's warning: a user on SLF4J 2 does not see"
            + " Redwire's logs (the runtime must depend on slf4j-api 2, whose provider lookup"
            + " slf4j-simple 2 implements). stderr:\n" + build.stderr()
            + "\nslf4j-api in the user's build: " + slf4jApi(project, jdk));
  }

  // ---------------------------------------------------------------------------------------------

  /** Fails with the message unless {@code ok}. */
  private static void check(String name, boolean ok, Supplier<String> message) {
    if (!ok) {
      fail("quickstart check '" + name + "' failed: " + message.get());
    }
  }

  record Build(int exit, String stdout, String stderr) {
    boolean ok() {
      return exit == 0;
    }

    /** The compiler's warning and error lines. */
    String compilerMessages() {
      StringBuilder b = new StringBuilder();
      boolean inCompiler = false;
      for (String line : stdout.split("\n")) {
        if (line.contains("COMPILATION WARNING") || line.contains("COMPILATION ERROR")) {
          inCompiler = true;
        }
        if (inCompiler && (line.startsWith("[WARNING]") || line.startsWith("[ERROR]"))) {
          b.append(line).append('\n');
        }
        if (line.startsWith("[INFO] BUILD FAILURE")) {
          break;
        }
      }
      return b.length() > 0 ? b.toString() : tail();
    }

    String tail() {
      String[] lines = stdout.split("\n");
      int from = Math.max(0, lines.length - 60);
      return "--- mvn output (last 60 lines):\n"
          + String.join("\n", List.of(lines).subList(from, lines.length))
          + "\n--- stderr:\n" + stderr;
    }
  }

  /** Runs this build's Maven in {@code project} on {@code jdk}; output kept in the project dir. */
  private static Build mvn(Path project, Path jdk, String... goals) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(MVN.toString(), "-B", "-s", SETTINGS.toString(),
        "-Dmaven.repo.local=" + REPO, "-Dstyle.color=never"));
    if (OFFLINE) {
      cmd.add("-o");
      cmd.add("-Daether.offline.protocols=file"); // the build's repository, read as file://
    }
    cmd.addAll(List.of(goals));
    int n = 1;
    while (Files.exists(project.resolve("mvn-" + n + ".log"))) {
      n++;
    }
    Path out = project.resolve("mvn-" + n + ".log");
    Path err = project.resolve("mvn-" + n + "-stderr.log");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(project.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("JAVA_HOME", jdk.toString());
    pb.environment().remove("MAVEN_OPTS");
    pb.environment().remove("MAVEN_CONFIG");
    Process p = pb.start();
    p.getOutputStream().close(); // no input: Maven in batch mode never asks
    if (!p.waitFor(BUILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      fail("mvn " + String.join(" ", goals) + " took more than " + BUILD_TIMEOUT_SECONDS + " s in "
          + project + ":\n" + Files.readString(out));
    }
    Build build = new Build(p.exitValue(), Files.readString(out), Files.readString(err));
    long downloads = build.stdout().lines().filter(l -> l.contains("Downloading from central")).count();
    System.out.println("mvn " + String.join(" ", goals) + " on " + jdk + " in " + out + ": exit "
        + build.exit() + (downloads > 0 ? ", " + downloads + " downloads from Maven Central" : ""));
    return build;
  }

  private static String slf4jApi(Path project, Path jdk) {
    try {
      return Files.list(REPO.resolve("org/slf4j/slf4j-api"))
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList()
          + " in the private repository; see the mvn-N.log files in " + project
          + " (Maven picks the nearest, then first-declared, slf4j-api: redwire-runtime's)";
    } catch (IOException e) {
      return "(unknown: " + e + ")";
    }
  }

  static Map<String, String> readmeFiles(String readme) {
    Map<String, String> files = new LinkedHashMap<>();
    Matcher m = FILE_BLOCK.matcher(readme);
    while (m.find()) {
      String path = m.group(1) != null ? m.group(1) : m.group(2);
      String block = m.group();
      String body = block.substring(block.indexOf('\n') + 1, block.length() - 3);
      if (files.put(path, body) != null) {
        fail("README has two blocks for " + path);
      }
    }
    return files;
  }

  /** Adds {@code <compilerArgs>} to the maven-compiler-plugin configuration of {@code pom}. */
  static String withCompilerArgs(String pom, String... args) {
    String anchor = "<artifactId>maven-compiler-plugin</artifactId>";
    int plugin = pom.indexOf(anchor);
    int config = pom.indexOf("<configuration>", plugin);
    assertTrue(plugin >= 0 && config > plugin, "no maven-compiler-plugin configuration in " + pom);
    StringBuilder b = new StringBuilder("<configuration>\n          <compilerArgs>\n");
    for (String arg : args) {
      b.append("            <arg>").append(arg).append("</arg>\n");
    }
    b.append("          </compilerArgs>");
    return pom.substring(0, config) + b + pom.substring(config + "<configuration>".length());
  }

  private static void writeProject(Path project, Map<String, String> files) throws IOException {
    deleteTree(project);
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path file = project.resolve(f.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, f.getValue(), StandardCharsets.UTF_8);
    }
  }

  /**
   * Copies a jar and its pom into the private repository's layout. Without a {@code
   * _remote.repositories} file Maven treats them as locally installed; the remote repositories are
   * releases-only, so nothing else can supply or update these snapshots.
   */
  private static void install(String artifactId, Path jar, Path pom) throws IOException {
    Path dir = REPO.resolve("io/redwire").resolve(artifactId).resolve(VERSION);
    Files.createDirectories(dir);
    String base = artifactId + "-" + VERSION;
    Files.copy(pom, dir.resolve(base + ".pom"), StandardCopyOption.REPLACE_EXISTING);
    if (jar != null) {
      Files.copy(jar, dir.resolve(base + ".jar"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static String settings() {
    String url = BUILD_REPO.toUri().toString();
    String repo = """
              <id>redwire-build-repository</id>
              <url>%s</url>
              <releases><checksumPolicy>ignore</checksumPolicy></releases>
              <snapshots><enabled>false</enabled></snapshots>
        """.formatted(url);
    return """
        <settings>
          <localRepository>%s</localRepository>
          <profiles>
            <profile>
              <id>redwire-build-repository</id>
              <repositories>
                <repository>
        %s        </repository>
              </repositories>
              <pluginRepositories>
                <pluginRepository>
        %s        </pluginRepository>
              </pluginRepositories>
            </profile>
          </profiles>
          <activeProfiles>
            <activeProfile>redwire-build-repository</activeProfile>
          </activeProfiles>
        </settings>
        """.formatted(REPO, repo, repo);
  }

  /** JAVA_VERSION from the JDK's {@code release} file. */
  private static String javaVersion(Path jdk) throws IOException {
    Path release = jdk.resolve("release");
    if (!Files.isRegularFile(release)) {
      fail("no JDK at " + jdk + " (set -Dredwire.quickstart.jdks=HOME,HOME to the JDKs to test)");
    }
    for (String line : Files.readAllLines(release)) {
      if (line.startsWith("JAVA_VERSION=")) {
        return line.substring("JAVA_VERSION=".length()).replace("\"", "");
      }
    }
    return jdk.getFileName().toString();
  }

  private static String property(String name) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("system property " + name + " is not set (see quickstart/pom.xml)");
    }
    return value;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
