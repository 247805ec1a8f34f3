package io.redwire.it.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.redwire.runtime.Redwire;
import io.redwire.testing.Await;
import io.redwire.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A bulk method's keys are exactly the single-key method's, for odd Strings and for record ids. */
class BulkKeysTest {

  static RedisServer server;
  static final AtomicInteger namespaces = new AtomicInteger();

  Redwire redwire;
  String namespace;
  final List<Object> asked = new CopyOnWriteArrayList<>();
  volatile Map<String, String> labelsAnswer;
  Skus skus;

  @BeforeAll
  static void start() throws Exception {
    server = RedisServer.start();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @BeforeEach
  void wrap() {
    namespace = "keys" + namespaces.incrementAndGet();
    redwire = Redwire.builder().uri("redis://127.0.0.1:" + server.port()).namespace(namespace).build();
    skus = RedwireSkus.wrap(new Skus() {
      @Override
      public String label(String code) {
        asked.add(code);
        return "label " + code;
      }

      @Override
      public Map<String, String> labels(Set<String> codes) {
        asked.add(List.copyOf(codes));
        if (labelsAnswer != null) {
          return labelsAnswer;
        }
        Map<String, String> out = new HashMap<>();
        codes.forEach(c -> out.put(c, "label " + c));
        return out;
      }

      @Override
      public Integer stock(Sku sku) {
        asked.add(sku);
        return sku.code().length();
      }

      @Override
      public Map<Sku, Integer> stocks(List<Sku> list) {
        asked.add(List.copyOf(list));
        Map<Sku, Integer> out = new HashMap<>();
        list.forEach(s -> out.put(s, s.code().length()));
        return out;
      }
    }, redwire);
  }

  @AfterEach
  void close() {
    if (!redwire.isClosed()) {
      redwire.close();
    }
  }

  int entries(String name) {
    // counted on the server: a key may hold a newline
    return Integer.parseInt(server.command("EVAL", "return #redis.call('KEYS', ARGV[1])", "0",
        namespace + ":c:" + name + ":*}").trim());
  }

  static final List<String> ODD = List.of("", "a:b", "{tag}", "}{", "x\ny", "ünï ✓", "a\\b", "1", "01");

  @Test
  void stringIdsWithOddCharactersShareEntriesWithTheSingleKeyMethod() {
    for (String code : ODD) {
      assertEquals("label " + code, skus.label(code));
    }
    Await.until(Duration.ofSeconds(5), () -> entries("labels") == ODD.size(), () -> "entries: " + entries("labels"));
    asked.clear();
    Map<String, String> all = skus.labels(new LinkedHashSet<>(ODD));
    assertEquals(ODD, new ArrayList<>(all.keySet()));
    assertEquals(List.of(), asked, "every entry the single-key method stored is a bulk hit");

    Set<String> fresh = new LinkedHashSet<>(List.of("b:c", "{b}", "b\r\n"));
    skus.labels(fresh);
    Await.until(Duration.ofSeconds(5), () -> entries("labels") == ODD.size() + 3, () -> "entries: " + entries("labels"));
    asked.clear();
    for (String code : fresh) {
      assertEquals("label " + code, skus.label(code));
    }
    assertEquals(List.of(), asked, "every entry the bulk method stored is a single-key hit");
  }

  @Test
  void recordIdsShareEntriesWithTheSingleKeyMethod() {
    Skus.Sku a = new Skus.Sku("a:r", Skus.Region.EU);
    Skus.Sku b = new Skus.Sku("a", Skus.Region.US);
    Skus.Sku c = new Skus.Sku("{c}", Skus.Region.EU);
    assertEquals(3, skus.stock(a));
    Await.until(Duration.ofSeconds(5), () -> entries("stock") == 1, () -> "one entry");
    asked.clear();
    Map<Skus.Sku, Integer> got = skus.stocks(List.of(a, b, c));
    assertEquals(List.of(a, b, c), new ArrayList<>(got.keySet()));
    assertEquals(List.of(List.of(b, c)), asked, "a is a hit");
    Await.until(Duration.ofSeconds(5), () -> entries("stock") == 3, () -> "three entries");
    asked.clear();
    assertEquals(1, skus.stock(b));
    assertEquals(3, skus.stock(c));
    assertEquals(List.of(), asked);
  }

  @Test
  void aDelegateMapWithExtraIdsNullValuesOrImmutableIsServedAsAsked() {
    Map<String, String> answer = new HashMap<>();
    answer.put("x", "X");
    answer.put("y", null);
    answer.put("extra", "E");
    labelsAnswer = answer;
    Map<String, String> got = skus.labels(new LinkedHashSet<>(List.of("x", "y", "z")));
    assertEquals(Map.of("x", "X"), got);
    labelsAnswer = Map.of("z", "Z");
    assertEquals(Map.of("z", "Z"), skus.labels(Set.of("z")));
    labelsAnswer = null;
    Await.until(Duration.ofSeconds(5), () -> entries("labels") == 2, () -> "x and z stored, not extra: " + entries("labels"));
    asked.clear();
    assertEquals("label extra", skus.label("extra"), "an id not asked for is not stored");
  }

  @Test
  void afterCloseABulkCallThrows() {
    skus.labels(Set.of("a"));
    redwire.close();
    assertThrows(IllegalStateException.class, () -> skus.labels(Set.of("a")));
    assertThrows(IllegalStateException.class, () -> skus.labels(Set.of()));
  }
}
