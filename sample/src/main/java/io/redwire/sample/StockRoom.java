package io.redwire.sample;

import io.redwire.runtime.lock.Locks;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The stock database shared by every instance of the service. Its updates are a plain read, then a
 * write: correct only under the lock. It also keeps the highest fencing token it saw per SKU and refuses
 * writes that carry a lower one, as a real store guarded by fencing tokens would.
 */
final class StockRoom {

  private final Map<String, Integer> initial;
  private final Map<String, Integer> stock = new ConcurrentHashMap<>();
  private final Map<String, Long> fences = new ConcurrentHashMap<>();
  final AtomicInteger staleWritesRefused = new AtomicInteger();

  StockRoom(Map<String, Integer> initial) {
    this.initial = Map.copyOf(initial);
    stock.putAll(initial);
  }

  /** One instance's view of the store: the delegate its {@code Inventory} proxy wraps; counts its calls. */
  final class Clerk implements Inventory {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public Reservation reserve(String sku, int quantity) {
      calls.incrementAndGet();
      long token = Locks.fencingToken();
      int available = stock.getOrDefault(sku, 0); // read ...
      Thread.yield();
      if (available < quantity) {
        return new Reservation(sku, quantity, 0, available, token);
      }
      write(sku, available - quantity, token); // ... modify, write
      return new Reservation(sku, quantity, quantity, available - quantity, token);
    }

    @Override
    public int restock(String sku, int quantity) {
      calls.incrementAndGet();
      long token = Locks.fencingToken();
      int level = stock.getOrDefault(sku, 0) + quantity;
      write(sku, level, token);
      return level;
    }
  }

  int level(String sku) {
    return stock.getOrDefault(sku, 0);
  }

  Map<String, Integer> initial() {
    return new TreeMap<>(initial);
  }

  Map<String, Integer> levels() {
    return new TreeMap<>(stock);
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
