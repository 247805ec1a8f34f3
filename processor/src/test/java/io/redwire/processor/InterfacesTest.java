package io.redwire.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.redwire.processor.Sources.HEADER_LINES;
import static io.redwire.processor.Sources.compile;
import static io.redwire.processor.Sources.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import java.io.IOException;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Which interfaces get a proxy (declared and inherited annotations, generic bases), the default names
 * and name claims in the generated code, and javac's lint staying quiet.
 */
class InterfacesTest {

  private static String generated(Compilation c, String name) throws IOException {
    return c.generatedSourceFile(name).orElseThrow().getCharContent(true).toString();
  }

  @Test
  void lintAllWithWerrorCompilesAValidInterface() {
    Compilation c = Compiler.javac().withProcessors(new RedwireProcessor())
        .withOptions("-Xlint:all", "-Werror")
        .compile(source("Api", """
            public interface Api {
              record Money(long cents) {}
              final class MoneyCodec implements io.redwire.runtime.codec.Codec<Money> {
                public void write(io.redwire.runtime.codec.Output out, Money v) {}
                public Money read(io.redwire.runtime.codec.Input in) { return new Money(0); }
              }
              @Cached(ttl = "10m")
              String name(long id);
              @Cached(ttl = "10m") @UseCodec(MoneyCodec.class)
              Money price(long id);
              @CacheEvict(name = "name")
              @CacheEvict(name = "price")
              void delete(long id);
              @CachePut(name = "name", key = "{id}")
              String rename(long id, String to);
              @RateLimited(limit = 10, per = "1s")
              @RateLimited(limit = 100, per = "1m")
              void ping();
              @RateLimited(limit = 10, per = "1s", key = "{id}")
              @Locked(key = "{id}", maxWait = "1s")
              void work(long id);
            }
            """));
    assertThat(c).succeededWithoutWarnings();
    assertEquals(0, c.diagnostics().stream()
        .filter(d -> d.getKind() == Diagnostic.Kind.WARNING || d.getKind() == Diagnostic.Kind.MANDATORY_WARNING)
        .count(), () -> c.diagnostics().toString());
  }

  @Test
  void defaultNamesStartWithTheInterface() throws IOException {
    Compilation c = compile(source("Shop", """
        public interface Shop {
          interface Users {
            @Cached(ttl = "10m")
            String name(long id);
          }
          interface Products {
            @Cached(ttl = "10m")
            String name(long id);
          }
          @RateLimited(limit = 10, per = "1s")
          @RateLimited(limit = 100, per = "1m")
          @Locked
          @Cached(ttl = "1m")
          String place(String order);
        }
        """));
    assertThat(c).succeededWithoutWarnings();
    String users = generated(c, "test.RedwireShop_Users");
    assertTrue(users.contains("redwire.claim(\"cache\", \"Shop.Users.name\", \"test.Shop.Users\", NAME_CACHE_SHAPE);"),
        users);
    assertTrue(users.contains("NAME_CACHE_SHAPE = \"value=java.lang.String#"), users);
    assertTrue(users.contains(";key=integer;ttl="), users);
    assertTrue(users.contains("new CacheSettings(\"Shop.Users.name\""), users);
    String products = generated(c, "test.RedwireShop_Products");
    assertTrue(products.contains("new CacheSettings(\"Shop.Products.name\""), products);
    String shop = generated(c, "test.RedwireShop");
    for (String claim : new String[] {
        "redwire.claim(\"rate-limit\", \"Shop.place-1s\", \"test.Shop\", PLACE1S_RATE_LIMIT_SHAPE);",
        "redwire.claim(\"rate-limit\", \"Shop.place-1m\", \"test.Shop\", PLACE1M_RATE_LIMIT_SHAPE);",
        "redwire.claim(\"lock\", \"Shop.place\", \"test.Shop\", PLACE_LOCK_SHAPE);",
        "redwire.claim(\"cache\", \"Shop.place\", \"test.Shop\", PLACE_CACHE_SHAPE);",
        "PLACE1S_RATE_LIMIT_SHAPE = \"algorithm=GCRA;key=;limit=",
        "PLACE_LOCK_SHAPE = \"key=String\";"}) {
      assertTrue(shop.contains(claim), () -> claim + " not in\n" + shop);
    }
    // claims come before anything is built
    assertTrue(shop.indexOf("redwire.claim(") < shop.indexOf("RateLimiter.of("), shop);
    assertTrue(shop.lastIndexOf("redwire.claim(") < shop.indexOf("CacheRegion.of("), shop);
    assertTrue(shop.lastIndexOf("redwire.claim(") < shop.indexOf("RedwireLock.of("), shop);
  }

