package io.redwire.it;

import io.redwire.CachePut;
import io.redwire.Cached;
import io.redwire.UseCodec;
import java.util.Map;

/** Values that cannot always be encoded or decoded, and a mutable result; explicit cache names. */
public interface Ledger {

  /** Refuses negative amounts: a rule added after an older build wrote some (same shape, same fingerprint). */
  record Amount(long cents) {
    public Amount {
      if (cents < 0) {
        throw new IllegalArgumentException("negative amount " + cents);
      }
    }
  }

  /** Stored through {@link NoteCodec}, which refuses to write some notes. */
  @UseCodec(NoteCodec.class)
  record Note(String text) {}

  @Cached(ttl = "1m", name = "ledgerAmount", key = "{id}")
  Amount amount(String id);

  @Cached(ttl = "1m", name = "ledgerNote", key = "{id}")
  Note note(String id);

  @CachePut(name = "ledgerNote", key = "{id}")
  Note saveNote(String id, String text);

  /** The delegate returns a fresh, mutable LinkedHashMap. */
  @Cached(ttl = "1m", name = "ledgerTotals", key = "{id}")
  Map<String, Long> totals(String id);
}
