package io.redwire.runtime.stream;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the raw replies Jedis returns for binary stream commands (XRANGE, XCLAIM, XAUTOCLAIM, XPENDING). */
final class Replies {

  private Replies() {}

  static String text(Object o) {
    if (o == null) {
      return null;
    }
    if (o instanceof byte[] b) {
      return new String(b, StandardCharsets.UTF_8);
    }
    return String.valueOf(o);
  }

  static long number(Object o) {
    if (o instanceof Long l) {
      return l;
    }
    return Long.parseLong(text(o));
  }

  /**
   * A reply that is a map of names to values: a flat {@code [name, value, ...]} list in RESP2, a list
   * of key-value pairs (or a map) in RESP3, which Jedis speaks with servers that offer it (Valkey).
   */
  static Map<String, Object> map(Object reply) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (reply instanceof Map<?, ?> m) {
      m.forEach((k, v) -> out.put(text(k), v));
    } else if (reply instanceof List<?> l) {
      for (int i = 0; i < l.size(); i++) {
        if (l.get(i) instanceof redis.clients.jedis.util.KeyValue<?, ?> kv) {
          out.put(text(kv.getKey()), kv.getValue());
        } else if (i + 1 < l.size()) {
          out.put(text(l.get(i)), l.get(i + 1));
          i++;
        }
      }
    }
    return out;
  }

  /** An entry {@code [id, [field, value, ...]]}; fields null when the entry was deleted. */
  record Raw(String id, Map<String, byte[]> fields) {}

  static List<Raw> entries(Object reply) {
    List<Raw> out = new ArrayList<>();
    if (!(reply instanceof List<?> list)) {
      return out;
    }
    for (Object e : list) {
      if (!(e instanceof List<?> pair) || pair.isEmpty()) {
        continue;
      }
      out.add(new Raw(text(pair.get(0)), pair.size() > 1 ? fields(pair.get(1)) : null));
    }
    return out;
  }

  static Map<String, byte[]> fields(Object o) {
    if (o == null) {
      return null;
    }
    Map<String, byte[]> fields = new LinkedHashMap<>();
    if (o instanceof List<?> flat) {
      for (int i = 0; i + 1 < flat.size(); i += 2) {
        fields.put(text(flat.get(i)), bytes(flat.get(i + 1)));
      }
    } else if (o instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        fields.put(text(e.getKey()), bytes(e.getValue()));
      }
    }
    return fields;
  }

  static Map<String, byte[]> fields(Map<byte[], byte[]> binary) {
    if (binary == null) {
      return null;
    }
    Map<String, byte[]> fields = new LinkedHashMap<>();
    for (Map.Entry<byte[], byte[]> e : binary.entrySet()) {
      fields.put(new String(e.getKey(), StandardCharsets.UTF_8), e.getValue());
    }
    return fields;
  }

  static byte[] bytes(Object o) {
    if (o == null) {
      return null;
    }
    if (o instanceof byte[] b) {
      return b;
    }
    return String.valueOf(o).getBytes(StandardCharsets.UTF_8);
  }
}
