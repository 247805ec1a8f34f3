package io.redwire.processor.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.processor.model.ValueType;
import io.redwire.processor.model.ValueType.Unsupported;
import io.redwire.processor.model.ValueType.UserCodec;
import io.redwire.runtime.codec.Codec;
import io.redwire.runtime.codec.Values;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code @UseCodec} on a type declaration and on a method; good and bad codec classes. */
class UseCodecTest {

  static final String MONEY = """
      package com.c;

      @io.redwire.UseCodec(MoneyCodec.class)
      public record Money(long cents, String currency) {}
      """;

  // deliberately writes only the cents and assumes EUR, so the test can tell it was used
  static final String MONEY_CODEC = """
      package com.c;

      import io.redwire.runtime.codec.*;

      public final class MoneyCodec implements Codec<Money> {
        @Override public void write(Output out, Money m) { out.writeLong(m.cents()); }
        @Override public Money read(Input in) { return new Money(in.readLong(), "EUR"); }
      }
      """;

  static final String CODECS = """
      package com.c;

      import io.redwire.runtime.codec.*;

      public final class Codecs2 {
        private Codecs2() {}

        /** Upper-cases on write: observable. */
        public enum Shout implements Codec<String> {
          INSTANCE;
          @Override public void write(Output out, String s) { out.writeString(s.toUpperCase()); }
          @Override public String read(Input in) { return in.readString(); }
        }

        public static final class Singleton implements Codec<Long> {
          public static final Singleton INSTANCE = new Singleton();
          private Singleton() {}
          @Override public void write(Output out, Long v) { out.writeLong(v + 1); }
          @Override public Long read(Input in) { return in.readLong(); }
        }

        public static final class WrongType implements Codec<String> {
          @Override public void write(Output out, String s) {}
          @Override public String read(Input in) { return ""; }
        }

        public static final class NoConstructor implements Codec<Money> {
          private NoConstructor() {}
          @Override public void write(Output out, Money m) {}
          @Override public Money read(Input in) { return null; }
        }

        static final class Hidden implements Codec<Money> {
          @Override public void write(Output out, Money m) {}
          @Override public Money read(Input in) { return null; }
        }

        public static final class NotACodec {}

        public abstract static class Abstract implements Codec<Money> {}

        public final class Inner implements Codec<Money> {
          @Override public void write(Output out, Money m) {}
          @Override public Money read(Input in) { return null; }
        }

        @SuppressWarnings("rawtypes")
        public static final class Raw implements Codec {
          @Override public void write(Output out, Object m) {}
          @Override public Object read(Input in) { return null; }
        }
      }
      """;

  static final String STORE = """
      package com.c;

      import io.redwire.UseCodec;
      import java.util.List;

      @io.redwire.processor.codec.CodecProbe
      public interface Store {
        Money money();
        Wallet wallet();
        List<Money> monies();
        @UseCodec(Codecs2.Shout.class) String shout();
        @UseCodec(Codecs2.Singleton.class) long plusOne();
        @UseCodec(Codecs2.WrongType.class) Money wrongType();
        @UseCodec(Codecs2.NoConstructor.class) Money noConstructor();
        @UseCodec(Codecs2.Hidden.class) Money hidden();
        @UseCodec(Codecs2.NotACodec.class) Money notACodec();
        @UseCodec(Codecs2.Abstract.class) Money abstractCodec();
        @UseCodec(Codecs2.Inner.class) Money inner();
        @UseCodec(Codecs2.Raw.class) Money raw();
      }
      """;

  static final String GOOD_STORE = """
      package com.c;

      import io.redwire.UseCodec;
      import java.util.List;

      @io.redwire.processor.codec.CodecProbe
      public interface GoodStore {
        Money money();
        Wallet wallet();
        List<Money> monies();
        @UseCodec(Codecs2.Shout.class) String shout();
        @UseCodec(Codecs2.Singleton.class) long plusOne();
      }
      """;

  static final String WALLET = """
      package com.c;
      public record Wallet(Money cash, java.util.List<Money> savings) {}
      """;

