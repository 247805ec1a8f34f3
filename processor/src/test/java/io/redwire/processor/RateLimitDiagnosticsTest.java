package io.redwire.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.redwire.processor.Sources.HEADER_LINES;
import static io.redwire.processor.Sources.compile;
import static io.redwire.processor.Sources.source;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;

/**
 * One test per {@code @RateLimited} diagnostic: the tag, the whole text, and the line it points at (line
 * n of the text block is line {@code HEADER_LINES + n} of the file).
 */
class RateLimitDiagnosticsTest {

  private static void assertOnlyError(String body, int bodyLine, String message) {
    Sources.assertOnlyError("Api", body, bodyLine, message);
  }

  @Test
  void compilesEveryShapeOfLimitedMethod() {
    Compilation c = compile(source("Api", """
        public interface Api {
          record User(String id, String tenant) {}
          @RateLimited(limit = 10, per = "1s")
          void ping();
          @RateLimited(limit = 10, per = "1s", key = "{user.id}")
          @RateLimited(limit = 1000, per = "1h", key = "{user.id}")
          String search(User user, String query);
          @RateLimited(limit = 5, per = "1s", key = "{user.tenant}:{user.id}", algorithm = RateLimited.Algorithm.SLIDING_WINDOW, name = "export-user")
          @RateLimited(limit = 100, per = "1s", algorithm = RateLimited.Algorithm.SLIDING_WINDOW, name = "export-all")
          @RateLimited(limit = 50, per = "1s", key = "{user.tenant}", algorithm = RateLimited.Algorithm.SLIDING_WINDOW, name = "export-tenant")
          long export(User user);
          @RateLimited(limit = 1, per = "PT1M", key = "{id}", onLimit = RateLimited.OnLimit.WAIT, maxWait = "2s",
              onFailure = RateLimited.OnFailure.DENY)
          @Cached(ttl = "10m", key = "{id}")
          String cachedAndLimited(long id);
          @RateLimited(limit = 3, per = "1s", key = "{id}", algorithm = RateLimited.Algorithm.FIXED_WINDOW)
          CompletableFuture<String> async(long id);
          @RateLimited(limit = 3, per = "1s", key = "{id}")
          CompletionStage<Void> stage(long id);
          @RateLimited(limit = 3, per = "1s", key = "{id}", name = "Api.search-1h")
          String search(long id);
        }
        """));
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("[Redwire/RateLimitNameDuplicate] rate limit names must be unique in an"
        + " interface; \"Api.search-1h\" is also a limit of Api.search(Api.User, String).");
    Compilation ok = compile(source("Api", """
        public interface Api {
          record User(String id, String tenant) {}
          @RateLimited(limit = 10, per = "1s")
          void ping();
          @RateLimited(limit = 10, per = "1s", key = "{user.id}")
          @RateLimited(limit = 1000, per = "1h", key = "{user.id}")
          String search(User user, String query);
          @RateLimited(limit = 5, per = "1s", key = "{user.tenant}:{user.id}", algorithm = RateLimited.Algorithm.SLIDING_WINDOW, name = "export-user")
          @RateLimited(limit = 100, per = "1s", algorithm = RateLimited.Algorithm.SLIDING_WINDOW, name = "export-all")
          @RateLimited(limit = 50, per = "1s", key = "{user.tenant}", algorithm = RateLimited.Algorithm.SLIDING_WINDOW, name = "export-tenant")
          long export(User user);
          @RateLimited(limit = 1, per = "PT1M", key = "{id}", onLimit = RateLimited.OnLimit.WAIT, maxWait = "2s",
              onFailure = RateLimited.OnFailure.DENY)
          @Cached(ttl = "10m", key = "{id}")
          String cachedAndLimited(long id);
          @RateLimited(limit = 3, per = "1s", key = "{id}", algorithm = RateLimited.Algorithm.FIXED_WINDOW)
          CompletableFuture<String> async(long id);
          @RateLimited(limit = 3, per = "1s", key = "{id}")
          CompletionStage<Void> stage(long id);
          @RateLimited(limit = 3, per = "1s", key = "{id}", name = "search-by-id")
          String search(long id);
        }
        """));
    assertThat(ok).succeededWithoutWarnings();
    assertThat(ok).generatedSourceFile("test.RedwireApi").contentsAsUtf8String()
        .contains("this.searchRateLimiter.acquire(rateTag)");
    assertThat(ok).generatedSourceFile("test.RedwireApi").contentsAsUtf8String()
        .contains("this.exportRateLimiter.acquire(new byte[][] {rateTag, null, rateTag_})");
    assertThat(ok).generatedSourceFile("test.RedwireApi").contentsAsUtf8String()
        .contains("return CompletableFuture.failedFuture(refused);");
    assertThat(ok).generatedSourceFile("test.RedwireApi").contentsAsUtf8String()
        .contains("this.pingRateLimiter.acquire();");
  }

