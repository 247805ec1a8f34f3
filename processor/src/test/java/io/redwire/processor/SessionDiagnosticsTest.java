package io.redwire.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.redwire.processor.Sources.assertOnlyError;
import static io.redwire.processor.Sources.compile;
import static io.redwire.processor.Sources.source;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;

/**
 * One test per {@code @SessionScoped} diagnostic: the tag, the whole text, and the line it points at
 * (line n of the text block is line {@code HEADER_LINES + n}).
 */
class SessionDiagnosticsTest {

  @Test
  void everyAccessorShapeCompilesAndGetsAStore() {
    Compilation c = compile(source("Cart", """
        @SessionScoped(ttl = "30m", name = "cart", absolute = "8h", maxPerUser = 3)
        public interface Cart {
          record View(long items, String coupon) {}
          String id();
          @SessionUser String userId();
          void userId(String userId);
          long items();
          long addItems(long delta);
          int visits();
          int addVisits(int delta);
          String coupon();
          void coupon(String coupon);
          boolean compareAndSetCoupon(String expect, String update);
          Optional<UUID> order();
          void order(Optional<UUID> order);
          View view();
          long hits();
          View addHits(long delta);
          default boolean empty() { return items() == 0; }
        }
        """));
    assertThat(c).succeededWithoutWarnings();
    assertThat(c).generatedSourceFile("test.RedwireCart").contentsAsUtf8String()
        .contains("public static SessionStore<Cart> store(Redwire redwire)");
  }

  @Test
  void sessionNoId() {
    javax.tools.JavaFileObject file = source("Prefs", """
        @SessionScoped(ttl = "30m")
        public interface Prefs {
          String theme();
          void theme(String theme);
        }
        """);
    Compilation c = compile(file);
    assertThat(c).succeeded();
    assertThat(c).hadWarningCount(1);
    assertThat(c).hadWarningContaining("[Redwire/SessionNoId] Prefs declares no String id(), so nothing can"
        + " read a session's id: find, view, rotate and invalidate take it, and a session from create()"
        + " could never be found again. Declare String id(); (the one reserved accessor).").inFile(file)
        .onLine(Sources.HEADER_LINES + 2);
  }

  @Test
  void sessionNotInterface() {
    assertOnlyError("Cart", """
        @SessionScoped(ttl = "30m")
        public abstract class Cart {
          abstract String coupon();
        }
        """, 2, "[Redwire/SessionNotInterface] @SessionScoped describes session state as an interface of"
            + " accessors that Redwire implements; Cart is a class. Declare it as a non-generic interface.");
  }

  @Test
  void sessionNotInterfaceWhenGeneric() {
    assertOnlyError("Cart", """
        @SessionScoped(ttl = "30m")
        public interface Cart<T> {
          T coupon();
        }
        """, 2, "[Redwire/SessionNotInterface] @SessionScoped describes session state as an interface of"
            + " accessors that Redwire implements; Cart is a generic interface. Declare it as a non-generic"
            + " interface.");
  }

  @Test
  void sessionUserOutside() {
    assertOnlyError("Users", """
        public interface Users {
          @SessionUser String userId();
        }
        """, 2, "[Redwire/SessionUserOutside] @SessionUser marks the user getter of a @SessionScoped"
            + " interface; Users.userId() is not in one. Remove @SessionUser or annotate the interface with"
            + " @SessionScoped.");
  }

  @Test
  void sessionAnnotatedMethod() {
    assertOnlyError("Cart", """
        @SessionScoped(ttl = "30m")
        public interface Cart {
          @Cached(ttl = "1m") String coupon();
        }
        """, 3, "[Redwire/SessionAnnotatedMethod] methods of a @SessionScoped interface are accessors of"
            + " session fields and call no delegate; Cart.coupon() has @Cached. Remove it, or move the"
            + " method to an interface you wrap.");
  }

