package io.redwire.runtime.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionIdsTest {

  final SessionIds ids = new SessionIds();

  @Test
  void idsAreATagAnd256RandomBitsUrlSafe() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String id = ids.create();
      assertEquals(47, id.length());
      assertTrue(id.matches("[A-Za-z0-9_-]{47}"), id);
      assertTrue(SessionIds.wellFormed(id));
      assertEquals(32, Base64.getUrlDecoder().decode(id.substring(4)).length, "256 bits after the tag");
      assertTrue(seen.add(id));
    }
    Set<String> tags = new HashSet<>();
    seen.forEach(id -> tags.add(id.substring(0, 4)));
    assertTrue(tags.size() > 9_900, "tags spread over slots: " + tags.size());
  }

  @Test
  void rotationKeepsTheTagAndDrawsNewBits() {
    String id = ids.create();
    String next = ids.rotate(id);
    assertEquals(id.substring(0, 4), next.substring(0, 4));
    assertNotEquals(id.substring(4), next.substring(4));
    assertTrue(SessionIds.wellFormed(next));
  }

  @Test
  void malformedIds() {
    for (String id : new String[] {null, "", "abc", "A".repeat(46), "A".repeat(48), "A".repeat(46) + "=",
        "A".repeat(46) + "/", "A".repeat(46) + "+", "A".repeat(46) + ":", "A".repeat(46) + "{",
        "A".repeat(46) + "é"}) {
      assertFalse(SessionIds.wellFormed(id), String.valueOf(id));
    }
  }

  @Test
  void settingsRefuseAUserIndexWithoutAnAbsoluteTimeout() {
    assertThrows(IllegalArgumentException.class, () -> new SessionSettings("cart", 1000, 0, 2, true));
    assertThrows(IllegalArgumentException.class, () -> new SessionSettings("cart", 0, 0, 0, false));
    assertThrows(IllegalArgumentException.class, () -> new SessionSettings("a:b", 1000, 0, 0, false));
    assertEquals(SessionSettings.INDEX_BOUND, new SessionSettings("cart", 1000, 5000, 0, true).userBound());
  }
}
