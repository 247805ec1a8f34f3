package io.redwire.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.redwire.processor.Sources.HEADER_LINES;
import static io.redwire.processor.Sources.assertOnlyError;
import static io.redwire.processor.Sources.compile;
import static io.redwire.processor.Sources.source;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;

/**
 * One test per {@code @Locked} diagnostic: the tag, the whole text, and the line it points at (line n of
 * the text block is line {@code HEADER_LINES + n} of the file).
 */
class LockDiagnosticsTest {

  @Test
  void everyEmptyValueCompiles() {
    Compilation c = compile(source("Jobs", """
        public interface Jobs {
          @Locked(onBusy = Locked.OnBusy.SKIP) void a();
          @Locked(onBusy = Locked.OnBusy.SKIP) int b();
          @Locked(onBusy = Locked.OnBusy.SKIP) char c();
          @Locked(onBusy = Locked.OnBusy.SKIP) double d();
          @Locked(onBusy = Locked.OnBusy.SKIP) Optional<String> e();
          @Locked(onBusy = Locked.OnBusy.SKIP) OptionalDouble f();
          @Locked(onBusy = Locked.OnBusy.SKIP) Collection<String> g();
          @Locked(onBusy = Locked.OnBusy.SKIP) NavigableMap<String, Long> h();
          @Locked(onBusy = Locked.OnBusy.SKIP) java.util.stream.Stream<String> i();
          @Locked(onBusy = Locked.OnBusy.SKIP) String j();
          @Locked(onBusy = Locked.OnBusy.SKIP, key = "{day}:{shard}", lease = "1h", maxWait = "PT1S")
          byte k(java.time.LocalDate day, int shard) throws java.io.IOException;
        }
        """));
    assertThat(c).succeededWithoutWarnings();
  }

  @Test
  void sameKeyTextWithDefaultNamesIsAWarning() {
    javax.tools.JavaFileObject file = source("Accounts", """
        public interface Accounts {
          @Locked(key = "acct:{account}")
          void debit(String account, long cents);
          @Locked(key = "acct:{account}")
          void credit(String account, long cents);
        }
        """);
    Compilation c = compile(file);
    assertThat(c).succeeded();
    assertThat(c).hadWarningCount(1);
    assertThat(c).hadWarningContaining("[Redwire/LockNotShared] locks exclude each other by name and key, and"
        + " default names differ per method; Accounts.debit(String, long) and Accounts.credit(String, long)"
        + " both lock key \"acct:{account}\" but as locks \"Accounts.debit\" and \"Accounts.credit\", so they"
        + " do not exclude each other. Give both name = \"...\" (the same name) if they guard the same thing,"
        + " or different key text if they do not.")
        .inFile(file).onLine(HEADER_LINES + 4);
    assertThat(c).generatedSourceFile("test.RedwireAccounts");
  }

  @Test
  void sameKeyTextWithASharedNameIsQuiet() {
    Compilation c = compile(source("Accounts", """
        public interface Accounts {
          @Locked(key = "acct:{account}", name = "account")
          void debit(String account, long cents);
          @Locked(key = "acct:{account}", name = "account")
          void credit(String account, long cents);
          @Locked(key = "acct:{account}", name = "audit")
          void audit(String account);
        }
        """));
    assertThat(c).succeededWithoutWarnings();
  }

  @Test
  void lockedOnAClassMethod() {
    assertOnlyError("Jobs", """
        public abstract class Jobs {
          @Locked
          public abstract void run();
        }
        """, 3,
        "[Redwire/NotOnInterface] @Locked applies to methods of interfaces; Jobs.run() is declared in class"
            + " Jobs. Move the method to an interface and implement it in the class you wrap.");
  }

  @Test
  void unknownKeyNameSuggestsTheClosest() {
    assertOnlyError("Inventory", """
        public interface Inventory {
          @Locked(key = "{skú}")
          int reserve(String sku, int quantity);
        }
        """, 2,
        "[Redwire/KeyUnknownName] key placeholders name parameters; {skú} names 'skú', which parameters of"
            + " reserve() does not have. Did you mean {sku}?");
  }

  @Test
  void leaseMalformed() {
    assertOnlyError("Jobs", """
        public interface Jobs {
          @Locked(
              lease = "1 hour")
          void run();
        }
        """, 3,
        "[Redwire/Duration] @Locked(lease) must be a positive duration; found \"1 hour\". Use a number with"
            + " ms, s, m, h or d (\"250ms\", \"30s\", \"10m\", \"2h\", \"1d\") or ISO-8601 such as \"PT10M\".");
  }

  @Test
  void maxWaitZero() {
    assertOnlyError("Jobs", """
        public interface Jobs {
          @Locked(maxWait = "0ms")
          void run();
        }
        """, 2, "[Redwire/Duration] @Locked(maxWait) must be a positive duration; found \"0ms\".");
  }

  @Test
  void nameInvalid() {
    assertOnlyError("Jobs", """
        public interface Jobs {
          @Locked(name = "nightly report")
          void run();
        }
        """, 2,
        "[Redwire/Name] @Locked names may hold letters, digits, '.', '_' and '-'; found \"nightly report\"."
            + " Rename it.");
  }

  @Test
  void lockedFuture() {
    assertOnlyError("Jobs", """
        public interface Jobs {
          @Locked
          CompletableFuture<String> run();
        }
        """, 2,
        "[Redwire/LockedAsync] @Locked holds the lock while the method runs on the calling thread;"
            + " Jobs.run() returns CompletableFuture<String>, which completes later, after the lock would be"
            + " released. Return the value itself, or lock inside the asynchronous task.");
  }

  @Test
  void skipWhereNullIsNotAllowed() {
    assertOnlyError("Jobs", """
        public interface Jobs {
          @interface NonNull {}
          record Report(String text) {}
          @NonNull
          @Locked(
              onBusy = Locked.OnBusy.SKIP)
          Report run();
        }
        """, 6,
        "[Redwire/LockSkipNoEmpty] @Locked(onBusy = SKIP) returns the return type's empty value when the"
            + " lock is busy; Jobs.run() returns Jobs.Report, declared non-null, whose only empty value is"
            + " null. Return void, a primitive, an Optional or a collection, or use onBusy = THROW.");
  }

  @Test
  void sharedLockNameWithAnotherKeyShape() {
    assertOnlyError("Inventory", """
        public interface Inventory {
          @Locked(name = "stock", key = "{sku}")
          int reserve(String sku, int quantity);
          @Locked(name = "stock",
              key = "{warehouse}")
          int restock(long warehouse);
        }
        """, 5,
        "[Redwire/LockKeyShape] methods that share a lock name lock the same keys, so their keys must have"
            + " one shape; lock \"stock\" of Inventory.reserve(String, int) has key \"<String>\", this key is"
            + " \"<integer>\". Write a key of the same shape or give this lock another name.");
  }
}
