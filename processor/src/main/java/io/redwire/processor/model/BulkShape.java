package io.redwire.processor.model;

import javax.lang.model.type.TypeMirror;

/**
 * The shape of a bulk {@code @Cached} method, {@code Map<K, V> byIds(Set<K> ids)}: its one parameter is a
 * {@code Set}, {@code List} or {@code Collection} of ids and it returns a map. Read as written; the
 * validator says what is wrong with it.
 *
 * @param ids the collection parameter
 * @param kind which collection it is, so the delegate gets its misses in the same kind
 * @param element the collection's type argument, or null when it has none or a wildcard
 * @param mapKey the returned map's key type, or null when it has none or a wildcard
 * @param mapValue the returned map's value type, or null when it has none or a wildcard
 * @param declared the declared return type
 * @param plainMap whether the method returns {@code java.util.Map} itself (no Optional, future or
 *     map implementation)
 */
public record BulkShape(
    Param ids, Kind kind, TypeMirror element, TypeMirror mapKey, TypeMirror mapValue, TypeMirror declared,
    boolean plainMap) {

  /** The declared collection of ids. */
  public enum Kind {
    SET, LIST, COLLECTION
  }

  /** Whether the types are usable: then the cache's values are {@code mapValue}, its keys built from {@code element}. */
  public boolean wellFormed() {
    return element != null && mapKey != null && mapValue != null && plainMap;
  }
}
