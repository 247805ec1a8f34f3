package io.redwire.it.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.runtime.CountingMetrics;
import io.redwire.runtime.Redwire;
import io.redwire.runtime.queue.QueueCounts;
import io.redwire.runtime.queue.WorkOptions;
import io.redwire.runtime.queue.Worker;
import io.redwire.testing.Await;
import io.redwire.testing.RedisServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of a worker process: a worker JVM started by the test ({@link NumbersWorkerMain}) works 10,000
 * jobs alongside a worker in this JVM and is killed with SIGKILL mid-run. Its running jobs are run again
 * by the survivor after their lease; no job is lost, and the only jobs run twice are ones the killed
 * worker had started (at most its concurrency of them: the ones running, or finished and waiting for their
 * ack, at the kill; a worker thread takes its next job only once its last one's ack landed).
 */
class QueueKillTest {

  static final int JOBS = 10_000;
  static final int VICTIM_CONCURRENCY = 4;
  static final long LEASE_MS = 1_000;
  /** StreamConsumer.MAX_READ_AHEAD: entries a worker reads beyond its concurrency, at most. */
  static final int READ_AHEAD_CAP = 128;

  RedisServer server;
  final List<Redwire> redwires = new ArrayList<>();
  Process victim;

  @BeforeEach
  void start() {
    server = RedisServer.start();
  }

  @AfterEach
  void stop() {
    if (victim != null) {
      victim.destroyForcibly();
    }
    redwires.forEach(Redwire::close);
    server.close();
  }

  Redwire redwire(String namespace, CountingMetrics metrics) {
    Redwire r = Redwire.builder().uri(server.uri()).namespace(namespace).metrics(metrics).build();
    redwires.add(r);
    return r;
  }

  @Test
  void aWorkerKilledWithSigkillLosesNoJobAndOnlyItsRunningJobsRunTwice() throws Exception {
    String ns = "kill";
    CountingMetrics metrics = new CountingMetrics();
    Redwire redwire = redwire(ns, metrics);
    Numbers client = RedwireNumbers.client(redwire);
    for (int n = 0; n < JOBS; n++) {
      client.record(n);
    }
    assertEquals(JOBS, RedwireNumbers.admin(redwire).counts().waiting());

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    victim = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        NumbersWorkerMain.class.getName(), server.uri(), ns, "victim", Integer.toString(VICTIM_CONCURRENCY),
        Long.toString(LEASE_MS))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(new File("target/queue-kill-victim.log")))
        .start();
    Redwire survivorRedwire = redwire(ns, metrics);
    Worker survivor = RedwireNumbers.work(new CountingNumbers(survivorRedwire, "survivor"), survivorRedwire,
        WorkOptions.concurrency(4).lease(Duration.ofMillis(LEASE_MS)).consumer("survivor"));

    byte[] byVictim = CountingNumbers.byKey(ns, "victim");
    Await.until(Duration.ofSeconds(60), () -> redwire.client().scard(byVictim) >= 1_500,
        () -> "the victim runs jobs: " + redwire.client().scard(byVictim));
    victim.destroyForcibly(); // SIGKILL
    assertTrue(victim.waitFor(10, TimeUnit.SECONDS), "the victim is dead");
    long victimRuns = redwire.client().scard(byVictim);

    byte[] runs = CountingNumbers.runsKey(ns);
    // the queue drains (every job acknowledged: its method returned somewhere), then count the effects
    Await.until(Duration.ofSeconds(60), () -> RedwireNumbers.admin(redwire).counts().equals(
        new QueueCounts(0, 0, 0, 0)), () -> "the queue drains: " + RedwireNumbers.admin(redwire).counts());
    survivor.close();

    Map<byte[], byte[]> all = redwire.client().hgetAll(runs);
    Set<Integer> twice = new TreeSet<>();
    long total = 0;
    for (Map.Entry<byte[], byte[]> e : all.entrySet()) {
      long r = Long.parseLong(new String(e.getValue(), StandardCharsets.UTF_8));
      total += r;
      if (r > 1) {
        twice.add(Integer.parseInt(new String(e.getKey(), StandardCharsets.UTF_8)));
      }
    }
    System.out.printf("kill -9: %d jobs, %d run by the victim before SIGKILL, %d runs in all, %d run twice %s,"
        + " %d reclaimed%n", JOBS, victimRuns, total, twice.size(), twice, metrics.count("jobReclaimed"));
    assertEquals(JOBS, all.size(), "no job lost");
    assertEquals(JOBS + twice.size(), total, "a job runs at most twice");
    for (int n : twice) {
      assertTrue(redwire.client().sismember(byVictim, Integer.toString(n).getBytes(StandardCharsets.UTF_8)),
          "job " + n + " ran twice but the victim never ran it");
    }
    assertTrue(twice.size() <= VICTIM_CONCURRENCY, "only the jobs running at the kill run twice: " + twice);
    // reclaimed: the jobs running at the kill, plus those the victim had read ahead and not started (they
    // run once, on the survivor); at most its concurrency plus the read-ahead cap (128)
    assertTrue(metrics.count("jobReclaimed") >= twice.size() && metrics.count("jobReclaimed")
        <= VICTIM_CONCURRENCY + READ_AHEAD_CAP, "the jobs pending with the victim at the kill were reclaimed: "
        + metrics.count("jobReclaimed"));
    printLog();
  }

  private static void printLog() throws Exception {
    File log = new File("target/queue-kill-victim.log");
    if (!log.exists()) {
      return;
    }
    try (BufferedReader r = new BufferedReader(new InputStreamReader(new java.io.FileInputStream(log),
        StandardCharsets.UTF_8))) {
      r.lines().filter(l -> l.contains("WARN") || l.contains("ERROR")).limit(20).forEach(System.out::println);
    }
  }
}
