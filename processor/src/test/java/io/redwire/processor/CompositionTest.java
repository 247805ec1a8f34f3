package io.redwire.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.CompilationSubject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every pair of method annotations on one method, compiled through the processor: either it compiles
 * and the generated method runs the features in the documented rank order (rate limit, lock, cache
 * lookup, delegate, cache writes), or it is refused with one coded error. Like AutoValue's extension
 * chain tests: composition order is tested, not assumed.
 */
class CompositionTest {

  /** The annotations, with what each one's first generated statement looks like. */
  private static final Map<String, String> ANNOTATIONS = Map.of(
      "@RateLimited(limit = 5, per = \"1s\", key = \"{id}\")", ".acquire(rateTag)",
      "@Locked(key = \"{id}\", maxWait = \"1s\")", "Lock.acquire(lockKey)",
      "@Cached(ttl = \"1m\", key = \"{id}\")", "Cache.get(key)",
      "@CachePut(name = \"other\", key = \"{id}\")", ".put(key",
      "@CacheEvict(name = \"other\", key = \"{id}\")", ".evict(key",
      "@Leaderboard(period = \"week\")", "Board.board(key)");

  /** The documented order of the features in a generated method. */
  private static final List<String> RANK = List.of(
      ".acquire(rateTag)", "Lock.acquire(lockKey)", "Cache.get(key)", "this.delegate.find(",
      "Cache.load(key, raw", ".put(key", ".evict(key");

  static Stream<Arguments> pairs() {
    List<String> all = new ArrayList<>(ANNOTATIONS.keySet());
    all.sort(null);
    List<Arguments> pairs = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      pairs.add(Arguments.of(all.get(i), ""));
      for (int j = i + 1; j < all.size(); j++) {
        pairs.add(Arguments.of(all.get(i), all.get(j)));
      }
    }
    return pairs.stream();
  }

  @ParameterizedTest
  @MethodSource("pairs")
  void everyPairCompilesInRankOrderOrIsRefusedWithACode(String first, String second) throws IOException {
    JavaFileObject file = Sources.source("Pair", """
        public interface Pair {
          @Cached(ttl = "1m", name = "other", key = "{id}")
          String other(String id);

          %s %s
          String find(String id);
        }
        """.formatted(first, second));
    Compilation c = Sources.compile(file);
    boolean cachedWithWrite = (first + second).contains("@Cached(")
        && ((first + second).contains("@CachePut") || (first + second).contains("@CacheEvict"));
    // a handle method returns its handle (here it returns String: refused) and takes no other annotation
    boolean handle = (first + second).contains("@Leaderboard");
    if (handle) {
      CompilationSubject.assertThat(c).failed();
      for (Diagnostic<? extends JavaFileObject> error : c.errors()) {
        assertTrue(error.getMessage(null).startsWith("[Redwire/Handle"), error.getMessage(null));
      }
      return;
    }
    if (cachedWithWrite) {
      CompilationSubject.assertThat(c).failed();
      CompilationSubject.assertThat(c).hadErrorCount(1);
      Diagnostic<? extends JavaFileObject> error = c.errors().get(0);
      assertTrue(error.getMessage(null).startsWith("[Redwire/"), error.getMessage(null));
      return;
    }
    CompilationSubject.assertThat(c).succeededWithoutWarnings();
    String source = c.generatedSourceFile("test.RedwirePair").orElseThrow().getCharContent(true).toString();
    String body = source.substring(source.indexOf("public String find(String id)"));
    body = body.substring(0, body.indexOf("\n  }\n"));
    List<String> expected = new ArrayList<>();
    for (String a : new String[] {first, second}) {
      if (!a.isEmpty()) {
        expected.add(ANNOTATIONS.get(a));
      }
    }
    // a cached method calls the delegate from its loader, on a miss
    expected.add(expected.contains("Cache.get(key)") ? "Cache.load(key, raw" : "this.delegate.find(");
    expected.sort((a, b) -> Integer.compare(RANK.indexOf(a), RANK.indexOf(b)));
    int at = -1;
    for (String marker : expected) {
      int next = body.indexOf(marker);
      assertTrue(next >= 0, marker + " missing in\n" + body);
      assertTrue(next > at, marker + " out of rank order in\n" + body);
      at = next;
    }
    if (body.contains("Lock.acquire(lockKey)")) {
      assertEquals(body.indexOf("finally"), body.lastIndexOf("finally"), "one try/finally per lock");
      assertTrue(body.indexOf("Lock.release(lease)") > at, "the lock is released after everything else");
    }
  }
}
