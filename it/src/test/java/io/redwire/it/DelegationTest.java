package io.redwire.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.redwire.runtime.Redwire;
import io.redwire.testing.RedisServer;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Unannotated methods (generic, overloaded, varargs, throwing, default) delegate unchanged. */
class DelegationTest {

  static RedisServer server;
  static Redwire redwire;

  @BeforeAll
  static void start() {
    server = RedisServer.start();
    redwire = Redwire.builder().uri(server.uri()).namespace("delegation").build();
  }

  @AfterAll
  static void stop() {
    redwire.close();
    server.close();
  }

  static final class Names implements Repository<String> {
    final AtomicInteger labels = new AtomicInteger();

    @Override
    public String label(long id) {
      labels.incrementAndGet();
      return "label " + id;
    }

    @Override
    public String identity(String value) {
      return value;
    }

    @Override
    public <R> R convert(String value, Class<R> type) {
      return type.cast(Integer.valueOf(value.length()));
    }

    @Override
    public int count(String a) {
      return 1;
    }

    @Override
    public int count(String a, String b) {
      return 2;
    }

    @Override
    public int sum(int... values) {
      int s = 0;
      for (int v : values) {
        s += v;
      }
      return s;
    }

    @Override
    public String read(String path) throws IOException {
      throw new FileNotFoundException(path);
    }

    @Override
    public String describe(String value) {
      return "overridden " + value;
    }
  }

  @Test
  void everyKindOfMethodDelegates() {
    Names names = new Names();
    Repository<String> repo = RedwireRepository.wrap(names, redwire);
    String s = "same instance";
    assertSame(s, repo.identity(s));
    assertEquals(4, repo.convert("four", Integer.class));
    assertEquals(1, repo.count("a"));
    assertEquals(2, repo.count("a", "b"));
    assertEquals(6, repo.sum(1, 2, 3));
    assertEquals(0, repo.sum());
    FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> repo.read("/nope"));
    assertEquals("/nope", e.getMessage());
    assertEquals("overridden x", repo.describe("x"), "the delegate's override of a default method wins");
    assertEquals("label 1", repo.label(1));
    assertEquals("label 1", repo.label(1));
    assertEquals(1, names.labels.get());
  }

  @Test
  void aDelegateExceptionFromACachedMethodReachesTheCallerUnchanged() {
    Catalog failing = RedwireCatalog.wrap(new CountingCatalog() {
      @Override
      public Product product(long id) {
        throw new IllegalStateException("database down " + id);
      }
    }, redwire);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> failing.product(5));
    assertEquals("database down 5", e.getMessage());
  }
}
