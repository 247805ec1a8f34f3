package io.redwire.runtime.events;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Event ids: version-7 UUIDs (RFC 9562), 48 bits of Unix milliseconds then 74 random bits, so ids sort
 * by publish time (to the millisecond) and two publishers never make the same one.
 */
public final class EventIds {

  private EventIds() {}

  /** A new id for an event published at {@code epochMillis}. */
  public static String next(long epochMillis) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long msb = (epochMillis << 16) | 0x7000L | (r.nextInt() & 0x0FFFL);
    long lsb = (r.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(msb, lsb).toString();
  }
}
