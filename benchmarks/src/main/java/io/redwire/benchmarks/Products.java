package io.redwire.benchmarks;

import io.redwire.benchmarks.BenchCatalog.Product;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The value every peer stores, its loader, and the hand-written binary codec of the Jedis baseline. */
public final class Products {

  /** Ids of the hit benchmarks' key space, all loaded before measuring. */
  public static final int HIT_KEYS = 1000;

  private static final List<String> TAGS = List.of("red", "wire", "bench");

  private Products() {}

  /** What the "database" returns: cheap and allocation-only, so the benchmarks measure the caching. */
  public static Product load(long id) {
    return new Product(id, "product " + id, 1999 + id, TAGS);
  }

  /** The delegate every proxy and Spring wraps. */
  public static class Service implements BenchCatalog {
    @Override
    public Product product(long id) {
      return load(id);
    }

    @Override
    public Product fresh(long id) {
      return load(id);
    }
  }

  /**
   * Hand-written binary encoding: {@code id:int64, priceCents:int64, name:(len:int32, UTF-8),
   * tags:(count:int32, each len:int32 + UTF-8)}. No header, no type check, no versioning: the
   * cheapest thing a careful engineer would write by hand for this record.
   */
  public static byte[] encode(Product p) {
    byte[] name = p.name().getBytes(StandardCharsets.UTF_8);
    byte[][] tags = new byte[p.tags().size()][];
    int size = 8 + 8 + 4 + name.length + 4;
    for (int i = 0; i < tags.length; i++) {
      tags[i] = p.tags().get(i).getBytes(StandardCharsets.UTF_8);
      size += 4 + tags[i].length;
    }
    ByteBuffer b = ByteBuffer.allocate(size);
    b.putLong(p.id()).putLong(p.priceCents()).putInt(name.length).put(name).putInt(tags.length);
    for (byte[] t : tags) {
      b.putInt(t.length).put(t);
    }
    return b.array();
  }

  /** The inverse of {@link #encode}. */
  public static Product decode(byte[] raw) {
    ByteBuffer b = ByteBuffer.wrap(raw);
    long id = b.getLong();
    long price = b.getLong();
    String name = string(b);
    String[] tags = new String[b.getInt()];
    for (int i = 0; i < tags.length; i++) {
      tags[i] = string(b);
    }
    return new Product(id, name, price, List.of(tags));
  }

  private static String string(ByteBuffer b) {
    int len = b.getInt();
    String s = new String(b.array(), b.position(), len, StandardCharsets.UTF_8);
    b.position(b.position() + len);
    return s;
  }
}
