package io.redwire.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.redwire.processor.Sources.assertOnlyError;
import static io.redwire.processor.Sources.compile;
import static io.redwire.processor.Sources.source;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * One test per {@code @Publishes}, {@code @Payload} and {@code @Subscribes} diagnostic: the tag, the
 * whole text, and the line it points at (line n of the text block is line {@code HEADER_LINES + n}).
 */
class EventDiagnosticsTest {

  @Test
  void publisherAndListenerCompile() {
    Compilation c = compile(source("Orders", """
        public interface Orders {
          record Placed(String id, long cents) {}
          @Publishes(channel = "orders", retain = "7d") Placed place(String id);
          @Publishes(channel = "prices", durable = false) void price(@Payload Placed p, String why);
          @Publishes(channel = "counts", retain = "1000") long count();
          interface Listener {
            @Subscribes(channel = "orders", group = "billing", maxDeliveries = 3, backoff = "100ms")
            void placed(Placed event);
            @Subscribes(channel = "prices", durable = false, concurrency = 2)
            CompletionStage<Void> priced(Placed event);
          }
        }
        """));
    assertThat(c).succeededWithoutWarnings();
    assertThat(c).generatedSourceFile("test.RedwireOrders").contentsAsUtf8String()
        .contains("public static Orders wrap(Orders delegate, Redwire redwire)");
    assertThat(c).generatedSourceFile("test.RedwireOrders_Listener").contentsAsUtf8String()
        .contains("public static Subscription subscribe(Orders.Listener handler, Redwire redwire)");
    assertThat(c).generatedSourceFile("test.RedwireOrders_Listener").contentsAsUtf8String()
        .contains("public static DeadLetters<Orders.Placed> deadLetters(Redwire redwire)");
  }

  @Test
  void retain() {
    assertOnlyError("Orders", """
        public interface Orders {
          @Publishes(channel = "orders", retain = "a week")
          String place(String id);
        }
        """, 2, "[Redwire/Retain] @Publishes(retain) keeps a stream's events for an age or up to a number"
            + " of entries; found \"a week\". Write a duration such as \"7d\" or a positive count such as"
            + " \"100000\".");
  }

  @Test
  void publishesNothing() {
    assertOnlyError("Orders", """
        public interface Orders {
          @Publishes(channel = "orders")
          void place(String id);
        }
        """, 2, "[Redwire/PublishesNothing] @Publishes publishes the method's result or its @Payload"
            + " parameter; Orders.place(String) returns void and has no @Payload parameter. Return the event,"
            + " or mark the parameter to publish with @Payload.");
  }

  @Test
  void publishesFuture() {
    assertOnlyError("Orders", """
        public interface Orders {
          @Publishes(channel = "orders")
          CompletableFuture<String> place(String id);
        }
        """, 2, "[Redwire/PublishesFuture] @Publishes publishes when the method returns;"
            + " Orders.place(String) returns java.util.concurrent.CompletableFuture<java.lang.String>, which"
            + " may not have completed then. Return the event itself, or publish a @Payload parameter.");
  }

  @Test
  void publishesCached() {
    assertOnlyError("Orders", """
        public interface Orders {
          @Cached(ttl = "1m")
          @Publishes(channel = "orders")
          String place(String id);
        }
        """, 3, "[Redwire/PublishesCached] @Publishes publishes each time the method runs;"
            + " Orders.place(String) is @Cached, so a cache hit would not run it and publish nothing."
            + " Publish from a method that is not cached.");
  }

  @Test
  void payloadTwice() {
    assertOnlyError("Orders", """
        public interface Orders {
          @Publishes(channel = "orders")
          void place(@Payload String id,
              @Payload String other);
        }
        """, 4, "[Redwire/PayloadTwice] a @Publishes method publishes one @Payload parameter; other also"
            + " marks id. Keep @Payload on one parameter.");
  }

  @Test
  void payloadWithoutPublishes() {
    assertOnlyError("Orders", """
        public interface Orders {
          @Cached(ttl = "1m")
          String place(
              @Payload String id);
        }
        """, 4, "[Redwire/PayloadWithoutPublishes] @Payload marks the parameter a @Publishes method"
            + " publishes; Orders.place(String) has no @Publishes. Add @Publishes to the method or"
            + " remove @Payload.");
  }

  @Test
  void eventCodec() {
    assertOnlyError("Orders", """
        public interface Orders {
          @Publishes(channel = "orders")
          Thread place(String id);
        }
        """, 2, "[Redwire/EventCodec] events need a codec Redwire can generate or a codec named with"
            + " @UseCodec;");
  }

