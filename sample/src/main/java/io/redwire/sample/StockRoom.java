package io.redwire.sample;

import io.redwire.runtime.lock.Locks;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The stock database shared by every instance of the service. Its updates are a plain read, then a
 * write: correct only under the lock. It also keeps the highest fencing token it saw per SKU and refuses
 * writes that carry a lower one, as a real store guarded by fencing tokens would.
 */
final class StockRoom implements Inventory {

  private final Map<String, Integer> stock = new ConcurrentHashMap<>();
  private final Map<String, Long> fences = new ConcurrentHashMap<>();
  final AtomicInteger staleWritesRefused = new AtomicInteger();

  StockRoom(Map<String, Integer> initial) {
    stock.putAll(initial);
  }

  @Override
  public Reservation reserve(String sku, int quantity) {
    long token = Locks.fencingToken();
    int available = stock.getOrDefault(sku, 0); // read ...
    Thread.yield();
    int granted = Math.min(available, quantity);
    write(sku, available - granted, token); // ... modify, write
    return new Reservation(sku, granted, available - granted, token);
  }

  @Override
  public int restock(String sku, int quantity) {
    int level = stock.getOrDefault(sku, 0) + quantity;
    write(sku, level, Locks.fencingToken());
    return level;
  }

  int level(String sku) {
    return stock.getOrDefault(sku, 0);
  }

  private void write(String sku, int level, long token) {
    synchronized (fences) {
      if (token < fences.getOrDefault(sku, 0L)) {
        staleWritesRefused.incrementAndGet();
        throw new IllegalStateException("stale fencing token " + token + " for " + sku);
      }
      fences.put(sku, token);
      stock.put(sku, level);
    }
  }
}
