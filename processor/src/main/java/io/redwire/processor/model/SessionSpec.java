package io.redwire.processor.model;

import java.util.List;
import java.util.Map;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.type.TypeMirror;

/**
 * A {@code @SessionScoped} interface: the store's settings and every abstract method read as an
 * accessor. Built by {@code SessionReader}; {@code SessionValidator} checks that the accessors agree.
 *
 * @param ttlMillis the idle timeout, -1 when malformed (reported)
 * @param absoluteMillis the absolute timeout, 0 for none, -1 when malformed (reported)
 * @param accessors every abstract method, in the interface's order
 * @param fields field name to its getter, in the order the getters appear
 * @param user the {@code @SessionUser} getter's field, null when there is none
 */
public record SessionSpec(
    Origin origin,
    String name,
    long ttlMillis,
    long absoluteMillis,
    int maxPerUser,
    List<Accessor> accessors,
    Map<String, Accessor> fields,
    String user) {

  /** What an accessor method does. */
  public enum Kind {
    /** {@code String id()}: the session id. */
    ID,
    /** {@code T x()}. */
    GET,
    /** {@code void x(T v)}. */
    SET,
    /** {@code long addX(long delta)} (or {@code int}). */
    ADD,
    /**
     * {@code R addX(long delta)} (or {@code int delta}) with {@code R} a view record: the increment,
     * then the view's fields read in the same round trip.
     */
    ADD_VIEW,
    /** {@code boolean compareAndSetX(T expect, T update)}. */
    CAS,
    /** {@code R x()} with {@code R} a record whose components name getters, and no setter {@code x}. */
    VIEW,
    /** {@code id} in any other shape: reserved. */
    RESERVED_ID,
    /** None of the shapes above. */
    UNKNOWN
  }

  /**
   * One abstract method.
   *
   * @param field the field it reads or writes ({@code items} for {@code addItems}); null for ID, VIEW,
   *     UNKNOWN
   * @param type the getter's return type, the setter's parameter type, the increment's return type, or
   *     the compare-and-set's first parameter type; the record of a VIEW or ADD_VIEW
   * @param value how a getter's field is encoded (GET only; unsupported types reported)
   * @param components a VIEW's or ADD_VIEW's record component names, in order
   */
  public record Accessor(
      ExecutableElement method,
      Kind kind,
      String field,
      TypeMirror type,
      ValueType value,
      List<String> components,
      List<TypeMirror> componentTypes) {

    public String methodName() {
      return method.getSimpleName().toString();
    }
  }

  /** Whether field {@code name} has an increment (it is then stored as a decimal integer). */
  public boolean integral(String name) {
    for (Accessor a : accessors) {
      if ((a.kind() == Kind.ADD || a.kind() == Kind.ADD_VIEW) && name.equals(a.field())) {
        return true;
      }
    }
    return false;
  }
}