  @Test
  void limitNotPositive() {
    assertOnlyError("""
        public interface Api {
          @RateLimited(limit = 0, per = "1s")
          void ping();
        }
        """, 2,
        "[Redwire/RateLimitLimit] @RateLimited(limit) must be at least 1; found 0. Write how many calls are"
            + " admitted per period, e.g. limit = 10.");
  }

  @Test
  void burstNotPositive() {
    assertOnlyError("""
        public interface Api {
          @RateLimited(limit = 10, per = "1s",
              burst = -5)
          void ping();
        }
        """, 3,
        "[Redwire/RateLimitBurst] @RateLimited(burst) must be at least 1; found -5. Remove burst to allow"
            + " the limit at once, or write a positive number.");
  }

  @Test
  void burstWithAWindowAlgorithm() {
    assertOnlyError("""
        public interface Api {
          @RateLimited(limit = 10, per = "1s", burst = 20, algorithm = RateLimited.Algorithm.FIXED_WINDOW)
          void ping();
        }
        """, 2,
        "[Redwire/RateLimitBurstAlgorithm] @RateLimited(burst) applies only to algorithm = GCRA; this limit"
            + " uses FIXED_WINDOW, which admits at most limit calls per window. Remove burst or use GCRA.");
  }

  @Test
  void perMissing() {
    assertOnlyError("""
        public interface Api {
          @RateLimited(limit = 10)
          void ping();
        }
        """, 2,
        "[Redwire/DurationMissing] @RateLimited needs per; Api.ping() leaves it empty. Write a duration such"
            + " as per = \"10m\".");
  }

  @Test
  void perMalformed() {
    assertOnlyError("""
        public interface Api {
          @RateLimited(limit = 10,
              per = "1 second")
          void ping();
        }
        """, 3,
        "[Redwire/Duration] @RateLimited(per) must be a positive duration; found \"1 second\". Use a number"
            + " with ms, s, m, h or d (\"250ms\", \"30s\", \"10m\", \"2h\", \"1d\") or ISO-8601 such as"
            + " \"PT10M\".");
  }

  @Test
  void perZero() {
    assertOnlyError("""
        public interface Api {
          @RateLimited(limit = 10, per = "0ms")
          void ping();
        }
        """, 2, "[Redwire/Duration] @RateLimited(per) must be a positive duration; found \"0ms\".");
  }

  @Test
  void keyNamesAnUnknownParameter() {
    assertOnlyError("""
        public interface Api {
          @RateLimited(limit = 10, per = "1s", key = "{usr}")
          void checkout(String user, long cart);
        }
        """, 2,
        "[Redwire/KeyUnknownName] key placeholders name parameters; {usr} names 'usr', which parameters of"
            + " checkout() does not have. Did you mean {user}?");
  }

  /**
   * javac cannot place a diagnostic on one annotation of a repeated pair (the element holds their
   * synthesized container), so errors about repeated limits point at the method.
   */
  @Test
  void keyInARepeatedLimitPointsAtTheMethod() {
    assertOnlyError("""
        public interface Api {
          @RateLimited(limit = 10, per = "1s", key = "{user}")
          @RateLimited(limit = 1000, per = "1h", key = "{user.id}")
          void checkout(String user);
        }
        """, 4,
        "[Redwire/KeyUnknownName] key placeholders name record components or no-arg accessors; {user.id}"
            + " names 'id', which type String does not have.");
  }

