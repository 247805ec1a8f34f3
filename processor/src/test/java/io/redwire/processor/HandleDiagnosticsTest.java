package io.redwire.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.redwire.processor.Sources.assertOnlyError;
import static io.redwire.processor.Sources.compile;
import static io.redwire.processor.Sources.source;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;

/**
 * One test per {@code @Leaderboard}, {@code @Counter} and {@code @Distinct} diagnostic: the tag, the
 * whole text, and the line it points at (line n of the text block is line {@code HEADER_LINES + n}).
 * The handle types are written qualified: {@code io.redwire.Counter} (the annotation) and
 * {@code io.redwire.runtime.board.Counter} (the handle) share a simple name.
 */
class HandleDiagnosticsTest {

  @Test
  void handlesOfEveryKindCompileAndGetOf() {
    Compilation c = compile(source("Games", """
        public interface Games {
          enum Mode { SOLO, DUO }
          @Leaderboard(period = "week", zone = "Europe/Paris", ties = Ties.FIRST_COME, keep = 10_000)
          io.redwire.runtime.board.Board<String> weekly(String game);
          @Leaderboard(ttl = "30d") io.redwire.runtime.board.Board<Long> allTime(String game, Mode mode);
          @Leaderboard(period = "7d", ties = Ties.FIRST_COME, maxScore = 1_000_000)
          io.redwire.runtime.board.Board<Mode> modes();
          @Leaderboard(period = "day") io.redwire.runtime.board.Board<UUID> players(int shard);
          @io.redwire.Counter(window = "1m", retain = "1h") io.redwire.runtime.board.Counter pageViews(String page);
          @Distinct io.redwire.runtime.board.Uniques visitors(String page);
          default long views(String page) { return pageViews(page).get(); }
        }
        """));
    assertThat(c).succeededWithoutWarnings();
    assertThat(c).generatedSourceFile("test.RedwireGames").contentsAsUtf8String()
        .contains("public static Games of(Redwire redwire)");
  }

  @Test
  void aMixedInterfaceIsAProxy() {
    Compilation c = compile(source("Shop", """
        public interface Shop {
          @Leaderboard(period = "week") io.redwire.runtime.board.Board<String> bestSellers();
          String name(long id);
        }
        """));
    assertThat(c).succeededWithoutWarnings();
    assertThat(c).generatedSourceFile("test.RedwireShop").contentsAsUtf8String()
        .contains("public static Shop wrap(Shop delegate, Redwire redwire)");
  }

  @Test
  void handleType() {
    assertOnlyError("Games", """
        public interface Games {
          @Leaderboard(period = "week")
          List<String> weekly(String game);
        }
        """, 2, "[Redwire/HandleType] @Leaderboard methods return the handle Board<M> that their"
        + " parameters select; Games.weekly(String) returns List<String>. Return Board<M>.");
  }

  @Test
  void handleTypeOfACounter() {
    assertOnlyError("Games", """
        public interface Games {
          @io.redwire.Counter
          long views(String page);
        }
        """, 2, "[Redwire/HandleType] @Counter methods return the handle Counter that their parameters"
        + " select; Games.views(String) returns long. Return Counter.");
  }

  @Test
  void handleAlone() {
    assertOnlyError("Games", """
        public interface Games {
          @Locked
          @Leaderboard(period = "week")
          io.redwire.runtime.board.Board<String> weekly(String game);
        }
        """, 3, "[Redwire/HandleAlone] @Leaderboard methods return a handle and never call the delegate,"
        + " so nothing is there to lock; Games.weekly(String) has both. Remove @Locked, or apply it to the"
        + " method that uses the handle.");
  }

  @Test
  void handleTwice() {
    assertOnlyError("Games", """
        public interface Games {
          @Distinct
          @io.redwire.Counter
          io.redwire.runtime.board.Counter views(String page);
        }
        """, 3, "[Redwire/HandleTwice] a method returns one handle; Games.views(String) has more than one"
        + " of @Leaderboard, @Counter and @Distinct. Keep one.");
  }

  @Test
  void boardMember() {
    assertOnlyError("Games", """
        public interface Games {
          record Player(String id) {}
          @Leaderboard(period = "week")
          io.redwire.runtime.board.Board<Player> weekly(String game);
        }
        """, 3, "[Redwire/BoardMember] board members are stored with an ordered, printable codec;"
        + " Games.Player is not one of String, Long, Integer, UUID or an enum. Rank by one of those (an"
        + " id, say) and look the rest up.");
  }

  @Test
  void boardZone() {
    assertOnlyError("Games", """
        public interface Games {
          @Leaderboard(period = "day",
              zone = "Europe/Pariss")
          io.redwire.runtime.board.Board<String> daily(String game);
        }
        """, 3, "[Redwire/BoardZone] @Leaderboard(zone) is a time-zone id such as \"Europe/Paris\" or"
        + " \"UTC\"; found \"Europe/Pariss\". Use an id from the IANA time-zone database.");
  }

