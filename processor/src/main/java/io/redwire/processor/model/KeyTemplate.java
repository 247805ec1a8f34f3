package io.redwire.processor.model;

import java.util.List;
import javax.lang.model.type.TypeMirror;
import java.util.stream.Collectors;

/**
 * A parsed key template such as {@code "{user.id}:v{version}"}: literal text and references to
 * parameters (and their record components or no-arg accessors). The rendered parts go inside the key's
 * hash tag; each part is escaped at run time so no argument tuple can collide with another.
 */
public record KeyTemplate(String source, boolean implicit, List<Segment> segments) {

  /** A piece of a template. */
  public sealed interface Segment permits Literal, Ref {}

  /** Text copied into the key as written. */
  public record Literal(String text) implements Segment {}

  /**
   * A reference: {@code param} then zero or more accessor calls. {@code type} is the type of the last
   * step; {@code kind} says how the value is written into the key.
   */
  public record Ref(String text, Param param, List<Step> steps, PartKind kind, String typeName)
      implements Segment {

    /** {@link #typeName()}, with enums and the other object parts by qualified name. */
    public String qualifiedTypeName() {
      if (kind != PartKind.ENUM && kind != PartKind.OBJECT) {
        return typeName;
      }
      TypeMirror last = steps.isEmpty() ? param.type() : steps.get(steps.size() - 1).type();
      return last.toString();
    }
  }

  /** One accessor call on the way to a key part: {@code name()}, returning {@code type}. */
  public record Step(String name, TypeMirror type) {}

  /** How a key part is rendered; also what makes two templates the same shape. */
  public enum PartKind {
    BOOLEAN, CHAR, INTEGRAL, FLOATING, STRING, ENUM, OBJECT
  }

  /**
   * The canonical types of the parts, comma-joined ({@code "integer,String"}): what the runtime's name
   * claims compare, so two interfaces sharing a name must key it by the same types.
   */
  public String partTypes() {
    return segments.stream().filter(s -> s instanceof Ref).map(s -> ((Ref) s).qualifiedTypeName())
        .collect(Collectors.joining(","));
  }

  /** The parts' kinds and types with the literal text: two templates of one shape address the same keys. */
  public String shape() {
    return segments.stream()
        .map(s -> s instanceof Literal l ? "'" + l.text() + "'" : "<" + ((Ref) s).typeName() + ">")
        .collect(Collectors.joining());
  }
}