  @Test
  void sessionMethodShape() {
    assertOnlyError("Cart", """
        @SessionScoped(ttl = "30m")
        public interface Cart {
          String coupon();
          String coupon(String a, int b);
        }
        """, 4, "[Redwire/SessionMethodShape] @SessionScoped methods are getters T x(), setters void x(T"
            + " v), increments long addX(long delta), compare-and-sets boolean compareAndSetX(T expect, T"
            + " update), record views R x() and String id(); Cart.coupon(String, int) is none of these."
            + " Give it one of those shapes or make it a default method.");
  }

  @Test
  void sessionIdReserved() {
    assertOnlyError("Cart", """
        @SessionScoped(ttl = "30m")
        public interface Cart {
          long id();
        }
        """, 3, "[Redwire/SessionIdReserved] id is reserved for the session id, read with String id();"
            + " Cart.id() has another shape. Declare String id(), or name the field otherwise.");
  }

  @Test
  void setterWithoutGetter() {
    assertOnlyError("Cart", """
        @SessionScoped(ttl = "30m")
        public interface Cart {
          String coupon();
          void cupon(String coupon);
        }
        """, 4, "[Redwire/SessionNoGetter] a setter writes session field \"cupon\", which is read through"
            + " its getter cupon(); Cart has none. Add the getter, or fix the name.");
  }

  @Test
  void aBeanStyleSetterIsToldTheAccessorNames() {
    assertOnlyError("Cart", """
        @SessionScoped(ttl = "30m")
        public interface Cart {
          String id();
          String getCoupon();
          void setCoupon(String coupon);
        }
        """, 5, "[Redwire/SessionNoGetter] a setter writes session field \"setCoupon\", which is read"
            + " through its getter setCoupon(); Cart has none. Add the getter, or fix the name. Accessors are"
            + " not bean-style: field \"coupon\" is read by coupon() and written by void coupon(value), with no"
            + " get or set prefix.");
  }

  @Test
  void typesThatDisagree() {
    assertOnlyError("Cart", """
        @SessionScoped(ttl = "30m")
        public interface Cart {
          String coupon();
          void coupon(Integer coupon);
        }
        """, 4, "[Redwire/SessionTypeMismatch] every accessor of session field \"coupon\" uses the"
            + " getter's type String; Cart.coupon(Integer) uses Integer. Use String.");
  }

  @Test
  void incrementOnANonIntegralField() {
    assertOnlyError("Cart", """
        @SessionScoped(ttl = "30m")
        public interface Cart {
          double total();
          double addTotal(double delta);
        }
        """, 4, "[Redwire/SessionIncrementType] increments add to integral fields, and"
            + " Cart.addTotal(double) returns the new value: long addX(long delta) for a long field, int"
            + " addX(int delta) for an int field; field \"total\" is double. Make the field long or int"
            + " and the increment match it.");
  }

  @Test
  void incrementReturningAViewOnANonIntegralField() {
    assertOnlyError("Cart", """
        @SessionScoped(ttl = "30m")
        public interface Cart {
          record View(double total) {}
          double total();
          View addTotal(double delta);
        }
        """, 5, "[Redwire/SessionIncrementType] increments add to integral fields; Cart.addTotal(double)"
            + " adds its delta to field \"total\", which is double, and then reads its view. Make the field"
            + " long or int and the delta match it: R addX(long delta) for a long field, R addX(int delta)"
            + " for an int field.");
  }

  @Test
  void incrementReturningAViewWithADeltaOfAnotherType() {
    assertOnlyError("Cart", """
        @SessionScoped(ttl = "30m")
        public interface Cart {
          record View(int visits) {}
          int visits();
          View addVisits(long delta);
        }
        """, 5, "[Redwire/SessionIncrementType] increments add to integral fields; Cart.addVisits(long)"
            + " adds its delta to field \"visits\", which is int, and then reads its view. Make the field"
            + " long or int and the delta match it: R addX(long delta) for a long field, R addX(int delta)"
            + " for an int field.");
  }

  @Test
  void incrementReturningAViewWhoseComponentNamesNoAccessor() {
    assertOnlyError("Cart", """
        @SessionScoped(ttl = "30m")
        public interface Cart {
          record View(long items, String cupon) {}
          long items();
          String coupon();
          View addItems(long delta);
        }
        """, 6, "[Redwire/SessionViewComponent] a view record's components name the getters they read;"
            + " component cupon of View names no getter of Cart. Did you mean coupon?");
  }