  @Test
  void maxWaitWithoutWait() {
    assertOnlyError("""
        public interface Api {
          @RateLimited(limit = 10, per = "1s", maxWait = "2s")
          void ping();
        }
        """, 2,
        "[Redwire/RateLimitMaxWaitWithoutWait] @RateLimited(maxWait) bounds waiting for a permit, which only"
            + " onLimit = WAIT does; this limit throws at once (onLimit = THROW). Add onLimit ="
            + " RateLimited.OnLimit.WAIT or remove maxWait.");
  }

  @Test
  void waitWithoutMaxWait() {
    assertOnlyError("""
        public interface Api {
          @RateLimited(limit = 10, per = "1s", onLimit = RateLimited.OnLimit.WAIT)
          void ping();
        }
        """, 2,
        "[Redwire/RateLimitWaitUnbounded] @RateLimited(onLimit = WAIT) must bound the wait; Api.ping() has no"
            + " maxWait. Add maxWait = \"2s\" (the longest a caller may block).");
  }

  @Test
  void waitOnAnAsynchronousMethod() {
    assertOnlyError("""
        public interface Api {
          @RateLimited(limit = 10, per = "1s", onLimit = RateLimited.OnLimit.WAIT, maxWait = "1s")
          CompletableFuture<String> fetch(long id);
        }
        """, 2,
        "[Redwire/RateLimitWaitAsync] @RateLimited(onLimit = WAIT) blocks the calling thread, which an"
            + " asynchronous method must not do; Api.fetch(long) returns CompletableFuture<String>. Use"
            + " onLimit = THROW: the returned future fails with RateLimitedException.");
  }

  @Test
  void duplicateNamesInOneInterface() {
    assertOnlyError("""
        public interface Api {
          @RateLimited(limit = 10, per = "1s", name = "api")
          void ping();
          @RateLimited(limit = 10, per = "1s", name = "api")
          void pong();
        }
        """, 4,
        "[Redwire/RateLimitNameDuplicate] rate limit names must be unique in an interface; \"api\" is also a"
            + " limit of Api.ping(). Give one of them another name.");
  }

  @Test
  void twoLimitsWithTheSamePeriodNeedNames() {
    assertOnlyError("""
        public interface Api {
          @RateLimited(limit = 10, per = "1s")
          @RateLimited(limit = 5, per = "1s", key = "{user}")
          void ping(String user);
        }
        """, 4,
        "[Redwire/RateLimitNameDuplicate] rate limit names must be unique in an interface; \"Api.ping-1s\" is also"
            + " a limit of Api.ping(String). Give one of them another name.");
  }

  @Test
  void mixedAlgorithmsOnOneMethod() {
    assertOnlyError("""
        public interface Api {
          @RateLimited(limit = 10, per = "1s")
          @RateLimited(limit = 1000, per = "1h", algorithm = RateLimited.Algorithm.FIXED_WINDOW)
          void ping();
        }
        """, 4,
        "[Redwire/RateLimitMixed] the limits of one method are decided together in one script call, so they"
            + " share algorithm, onLimit, onFailure and maxWait; Api.ping() has algorithm = FIXED_WINDOW on"
            + " its @RateLimited(per = \"1h\") and GCRA on its first @RateLimited. Use the same algorithm on"
            + " every @RateLimited of the method.");
  }

  @Test
  void invalidName() {
    assertOnlyError("""
        public interface Api {
          @RateLimited(limit = 10, per = "1s", name = "per user")
          void ping();
        }
        """, 2,
        "[Redwire/Name] @RateLimited names may hold letters, digits, '.', '_' and '-'; found \"per user\"."
            + " Rename it.");
  }

  @Test
  void repeatedOnAClassMethod() {
    assertOnlyError("""
        public abstract class Api {
          @RateLimited(limit = 10, per = "1s")
          @RateLimited(limit = 100, per = "1m")
          public abstract void ping();
        }
        """, 4,
        "[Redwire/NotOnInterface] @RateLimited applies to methods of interfaces; Api.ping() is declared in"
            + " class Api. Move the method to an interface and implement it in the class you wrap.");
  }
}