  @Test
  void genericBaseGetsANoteAndItsSubInterfaceTheProxy() throws IOException {
    JavaFileObject repo = JavaFileObjects("Repo", """
        public interface Repo<T, ID> {
          @Cached(ttl = "1m", key = "{id}")
          T find(ID id);
          @CacheEvict(name = "find", key = "{id}")
          void forget(ID id);
          T plain(ID id);
        }
        """);
    JavaFileObject account = JavaFileObjects("Account", """
        public record Account(long id, String owner) {}
        """);
    JavaFileObject accounts = JavaFileObjects("AccountRepo", """
        public interface AccountRepo extends Repo<Account, Long> {}
        """);
    Compilation c = compile(repo, account, accounts);
    assertThat(c).succeededWithoutWarnings();
    assertThat(c).hadNoteContaining("[Redwire/GenericBase] Redwire implements interfaces whose keys and"
        + " values have fixed types; the annotated methods of Repo use its type variables T, ID, so no"
        + " RedwireRepo is generated. An interface that extends Repo<...> with concrete types gets its own"
        + " proxy with the inherited annotations.").inFile(repo).onLine(HEADER_LINES + 1);
    assertFalse(c.generatedSourceFile("test.RedwireRepo").isPresent());
    String generated = generated(c, "test.RedwireAccountRepo");
    assertTrue(generated.contains("public Account find(Long id)"), generated);
    assertTrue(generated.contains("new CacheSettings(\"AccountRepo.find\""), generated);
    assertTrue(generated.contains("redwire.claim(\"cache\", \"AccountRepo.find\", \"test.AccountRepo\""),
        generated);
    assertTrue(generated.contains("this.findCache.evict(key)"), generated);
  }

  @Test
  void subInterfaceOfAConcreteInterfaceGetsItsOwnNames() throws IOException {
    Compilation c = compile(source("Base", """
        public interface Base {
          @Cached(ttl = "1m")
          String label(long id);
        }
        interface Sub extends Base {
          String other(long id);
        }
        """));
    assertThat(c).succeededWithoutWarnings();
    assertTrue(generated(c, "test.RedwireBase").contains("new CacheSettings(\"Base.label\""));
    assertTrue(generated(c, "test.RedwireSub").contains("new CacheSettings(\"Sub.label\""));
  }

  @Test
  void anErrorInABaseIsReportedOnceNotOncePerSubInterface() {
    JavaFileObject file = source("Base", """
        public interface Base {
          @Cached(ttl = "ten minutes")
          String label(long id);
        }
        interface Sub extends Base {}
        interface Other extends Base {}
        """);
    Compilation c = compile(file);
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("[Redwire/Duration] @Cached(ttl) must be a positive duration; found"
        + " \"ten minutes\".").inFile(file).onLine(HEADER_LINES + 2);
  }

  @Test
  void aMethodTypeVariableIsStillAnError() {
    Compilation c = compile(source("Odd", """
        public interface Odd {
          @Cached(ttl = "1m")
          <T> T find(long id);
        }
        """));
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("type variable T has no fixed shape");
  }

  private static JavaFileObject JavaFileObjects(String name, String body) {
    return source(name, body);
  }
}