  @Test
  void incrementReturningAViewWithoutAGetter() {
    assertOnlyError("Cart", """
        @SessionScoped(ttl = "30m")
        public interface Cart {
          record View(String coupon) {}
          String coupon();
          View addItems(long delta);
        }
        """, 5, "[Redwire/SessionNoGetter] an increment writes session field \"items\", which is read"
            + " through its getter items(); Cart has none. Add the getter, or fix the name.");
  }

  @Test
  void compareAndSetShape() {
    assertOnlyError("Cart", """
        @SessionScoped(ttl = "30m")
        public interface Cart {
          String coupon();
          void compareAndSetCoupon(String expect, String update);
        }
        """, 4, "[Redwire/SessionCompareAndSet] compare-and-set is boolean compareAndSetX(T expect, T"
            + " update) with T the field's type; Cart.compareAndSetCoupon(String, String) does not have"
            + " that shape for field \"coupon\" of type String. Declare boolean"
            + " compareAndSetCoupon(String expect, String update).");
  }

  @Test
  void viewComponentNamingNoAccessor() {
    assertOnlyError("Cart", """
        @SessionScoped(ttl = "30m")
        public interface Cart {
          record View(long items, String cupon) {}
          long items();
          String coupon();
          View view();
        }
        """, 6, "[Redwire/SessionViewComponent] a view record's components name the getters they read;"
            + " component cupon of View names no getter of Cart. Did you mean coupon?");
  }

  @Test
  void userOnANonStringGetter() {
    assertOnlyError("Cart", """
        @SessionScoped(ttl = "30m", absolute = "8h")
        public interface Cart {
          @SessionUser long userId();
        }
        """, 3, "[Redwire/SessionUserType] @SessionUser marks the one String getter that names the"
            + " session's user; Cart.userId() returns long. Put it on a String getter, once.");
  }

  @Test
  void userIndexNeedsAbsolute() {
    assertOnlyError("Cart", """
        @SessionScoped(ttl = "30m")
        public interface Cart {
          @SessionUser String userId();
          void userId(String userId);
        }
        """, 1, "[Redwire/SessionIndexNeedsAbsolute] a user index expires one absolute timeout after its"
            + " newest login, so a store with a @SessionUser needs absolute; Cart has none. Add absolute ="
            + " \"8h\" (or another bound on a session's age).");
  }

  @Test
  void maxPerUserWithoutUser() {
    assertOnlyError("Cart", """
        @SessionScoped(ttl = "30m", absolute = "8h",
            maxPerUser = 3)
        public interface Cart {
          String coupon();
        }
        """, 2, "[Redwire/SessionMaxPerUser] maxPerUser bounds the sessions of one user, named by a"
            + " @SessionUser getter; found maxPerUser = 3 and no @SessionUser getter. Mark the String"
            + " getter naming the user with @SessionUser, or remove maxPerUser.");
  }

  @Test
  void durations() {
    assertOnlyError("Cart", """
        @SessionScoped(ttl = "30m",
            absolute = "8 hours")
        public interface Cart {
          String coupon();
        }
        """, 2, "[Redwire/Duration] @SessionScoped(absolute) must be a positive duration; found \"8"
            + " hours\". Use a number with ms, s, m, h or d (\"250ms\", \"30s\", \"10m\", \"2h\","
            + " \"1d\") or ISO-8601 such as \"PT10M\".");
  }

  @Test
  void codecs() {
    assertOnlyError("Cart", """
        @SessionScoped(ttl = "30m")
        public interface Cart {
          Thread worker();
          void worker(Thread worker);
        }
        """, 3, "[Redwire/NoCodec] stored values need a codec Redwire can generate or a codec named with"
            + " @UseCodec; ");
  }

  @Test
  void name() {
    assertOnlyError("Cart", """
        @SessionScoped(ttl = "30m",
            name = "my cart")
        public interface Cart {
          String coupon();
        }
        """, 2, "[Redwire/Name] @SessionScoped names may hold letters, digits, '.', '_' and '-'; found"
            + " \"my cart\". Rename it.");
  }
}
