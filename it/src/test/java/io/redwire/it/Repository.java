package io.redwire.it;

import io.redwire.Cached;
import java.io.IOException;
import java.util.List;

/** A generic interface whose other methods must delegate unchanged. */
public interface Repository<T extends Comparable<T>> {

  @Cached(ttl = "1m", key = "{id}")
  String label(long id);

  T identity(T value);

  <R> R convert(T value, Class<R> type);

  int count(String a);

  int count(String a, String b);

  int sum(int... values);

  String read(String path) throws IOException;

  default String describe(T value) {
    return "value " + value;
  }
}