  @Test
  void boardImmortal() {
    assertOnlyError("Games", """
        public interface Games {
          @Leaderboard
          io.redwire.runtime.board.Board<String> allTime(String game);
        }
        """, 2, "[Redwire/BoardImmortal] every board expires: a board with a period expires after its"
        + " period, one without a period after ttl; Games.allTime(String) has neither. Add period ="
        + " \"week\" (or \"day\", \"month\", a duration such as \"7d\") or ttl = \"30d\".");
  }

  @Test
  void boardFirstComeNeedsPeriod() {
    assertOnlyError("Games", """
        public interface Games {
          @Leaderboard(ttl = "30d",
              ties = Ties.FIRST_COME)
          io.redwire.runtime.board.Board<String> allTime(String game);
        }
        """, 3, "[Redwire/BoardFirstComeNeedsPeriod] first-come ties fold the time into the period into"
        + " each stored score, so they need a period; Games.allTime(String) has none. Add period ="
        + " \"week\" (or another period), or use ties = Ties.SHARED.");
  }

  @Test
  void boardRangeSaysWhatFits() {
    assertOnlyError("Games", """
        public interface Games {
          @Leaderboard(period = "30d", ties = Ties.FIRST_COME,
              maxScore = 1_000_000_000)
          io.redwire.runtime.board.Board<String> monthly(String game);
        }
        """, 3, "[Redwire/BoardRange] a first-come board stores score x period-in-ms + time into the"
        + " period, which must stay below 2^53 to be exact; scores up to 1000000000 with a period of"
        + " \"30d\" (2592000000 ms) do not fit. With this period the largest score that fits is 3474998;"
        + " for scores up to 1000000000 the longest period that fits is \"2h\".");
  }

  @Test
  void boardMaxScoreBeyondTwoToThe53() {
    assertOnlyError("Games", """
        public interface Games {
          @Leaderboard(period = "week",
              maxScore = 9_007_199_254_740_992L)
          io.redwire.runtime.board.Board<String> weekly(String game);
        }
        """, 3, "[Redwire/BoardRange] scores are exact below 2^53 (9007199254740992); found maxScore ="
        + " 9007199254740992. Use a positive value below 2^53, or 0 for the largest that fits.");
  }

  @Test
  void boardKeep() {
    assertOnlyError("Games", """
        public interface Games {
          @Leaderboard(period = "week",
              keep = -1)
          io.redwire.runtime.board.Board<String> weekly(String game);
        }
        """, 3, "[Redwire/BoardKeep] @Leaderboard(keep) is how many of the best members a write keeps;"
        + " found -1. Use 0 to keep everyone, or a positive count.");
  }

  @Test
  void boardPeriodMalformed() {
    assertOnlyError("Games", """
        public interface Games {
          @Leaderboard(
              period = "weekly")
          io.redwire.runtime.board.Board<String> weekly(String game);
        }
        """, 3, "[Redwire/Duration] @Leaderboard(period)");
  }

  @Test
  void counterWindows() {
    assertOnlyError("Games", """
        public interface Games {
          @io.redwire.Counter(window = "1s",
              retain = "30d")
          io.redwire.runtime.board.Counter views(String page);
        }
        """, 3, "[Redwire/CounterWindows] @Counter keeps at most 10080 windows, since a sum over them is one"
        + " command that Redis runs while every other client waits; retain = \"30d\" with window = \"1s\""
        + " keeps 2592000. Use a longer window or a shorter retain.");
  }

  @Test
  void handleAloneWithARepeatedAnnotation() {
    assertOnlyError("Games", """
        public interface Games {
          @RateLimited(limit = 1, per = "1s") @RateLimited(limit = 9, per = "1h")
          @Leaderboard(period = "week")
          io.redwire.runtime.board.Board<String> weekly(String game);
        }
        """, 3, "[Redwire/HandleAlone] @Leaderboard methods return a handle and never call the delegate,"
        + " so nothing is there to rate limit; Games.weekly(String) has both. Remove @RateLimited, or apply"
        + " it to the method that uses the handle.");
  }

  @Test
  void counterRetain() {
    assertOnlyError("Games", """
        public interface Games {
          @io.redwire.Counter(window = "1h",
              retain = "10m")
          io.redwire.runtime.board.Counter views(String page);
        }
        """, 3, "[Redwire/CounterRetain] @Counter(retain) keeps whole windows, so it must be at least one"
        + " window; found retain = \"10m\" with window = \"1h\". Make retain at least the window.");
  }
}
