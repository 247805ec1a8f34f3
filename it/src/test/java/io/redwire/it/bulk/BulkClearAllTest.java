package io.redwire.it.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.redwire.runtime.Redwire;
import io.redwire.testing.Await;
import io.redwire.testing.RedisServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A clear-all made by another instance: a bulk read never serves an entry of the old generation once it switched. */
class BulkClearAllTest {

  @Test
  void aClearAllByAnotherInstanceMakesEveryBulkEntryAMiss() throws Exception {
    try (RedisServer server = RedisServer.start()) {
      String uri = "redis://127.0.0.1:" + server.port();
      AtomicInteger version = new AtomicInteger(1);
      List<Set<Long>> asked = new CopyOnWriteArrayList<>();
      Clearing delegate = new Clearing() {
        @Override
        public Map<Long, String> names(Set<Long> ids) {
          asked.add(ids);
          Map<Long, String> out = new HashMap<>();
          ids.forEach(id -> out.put(id, "v" + version.get() + " " + id));
          return out;
        }

        @Override
        public void clear() {}
      };
      try (Redwire a = Redwire.builder().uri(uri).namespace("clear").build();
          Redwire b = Redwire.builder().uri(uri).namespace("clear").build()) {
        Clearing onA = RedwireClearing.wrap(delegate, a);
        Clearing onB = RedwireClearing.wrap(delegate, b);
        assertEquals("v1 1", onA.names(Set.of(1L, 2L)).get(1L));
        Await.until(Duration.ofSeconds(5), () -> { // stored: a's next bulk is all hits
          int before = asked.size();
          onA.names(Set.of(1L, 2L));
          return asked.size() == before;
        }, () -> "the entries stored");
        assertEquals("v1 2", onB.names(Set.of(2L)).get(2L), "b reads a's entries");

        version.set(2);
        onB.clear();
        Await.until(Duration.ofSeconds(5), () -> "v2 1".equals(onA.names(Set.of(1L, 2L)).get(1L)),
            () -> "a switched to the new generation");
        assertEquals(Map.of(1L, "v2 1", 2L, "v2 2"), onA.names(Set.of(1L, 2L)));
        assertEquals("v2 2", onB.names(Set.of(2L)).get(2L), "b never serves the old generation");
      }
    }
  }
}
