package io.redwire.benchmarks;

import java.util.LinkedHashSet;
import java.util.Set;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** Per benchmark thread: bulks of {@link #SIZE} ids of the hit key space, walked in turn. */
@State(Scope.Thread)
public class Bulk {

  public static final int SIZE = 100;

  private final Set<Long>[] bulks;
  private int next;

  @SuppressWarnings("unchecked")
  public Bulk() {
    bulks = new Set[Products.HIT_KEYS / SIZE];
    for (int b = 0; b < bulks.length; b++) {
      Set<Long> ids = new LinkedHashSet<>();
      for (int i = 0; i < SIZE; i++) {
        ids.add((long) (b * SIZE + i));
      }
      bulks[b] = ids;
    }
    next = (int) (Thread.currentThread().getId() % bulks.length);
  }

  /** The next bulk: {@value #SIZE} distinct ids, every one cached. */
  public Set<Long> ids() {
    Set<Long> ids = bulks[next];
    next = next + 1 == bulks.length ? 0 : next + 1;
    return ids;
  }
}
