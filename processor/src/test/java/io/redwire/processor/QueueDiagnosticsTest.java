package io.redwire.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.redwire.processor.Sources.assertOnlyError;
import static io.redwire.processor.Sources.compile;
import static io.redwire.processor.Sources.source;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;

/**
 * One test per {@code @Queued}, {@code @Delay} and {@code @At} diagnostic: the tag, the whole text, and
 * the line it points at (line n of the text block is line {@code HEADER_LINES + n}).
 */
class QueueDiagnosticsTest {

  @Test
  void queuedInterfacesCompile() {
    Compilation c = compile(source("Mailer", """
        public interface Mailer {
          record Order(String id, long cents) {}
          @Queued(queue = "mail", maxAttempts = 5, backoff = "1s", unique = "{orderId}")
          void confirmation(String orderId, @Delay java.time.Duration after);
          @Queued(queue = "mail", maxAttempts = 5, backoff = "1s")
          void receipt(Order order, @At java.time.Instant at);
          @Queued(timeout = "30s")
          @Locked(key = "{day}")
          @RateLimited(limit = 10, per = "1s", onLimit = RateLimited.OnLimit.WAIT, maxWait = "5s")
          void report(String day, List<String> to, int[] pages);
          default void twice(String id) { confirmation(id, null); confirmation(id, null); }
        }
        """));
    assertThat(c).succeededWithoutWarnings();
    assertThat(c).generatedSourceFile("test.RedwireMailer").contentsAsUtf8String()
        .contains("public static Mailer client(Redwire redwire)");
    assertThat(c).generatedSourceFile("test.RedwireMailer").contentsAsUtf8String()
        .contains("public static Worker work(Mailer delegate, Redwire redwire, int concurrency)");
    assertThat(c).generatedSourceFile("test.RedwireMailer").contentsAsUtf8String()
        .contains("public static QueueAdmin<Mailer> confirmationAdmin(Redwire redwire)");
    assertThat(c).generatedSourceFile("test.RedwireMailer").contentsAsUtf8String()
        .contains("public static QueueAdmin<Mailer> reportAdmin(Redwire redwire)");
  }

  @Test
  void queuedReturn() {
    assertOnlyError("Mailer", """
        public interface Mailer {
          @Queued
          boolean send(String to);
        }
        """, 2, "[Redwire/QueuedReturn] @Queued methods return void: the call returns when the job is"
            + " enqueued, before it runs; Mailer.send(String) returns boolean. Return void, and have the job"
            + " store or publish its result.");
  }

  @Test
  void queuedRange() {
    assertOnlyError("Mailer", """
        public interface Mailer {
          @Queued(
              maxAttempts = 0)
          void send(String to);
        }
        """, 3, "[Redwire/QueuedRange] @Queued(maxAttempts) must be at least 1; found 0. Use 1 or more.");
  }

  @Test
  void delayTwice() {
    assertOnlyError("Mailer", """
        public interface Mailer {
          @Queued
          void send(String to, @Delay java.time.Duration after,
              @At java.time.Instant at);
        }
        """, 4, "[Redwire/DelayTwice] a @Queued method is delayed by at most one @Delay or @At parameter;"
            + " at also marks after. Keep one of them.");
  }

  @Test
  void delayType() {
    assertOnlyError("Mailer", """
        public interface Mailer {
          @Queued
          void send(String to,
              @Delay long millis);
        }
        """, 4, "[Redwire/DelayType] @Delay marks a java.time.Duration parameter; millis is long. Change the"
            + " parameter's type, or use @At for an Instant.");
  }

  @Test
  void atType() {
    assertOnlyError("Mailer", """
        public interface Mailer {
          @Queued
          void send(String to,
              @At java.time.Duration in);
        }
        """, 4, "[Redwire/DelayType] @At marks a java.time.Instant parameter; in is java.time.Duration."
            + " Change the parameter's type, or use @Delay for a Duration.");
  }

  @Test
  void delayWithoutQueued() {
    assertOnlyError("Mailer", """
        public interface Mailer {
          void send(String to,
              @Delay java.time.Duration after);
        }
        """, 3, "[Redwire/DelayWithoutQueued] @Delay delays a @Queued job; Mailer.send(String, Duration) has"
            + " no @Queued. Add @Queued to the method or remove @Delay.");
  }

  @Test
  void jobCodec() {
    assertOnlyError("Mailer", """
        public interface Mailer {
          @Queued
          void send(String to,
              Thread worker);
        }
        """, 4, "[Redwire/JobCodec] job arguments are stored with a codec Redwire can generate or one named"
            + " with @UseCodec;");
  }

  @Test
  void uniqueNamesNothing() {
    assertOnlyError("Mailer", """
        public interface Mailer {
          @Queued(
              unique = "always")
          void send(String to);
        }
        """, 3, "[Redwire/UniqueKey] @Queued(unique) names the parameters that make a job unique; \"always\""
            + " names none. Write a template such as \"{orderId}\", or remove unique.");
  }

  @Test
  void uniqueNamesAParameterThatDoesNotExist() {
    assertOnlyError("Mailer", """
        public interface Mailer {
          @Queued(
              unique = "{recipient}")
          void send(String to);
        }
        """, 3, "[Redwire/KeyUnknownName]");
  }

  @Test
  void backoffDuration() {
    assertOnlyError("Mailer", """
        public interface Mailer {
          @Queued(
              backoff = "soon")
          void send(String to);
        }
        """, 3, "[Redwire/Duration] @Queued(backoff) must be a positive duration; found \"soon\".");
  }

  @Test
  void timeoutDuration() {
    assertOnlyError("Mailer", """
        public interface Mailer {
          @Queued(
              timeout = "-5s")
          void send(String to);
        }
        """, 3, "[Redwire/Duration] @Queued(timeout) must be a positive duration; found \"-5s\".");
  }

  @Test
  void queuedMixed() {
    assertOnlyError("Mailer", """
        public interface Mailer {
          @Queued
          void send(String to);
          int sent();
        }
        """, 4, "[Redwire/QueuedMixed] an interface with @Queued methods holds only @Queued methods (and"
            + " default methods); Mailer.sent() is not a @Queued method. Move it to another interface: the"
            + " generated client only enqueues.");
  }

  @Test
  void queuedWith() {
    assertOnlyError("Mailer", """
        public interface Mailer {
          @Queued
          @Publishes(channel = "sent")
          void send(@Payload String to);
        }
        """, 2, "[Redwire/QueuedWith] @Queued combines only with @RateLimited and @Locked, which apply when"
            + " the job runs; Mailer.send(String) also has @Publishes. Put that annotation on the interface"
            + " the job calls.");
  }

  @Test
  void queueShape() {
    assertOnlyError("Mailer", """
        public interface Mailer {
          @Queued(queue = "mail", maxAttempts = 3)
          void send(String to);
          @Queued(queue = "mail", maxAttempts = 5)
          void resend(String to);
        }
        """, 4, "[Redwire/QueueShape] methods of one interface that share a queue agree on its maxAttempts,"
            + " backoff and timeout; queue \"mail\" has maxAttempts = 5, backoff = 1000 ms, timeout = none"
            + " here and maxAttempts = 3, backoff = 1000 ms, timeout = none at Mailer.send(String). Give them"
            + " the same settings or separate queues.");
  }

  @Test
  void queueName() {
    assertOnlyError("Mailer", """
        public interface Mailer {
          @Queued(queue = "mail box")
          void send(String to);
        }
        """, 2, "[Redwire/Name] @Queued names may hold letters, digits, '.', '_' and '-'; found \"mail box\"."
            + " Rename it.");
  }
}
