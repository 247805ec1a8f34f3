package io.redwire.benchmarks.session;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A typical request on a session (read 3 fields, add 1 to a counter, slide the idle TTL), per peer on
 * its own server: Redwire ({@code @SessionScoped}: one round trip through an increment returning the
 * request's view; {@code redwireTwoCalls}: the view, then the increment) against Spring Session Data Redis'
 * {@code RedisSessionRepository} with its defaults (JDK serialization) and with a non-JDK serializer
 * (four round trips each; see {@link SessionPeers}). Round trips per request: {@link SessionRoundTrips}.
 * Run at 1 and 8 threads ({@code -t}).
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class SessionBenchmark {

  @Benchmark
  public long redwire(SessionPeers.RedwirePeer peer) {
    return peer.request();
  }

  @Benchmark
  public long redwireTwoCalls(SessionPeers.RedwireTwoCallsPeer peer) {
    return peer.request();
  }

  @Benchmark
  public long springSessionDefault(SessionPeers.SpringDefaultPeer peer) {
    return peer.request();
  }

  @Benchmark
  public long springSessionText(SessionPeers.SpringTextPeer peer) {
    return peer.request();
  }
}