  @Test
  void streamOnlyOnPublishes() {
    assertOnlyError("Orders", """
        public interface Orders {
          @Publishes(channel = "orders", durable = false,
              retain = "1d")
          String place(String id);
        }
        """, 3, "[Redwire/StreamOnly] @Publishes(retain) applies to durable channels (streams);"
            + " Orders.place(String) sets durable = false. Remove retain, or make the channel durable.");
  }

  @Test
  void streamOnlyOnSubscribes() {
    assertOnlyError("Events", """
        public interface Events {
          @Subscribes(channel = "orders", durable = false,
              maxDeliveries = 3)
          void placed(String id);
        }
        """, 3, "[Redwire/StreamOnly] @Subscribes(maxDeliveries) applies to durable channels (streams);"
            + " Events.placed(String) sets durable = false. Remove maxDeliveries, or make the channel"
            + " durable.");
  }

  @Test
  void subscribesReturn() {
    assertOnlyError("Events", """
        public interface Events {
          @Subscribes(channel = "orders")
          boolean placed(String id);
        }
        """, 2, "[Redwire/SubscribesReturn] @Subscribes methods return void or CompletionStage<Void>;"
            + " Events.placed(String) returns boolean. Return void: the event is acknowledged when the"
            + " method returns.");
  }

  @Test
  void subscribesParameter() {
    assertOnlyError("Events", """
        public interface Events {
          @Subscribes(channel = "orders")
          void placed(String id, String other);
        }
        """, 2, "[Redwire/SubscribesParameter] @Subscribes methods take the event as their only parameter;"
            + " Events.placed(String, String) takes 2. Take exactly one parameter, the event.");
  }

  @Test
  void subscribesRange() {
    assertOnlyError("Events", """
        public interface Events {
          @Subscribes(channel = "orders",
              maxDeliveries = 0)
          void placed(String id);
        }
        """, 3, "[Redwire/SubscribesRange] @Subscribes(maxDeliveries) must be at least 1; found 0. Use 1 or"
            + " more.");
  }

  @Test
  void listenerMixed() {
    assertOnlyError("Events", """
        public interface Events {
          @Subscribes(channel = "orders")
          void placed(String id);
          String name();
        }
        """, 4, "[Redwire/ListenerMixed] a listener interface holds only @Subscribes methods (and default"
            + " methods); Events.name() is not a @Subscribes method. Move it to another interface:"
            + " listeners are subscribed, not wrapped.");
  }

  @Test
  void listenerMixedOnOneMethod() {
    assertOnlyError("Events", """
        public interface Events {
          @Subscribes(channel = "orders")
          @Locked
          void placed(String id);
        }
        """, 4, "[Redwire/ListenerMixed] a listener interface holds only @Subscribes methods (and default"
            + " methods); Events.placed(String) also has @Locked. Move it to another interface: listeners"
            + " are subscribed, not wrapped.");
  }

  @Test
  void channelName() {
    assertOnlyError("Orders", """
        public interface Orders {
          @Publishes(channel = "new orders")
          String place(String id);
        }
        """, 2, "[Redwire/Name] @Publishes names may hold letters, digits, '.', '_' and '-'; found"
            + " \"new orders\". Rename it.");
  }

  @Test
  void channelShape() {
    JavaFileObject orders = source("Orders", """
        public interface Orders {
          @Publishes(channel = "orders")
          String place(String id);
        }
        """);
    JavaFileObject events = source("Events", """
        public interface Events {
          @Subscribes(channel = "orders")
          void placed(Long id);
        }
        """);
    Compilation c = compile(orders, events);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("[Redwire/ChannelShape] publishers and listeners of a channel agree on"
        + " its events; channel \"orders\" carries java.lang.Long (durable) here and java.lang.String"
        + " (durable) at Orders.place(String). Publish and subscribe the same type, durable on both"
        + " sides or on neither.").inFile(events).onLine(Sources.HEADER_LINES + 2);
  }

  @Test
  void groupShared() {
    JavaFileObject billing = source("Billing", """
        public interface Billing {
          @Subscribes(channel = "orders", group = "back-office")
          void placed(String id);
        }
        """);
    JavaFileObject audit = source("Audit", """
        public interface Audit {
          @Subscribes(channel = "orders")
          void logged(String id);

          @Subscribes(channel = "orders", group = "back-office")
          void placed(String id);
        }
        """);
    Compilation c = compile(billing, audit);
    assertThat(c).succeeded();
    assertThat(c).hadWarningCount(1);
    assertThat(c).hadWarningContaining("[Redwire/GroupShared] within a consumer group each event is handled"
        + " once, by one consumer; Billing.placed(String) and Audit.placed(String) both read channel"
        + " \"orders\" in group \"back-office\", so each gets only part of its events. Give each method"
        + " its own group (the default), or handle the event in one method.").inFile(audit)
        .onLine(Sources.HEADER_LINES + 5);
  }
}
