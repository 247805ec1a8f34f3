package io.redwire.sample;

import io.redwire.Locked;

/**
 * Stock reservations: a read-modify-write of the stock level that must not interleave across threads
 * or service instances. The lock is per SKU; a caller waits up to 5 s for it. The store checks the
 * lock's fencing token on every write.
 */
public interface Inventory {

  /** What a reservation did: all of {@code quantity} was granted, or nothing (then {@code granted} is 0). */
  record Reservation(String sku, int quantity, int granted, int remaining, long fencingToken) {}

  @Locked(key = "{sku}", name = "stock", maxWait = "5s")
  Reservation reserve(String sku, int quantity);

  /** Shares the "stock" locks with {@link #reserve}: restocking and reserving never interleave. */
  @Locked(key = "{sku}", name = "stock", maxWait = "5s")
  int restock(String sku, int quantity);
}
