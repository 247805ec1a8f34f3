package io.redwire.processor.model;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * How a stored Java type is encoded: an immutable tree built by {@code ValueTypeReader} and turned into
 * codec code by {@code CodecWriter}.
 *
 * <p>Every node knows its Java type ({@link #type()}, and {@link #typeName()} as a canonical source
 * string such as {@code java.util.List<com.x.Tag>}), a canonical {@link #shape()} and the
 * {@link #fingerprint()} of that shape. The shape names every record component (name and shape), every
 * enum constant in order, every permitted record of a sealed interface (sorted by qualified name) and
 * the user codec class where one is used; so any change that would make old bytes unreadable changes
 * the fingerprint. A record or sealed interface is described in full the first time it occurs (in
 * depth-first, declaration order) and as a back-reference {@code &com.x.Node} every later time, which
 * keeps the shapes of recursive types finite and of large types linear in the number of types.
 *
 * <p>{@link Unsupported} can only appear at the root: when any part of a type cannot be encoded the
 * reader returns one {@code Unsupported} for the whole type, with the path to the offending part.
 */
public sealed interface ValueType {

  /** The Java type this node encodes. */
  TypeMirror type();

  /** The canonical source form of {@link #type()}: qualified names, type arguments, no annotations. */
  String typeName();

  /** Canonical, deterministic description of the encoded shape. */
  String shape();

  /** 64-bit FNV-1a over the UTF-8 bytes of {@link #shape()}. */
  default long fingerprint() {
    return fnv1a64(shape());
  }

  /** Whether this type (and everything inside it) can be encoded. */
  default boolean supported() {
    return !(this instanceof Unsupported);
  }

  /** A primitive ({@code long}); encoded with the matching {@code Output.writeX}, its codec is the boxed one. */
  record Primitive(TypeMirror type, TypeKind kind) implements ValueType {
    public Primitive {
      Objects.requireNonNull(type, "type");
      if (!kind.isPrimitive()) {
        throw new IllegalArgumentException("not a primitive: " + kind);
      }
    }

    @Override
    public String typeName() {
      return keyword(kind);
    }

    @Override
    public String shape() {
      return typeName();
    }
  }

  /** A box of a primitive ({@code java.lang.Long}); {@code kind} is the primitive kind. */
  record Boxed(TypeMirror type, TypeKind kind) implements ValueType {
    public Boxed {
      Objects.requireNonNull(type, "type");
      if (!kind.isPrimitive()) {
        throw new IllegalArgumentException("not a primitive: " + kind);
      }
    }

    @Override
    public String typeName() {
      return boxName(kind);
    }

    @Override
    public String shape() {
      return typeName();
    }
  }

  /**
   * A type the runtime encodes with a fixed codec: String, byte[], the other primitive arrays, UUID,
   * BigInteger, BigDecimal and the java.time value types. {@code constant} is the name of the
   * {@code io.redwire.runtime.codec.Codecs} constant ({@code "STRING"}, {@code "INSTANT"}, ...).
   */
  record BuiltIn(TypeMirror type, String typeName, String constant) implements ValueType {
    public BuiltIn {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(typeName, "typeName");
      Objects.requireNonNull(constant, "constant");
    }

    @Override
    public String shape() {
      return typeName;
    }
  }

  /** An array of a reference type ({@code com.x.Tag[]}, {@code int[][]}). */
  record ArrayOf(TypeMirror type, ValueType component) implements ValueType {
    public ArrayOf {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(component, "component");
    }

    @Override
    public String typeName() {
      return component.typeName() + "[]";
    }

    @Override
    public String shape() {
      return component.shape() + "[]";
    }
  }

  /** An enum, encoded by ordinal; {@code constants} in declaration order. */
  record EnumType(TypeMirror type, String typeName, List<String> constants) implements ValueType {
    public EnumType {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(typeName, "typeName");
      constants = List.copyOf(constants);
    }

    @Override
    public String shape() {
      return "enum " + typeName + "{" + String.join(",", constants) + "}";
    }
  }

  /**
   * One record component: its name, the accessor method's name, how it is encoded, and whether it
   * may be null (every reference type; primitives never).
   */
  record Component(String name, String accessor, ValueType type, boolean nullable) {
    public Component {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(accessor, "accessor");
      Objects.requireNonNull(type, "type");
    }

    /** {@code <type shape> <name>}. */
    public String shape() {
      return type.shape() + " " + name;
    }
  }

  /**
   * A record: components in declaration order, types resolved for the stored instantiation
   * ({@code Box<String>} has a {@code String value} component).
   */
  record RecordType(TypeMirror type, String typeName, List<Component> components) implements ValueType {
    public RecordType {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(typeName, "typeName");
      components = List.copyOf(components);
    }

    @Override
    public String shape() {
      StringBuilder b = new StringBuilder("record ").append(typeName).append('(');
      for (int i = 0; i < components.size(); i++) {
        if (i > 0) {
          b.append(',');
        }
        b.append(components.get(i).shape());
      }
      return b.append(')').toString();
    }
  }

  /**
   * A sealed interface whose permitted subtypes are all records (directly or through nested sealed
   * interfaces). {@code permits} is sorted by qualified name; a value's tag is its index there. Each
   * element is a {@link RecordType}, or a {@link BackRef} when that record is already described
   * earlier in the tree.
   */
  record SealedType(TypeMirror type, String typeName, List<ValueType> permits) implements ValueType {
    public SealedType {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(typeName, "typeName");
      permits = List.copyOf(permits);
    }

    @Override
    public String shape() {
      StringBuilder b = new StringBuilder("sealed ").append(typeName).append('{');
      for (int i = 0; i < permits.size(); i++) {
        if (i > 0) {
          b.append('|');
        }
        b.append(permits.get(i).shape());
      }
      return b.append('}').toString();
    }
  }

  /** {@code java.util.List<E>}. */
  record ListOf(TypeMirror type, ValueType element) implements ValueType {
    public ListOf {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(element, "element");
    }

    @Override
    public String typeName() {
      return "java.util.List<" + element.typeName() + ">";
    }

    @Override
    public String shape() {
      return "java.util.List<" + element.shape() + ">";
    }
  }

  /** {@code java.util.Set<E>}. */
  record SetOf(TypeMirror type, ValueType element) implements ValueType {
    public SetOf {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(element, "element");
    }

    @Override
    public String typeName() {
      return "java.util.Set<" + element.typeName() + ">";
    }

    @Override
    public String shape() {
      return "java.util.Set<" + element.shape() + ">";
    }
  }

  /** {@code java.util.Map<K, V>}. */
  record MapOf(TypeMirror type, ValueType key, ValueType value) implements ValueType {
    public MapOf {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String typeName() {
      return "java.util.Map<" + key.typeName() + "," + value.typeName() + ">";
    }

    @Override
    public String shape() {
      return "java.util.Map<" + key.shape() + "," + value.shape() + ">";
    }
  }

  /** {@code java.util.Optional<E>}. */
  record OptionalOf(TypeMirror type, ValueType element) implements ValueType {
    public OptionalOf {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(element, "element");
    }

    @Override
    public String typeName() {
      return "java.util.Optional<" + element.typeName() + ">";
    }

    @Override
    public String shape() {
      return "java.util.Optional<" + element.shape() + ">";
    }
  }

  /**
   * A type encoded by a user codec named with {@code @UseCodec}. {@code type} is the stored type
   * (boxed, for a primitive); {@code codecType} is the codec class and {@code codecClass} its qualified
   * name; {@code useInstance} says whether to use its {@code INSTANCE} field rather than its
   * no-argument constructor. The shape cannot see inside the codec, so it names it: a different codec
   * class is a different shape.
   */
  record UserCodec(TypeMirror type, String typeName, TypeMirror codecType, String codecClass,
      boolean useInstance) implements ValueType {
    public UserCodec {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(typeName, "typeName");
      Objects.requireNonNull(codecType, "codecType");
      Objects.requireNonNull(codecClass, "codecClass");
    }

    @Override
    public String shape() {
      return "codec " + codecClass + "<" + typeName + ">";
    }
  }

  /**
   * A record or sealed interface that is already described earlier in the same tree (depth-first,
   * declaration order): a recursive type such as {@code record Node(String name, List<Node> children)},
   * or a type used twice. The codec is the one written for that earlier description.
   */
  record BackRef(TypeMirror type, String typeName) implements ValueType {
    public BackRef {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(typeName, "typeName");
    }

    @Override
    public String shape() {
      return "&" + typeName;
    }
  }

  /**
   * A type Redwire cannot encode. {@code reason} says why and what to do; {@code path} says where
   * inside the stored type the problem is ({@code "Order.lines -> OrderLine.sku -> java.io.File"}),
   * and is just the type's name when the stored type itself is the problem. {@code reportedByJavac}:
   * javac reports the problem itself (a private type used outside its top-level class), so Redwire
   * adds nothing.
   */
  record Unsupported(TypeMirror type, String typeName, String reason, String path, boolean reportedByJavac)
      implements ValueType {
    public Unsupported {
      Objects.requireNonNull(typeName, "typeName");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(path, "path");
    }

    public Unsupported(TypeMirror type, String typeName, String reason, String path) {
      this(type, typeName, reason, path, false);
    }

    @Override
    public String shape() {
      return "unsupported " + typeName;
    }

    /** {@code "<reason> (at <path>)"}, for a diagnostic. */
    public String message() {
      return reason + " (at " + path + ")";
    }
  }

  /** 64-bit FNV-1a over the UTF-8 bytes of {@code s}; the same function as the runtime's {@code Fingerprint.of}. */
  public static long fnv1a64(CharSequence s) {
    long hash = 0xcbf29ce484222325L;
    byte[] bytes = s.toString().getBytes(StandardCharsets.UTF_8);
    for (byte b : bytes) {
      hash ^= (b & 0xff);
      hash *= 0x100000001b3L;
    }
    return hash;
  }

  /** The Java keyword of a primitive kind ({@code LONG -> "long"}). */
  static String keyword(TypeKind kind) {
    return switch (kind) {
      case BOOLEAN -> "boolean";
      case BYTE -> "byte";
      case SHORT -> "short";
      case CHAR -> "char";
      case INT -> "int";
      case LONG -> "long";
      case FLOAT -> "float";
      case DOUBLE -> "double";
      default -> throw new IllegalArgumentException("not a primitive: " + kind);
    };
  }

  /** The qualified name of the box of a primitive kind ({@code LONG -> "java.lang.Long"}). */
  static String boxName(TypeKind kind) {
    return switch (kind) {
      case BOOLEAN -> "java.lang.Boolean";
      case BYTE -> "java.lang.Byte";
      case SHORT -> "java.lang.Short";
      case CHAR -> "java.lang.Character";
      case INT -> "java.lang.Integer";
      case LONG -> "java.lang.Long";
      case FLOAT -> "java.lang.Float";
      case DOUBLE -> "java.lang.Double";
      default -> throw new IllegalArgumentException("not a primitive: " + kind);
    };
  }
}
