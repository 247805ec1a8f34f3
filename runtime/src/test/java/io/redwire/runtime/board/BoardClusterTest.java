package io.redwire.runtime.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redwire.runtime.Redwire;
import io.redwire.runtime.key.KeyWriter;
import io.redwire.testing.RedisCluster;
import io.redwire.testing.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClusterClient;

/**
 * Boards, counters and distinct counts on a 3-master Redis Cluster: keys of different boards spread
 * over the masters, and every operation (scripts over one key, MGET and PFCOUNT over the windows of
 * one key) runs on one slot.
 */
class BoardClusterTest {

  @Test
  void everyOperationRunsOnOneSlotAndBoardsSpreadOverMasters() {
    try (RedisCluster cluster = RedisCluster.start(3);
        RedisClusterClient client = RedisClusterClient.builder()
            .nodes(Set.of(new HostAndPort("127.0.0.1", cluster.nodes().get(0).port()))).build();
        Redwire redwire = Redwire.builder().client(client).namespace("c").build()) {
      BoardRegion<String> boards = BoardRegion.of(redwire, new BoardSettings("weekly",
          BoardSettings.Ties.FIRST_COME, BoardSettings.Period.rolling(Duration.ofDays(7), Duration.ofHours(1)),
          100, 1_000_000), MemberCodec.STRING);
      CounterRegion counters = CounterRegion.counter(redwire, "views", Duration.ofSeconds(1), Duration.ofMinutes(1));
      CounterRegion distinct = CounterRegion.distinct(redwire, "visitors", Duration.ofSeconds(1), Duration.ofMinutes(1));
      for (int g = 0; g < 30; g++) {
        String game = "game" + g;
        Board<String> board = boards.board(KeyWriter.begin(boards.prefix()).part(game).end());
        board.add("amy", 3);
        board.add("bob", 5);
        assertEquals(Optional.of(new Ranked<>("amy", 2, 3)), board.rank("amy"));
        assertEquals(List.of(new Ranked<>("bob", 1, 5), new Ranked<>("amy", 2, 3)), board.around("amy", 1));
        Counter c = counters.counter(KeyWriter.begin(counters.prefix()).part(game).end());
        c.increment(2);
        assertEquals(2, c.sum(Duration.ofSeconds(30)), "exactly the increment: one key per game");
        Uniques u = distinct.uniques(KeyWriter.begin(distinct.prefix()).part(game).end());
        u.add("amy");
        u.add("bob");
        assertEquals(2, u.count(Duration.ofSeconds(30)));
      }
      for (RedisServer node : cluster.nodes()) {
        assertTrue(node.commandCalls("evalsha") > 0, "every master holds some boards and counters: " + node);
        assertTrue(node.commandCalls("mget") > 0, "every master summed some counters: " + node);
      }
    }
  }
}