  static final String SAMPLES = """
      package com.c;
      public final class Samples {
        private Samples() {}
        static Money money() { return new Money(1234, "USD"); }
        static Wallet wallet() { return new Wallet(money(), java.util.List.of(money())); }
        static String shout() { return "quiet"; }
        static Long plusOne() { return 41L; }
      }
      """;

  static Harness harness;

  @BeforeAll
  static void compile() {
    harness = Harness.compile("com.c.Money", MONEY, "com.c.MoneyCodec", MONEY_CODEC, "com.c.Codecs2", CODECS,
        "com.c.Store", STORE, "com.c.GoodStore", GOOD_STORE, "com.c.Wallet", WALLET, "com.c.Samples", SAMPLES)
        .assertSuccess();
  }

  private static Object roundTrip(String method) {
    Codec<Object> codec = harness.codec("com.c.GoodStore", method);
    long fp = harness.fingerprint("com.c.GoodStore", method);
    Object value = harness.call("com.c.Samples", method);
    return Values.decode(fp, codec, Values.encode(fp, codec, value));
  }

  @Test
  void typeLevelCodecIsUsedWhereverTheTypeIsStored() {
    UserCodec u = assertInstanceOf(UserCodec.class, harness.valueType("GoodStore.money"));
    assertEquals("com.c.MoneyCodec", u.codecClass());
    assertEquals("codec com.c.MoneyCodec<com.c.Money>", u.shape());
    assertEquals("record com.c.Wallet(codec com.c.MoneyCodec<com.c.Money> cash,"
        + "java.util.List<codec com.c.MoneyCodec<com.c.Money>> savings)",
        harness.valueType("GoodStore.wallet").shape());

    assertEquals("Money[cents=1234, currency=EUR]", roundTrip("money").toString());
    assertEquals("Wallet[cash=Money[cents=1234, currency=EUR], savings=[Money[cents=1234, currency=EUR]]]",
        roundTrip("wallet").toString());
    String source = harness.generatedSource("com.c.GoodStoreCodecs");
    assertTrue(source.contains("private static final Codec<Money> MONEY_CODEC = new MoneyCodec();"), source);
  }

  @Test
  void methodLevelCodecOverrides() {
    assertEquals("QUIET", roundTrip("shout"));
    assertEquals(42L, roundTrip("plusOne"));
    String source = harness.generatedSource("com.c.GoodStoreCodecs");
    assertTrue(source.contains("SHOUT_CODEC = Codecs2.Shout.INSTANCE;"), source);
    assertTrue(source.contains("Codec<Long> SINGLETON_CODEC = Codecs2.Singleton.INSTANCE;"), source);
    UserCodec u = assertInstanceOf(UserCodec.class, harness.valueType("GoodStore.plusOne"));
    assertEquals("java.lang.Long", u.typeName());
  }

  private static void bad(String method, String... parts) {
    ValueType vt = harness.valueType("Store." + method);
    Unsupported u = assertInstanceOf(Unsupported.class, vt, () -> method + " -> " + vt);
    for (String part : parts) {
      assertTrue(u.reason().contains(part), () -> "'" + part + "' not in: " + u.message());
    }
  }

  @Test
  void badCodecClasses() {
    bad("wrongType", "com.c.Codecs2.WrongType", "implements Codec<java.lang.String>, but it is used for"
        + " com.c.Money; it must implement Codec<com.c.Money>", "@UseCodec on Store.wrongType()");
    bad("noConstructor", "has neither a public no-argument constructor nor a public static final INSTANCE"
        + " field of its own type; add one of them");
    bad("hidden", "com.c.Codecs2.Hidden", "must be public");
    bad("notACodec", "does not implement io.redwire.runtime.codec.Codec<com.c.Money>");
    bad("abstractCodec", "is abstract");
    bad("inner", "is an inner class; make Codecs2.Inner static");
    bad("raw", "raw type io.redwire.runtime.codec.Codec");
  }
}
