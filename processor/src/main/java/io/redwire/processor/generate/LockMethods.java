package io.redwire.processor.generate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.TypeSpec;
import io.redwire.processor.model.LockSpec;
import io.redwire.processor.model.MethodModel;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.lang.model.element.Modifier;
import javax.lang.model.type.TypeKind;

/**
 * Writes the locking parts of a proxy: one {@code LockSettings} constant and one {@code RedwireLock}
 * field per {@code @Locked} method, and around the method's body (cache, writes or the delegate call)
 * the key, the acquisition, and a {@code try} whose {@code finally} releases the lock:
 *
 * <pre>{@code
 * KeyWriter k = KeyWriter.begin(this.reserveLock.prefix());
 * k.part(sku);
 * byte[] lockKey = k.end();
 * LockLease lease = this.reserveLock.acquire(lockKey);        // or tryAcquire + return <empty>
 * try {
 *   return this.delegate.reserve(sku, quantity);
 * } catch (Throwable t) {
 *   lease.failed(t);                                           // a lost lock is added as suppressed
 *   throw t;
 * } finally {
 *   this.reserveLock.release(lease);                           // throws LockLostException if lost
 * }
 * }</pre>
 */
final class LockMethods implements Step {

  static final String LOCK = GeneratedClass.RUNTIME + ".lock";
  static final ClassName REDWIRE_LOCK = ClassName.get(LOCK, "RedwireLock");
  static final ClassName SETTINGS = ClassName.get(LOCK, "LockSettings");
  static final ClassName LEASE = ClassName.get(LOCK, "LockLease");

  /** What {@link #around} opened: closes it with {@code catch} and {@code finally}. */
  private record Held(String field, String lease, String thrown) implements Closer {
    @Override
    public void close(MethodContext m) {
      MethodSpec.Builder method = m.method();
      method.nextControlFlow("catch ($T $N)", Throwable.class, thrown);
      method.addStatement("$N.failed($N)", lease, thrown);
      method.addStatement("throw $N", thrown);
      method.nextControlFlow("finally");
      method.addStatement("this.$N.release($N)", field, lease);
      method.endControlFlow();
    }
  }

  private final KeyCode keys;
  /** Method -> field holding its lock. */
  private final Map<MethodModel, String> fields = new LinkedHashMap<>();

  LockMethods(ClassContext c) {
    this.keys = c.keys();
  }

  @Override
  public void fields(ClassContext c) {
    TypeSpec.Builder cls = c.cls();
    CodeBlock.Builder ctor = c.constructor();
    NameAllocator memberNames = c.members();
    for (MethodModel m : c.model().methods()) {
      LockSpec l = m.locked();
      if (l == null) {
        continue;
      }
      c.claims().claim(Claims.LOCK, l.name(), "key=" + l.key().partTypes());
      String settings = memberNames.newName(ProxyWriter.constant(m.name()) + "_LOCK");
      String field = memberNames.newName(ProxyWriter.identifier(m.name()) + "Lock");
      fields.put(m, field);
      cls.addField(FieldSpec.builder(SETTINGS, settings, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
          .initializer("new $T($S, $LL, $LL)", SETTINGS, l.name(), l.leaseMillis(), l.maxWaitMillis())
          .build());
      cls.addField(FieldSpec.builder(REDWIRE_LOCK, field, Modifier.PRIVATE, Modifier.FINAL).build());
      ctor.addStatement("this.$N = $T.of(redwire, $N)", field, REDWIRE_LOCK, settings);
    }
  }

  /**
   * For a {@code @Locked} method: builds the key, acquires (returning the empty value when a skipped
   * call finds the lock busy) and opens the {@code try}. Null for other methods.
   */
  @Override
  public Closer around(MethodContext mc) {
    MethodModel m = mc.model();
    MethodSpec.Builder method = mc.method();
    NameAllocator names = mc.names();
    LockSpec l = m.locked();
    if (l == null) {
      return null;
    }
    String field = fields.get(m);
    String key = keys.build(method, CodeBlock.of("this.$N.prefix()", field), l.key(), names, "lockKey");
    String lease = names.newName("lease");
    if (l.onBusy() == LockSpec.OnBusy.SKIP) {
      method.addStatement("$T $N = this.$N.tryAcquire($N)", LEASE, lease, field, key);
      method.beginControlFlow("if ($N == null)", lease);
      if (l.empty() == LockSpec.Empty.VOID) {
        method.addStatement("return");
      } else {
        method.addStatement("return $L", empty(m, l));
      }
      method.endControlFlow();
    } else {
      method.addStatement("$T $N = this.$N.acquire($N)", LEASE, lease, field, key);
    }
    method.beginControlFlow("try");
    return new Held(field, lease, names.newName("t"));
  }

  /** The value a skipped call returns. */
  private static CodeBlock empty(MethodModel m, LockSpec l) {
    return switch (l.empty()) {
      case PRIMITIVE -> primitiveZero(m.result().declared().getKind());
      case OPTIONAL -> CodeBlock.of("$T.empty()", ClassName.get("java.util", "Optional"));
      case OPTIONAL_INT -> CodeBlock.of("$T.empty()", ClassName.get("java.util", "OptionalInt"));
      case OPTIONAL_LONG -> CodeBlock.of("$T.empty()", ClassName.get("java.util", "OptionalLong"));
      case OPTIONAL_DOUBLE -> CodeBlock.of("$T.empty()", ClassName.get("java.util", "OptionalDouble"));
      case LIST -> CodeBlock.of("$T.of()", ClassName.get("java.util", "List"));
      case SET -> CodeBlock.of("$T.of()", ClassName.get("java.util", "Set"));
      case MAP -> CodeBlock.of("$T.of()", ClassName.get("java.util", "Map"));
      case SORTED_SET -> CodeBlock.of("$T.emptyNavigableSet()", ClassName.get("java.util", "Collections"));
      case SORTED_MAP -> CodeBlock.of("$T.emptyNavigableMap()", ClassName.get("java.util", "Collections"));
      case STREAM -> CodeBlock.of("$T.empty()", ClassName.get("java.util.stream", "Stream"));
      default -> CodeBlock.of("null");
    };
  }

  private static CodeBlock primitiveZero(TypeKind kind) {
    return switch (kind) {
      case BOOLEAN -> CodeBlock.of("false");
      case BYTE -> CodeBlock.of("(byte) 0");
      case SHORT -> CodeBlock.of("(short) 0");
      case CHAR -> CodeBlock.of("(char) 0");
      case LONG -> CodeBlock.of("0L");
      case FLOAT -> CodeBlock.of("0.0f");
      case DOUBLE -> CodeBlock.of("0.0");
      default -> CodeBlock.of("0");
    };
  }
}
