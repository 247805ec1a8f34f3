package io.redwire.processor.generate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import io.redwire.processor.model.KeyTemplate;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * Writes the statements that build a Redis key from a key template, for every pattern:
 *
 * <pre>{@code
 * KeyWriter keyWriter = KeyWriter.begin(this.productCache.prefix());
 * if (user == null) { keyWriter.part((Object) null); } else { keyWriter.part(user.id()); }
 * keyWriter.literal(KEY_TEXT_0);
 * keyWriter.part(version);
 * byte[] key = keyWriter.end();
 * }</pre>
 *
 * Template text becomes one {@code static final byte[]} per distinct literal, shared by every key of
 * the class; accessor paths are null-guarded with locals, so each accessor runs once.
 */
final class KeyCode {

  static final ClassName KEY_WRITER = ClassName.get(GeneratedClass.RUNTIME + ".key", "KeyWriter");
  private static final ClassName CHARSETS = ClassName.get("java.nio.charset", "StandardCharsets");

  private final NameAllocator members;
  private final Map<String, String> literals = new LinkedHashMap<>();

  KeyCode(NameAllocator members) {
    this.members = members;
  }

  /**
   * Adds statements building {@code template} after {@code prefix} (a {@code byte[]} expression)
   * into a new local named after {@code local}; returns the local's name.
   */
  String build(MethodSpec.Builder method, CodeBlock prefix, KeyTemplate template, NameAllocator names,
      String local) {
    String key = names.newName(local);
    String k = writer(method, prefix, template, names, local);
    method.addStatement("byte[] $N = $N.end()", key, k);
    return key;
  }

  /** As {@link #build}, but stops before {@code end()}: returns the name of the writer holding the key. */
  String writer(MethodSpec.Builder method, CodeBlock prefix, KeyTemplate template, NameAllocator names,
      String local) {
    String k = names.newName(local + "Writer");
    method.addStatement("$T $N = $T.begin($L)", KEY_WRITER, k, KEY_WRITER, prefix);
    for (KeyTemplate.Segment s : template.segments()) {
      if (s instanceof KeyTemplate.Literal l) {
        if (!l.text().isEmpty()) {
          method.addStatement("$N.literal($N)", k, literal(l.text()));
        }
      } else {
        part(method, k, (KeyTemplate.Ref) s, names);
      }
    }
    return k;
  }

  /** Adds the literal fields used by the keys built so far. */
  void addFields(TypeSpec.Builder cls) {
    for (Map.Entry<String, String> e : literals.entrySet()) {
      cls.addField(FieldSpec.builder(byte[].class, e.getValue(), Modifier.PRIVATE, Modifier.STATIC,
              Modifier.FINAL)
          .initializer("$S.getBytes($T.UTF_8)", e.getKey(), CHARSETS)
          .build());
    }
  }

  private String literal(String text) {
    return literals.computeIfAbsent(text, t -> members.newName("KEY_TEXT_" + literals.size()));
  }

  private static void part(MethodSpec.Builder method, String k, KeyTemplate.Ref ref, NameAllocator names) {
    if (ref.steps().isEmpty()) {
      method.addStatement("$N.part($N)", k, ref.param().name());
      return;
    }
    String receiver = ref.param().name();
    for (int i = 0; i < ref.steps().size(); i++) {
      method.beginControlFlow("if ($N == null)", receiver);
      method.addStatement("$N.part(($T) null)", k, Object.class);
      method.nextControlFlow("else");
      KeyTemplate.Step step = ref.steps().get(i);
      if (i == ref.steps().size() - 1) {
        method.addStatement("$N.part($N.$N())", k, receiver, step.name());
      } else {
        String local = names.newName(step.name());
        method.addStatement("$T $N = $N.$N()", TypeName.get(step.type()), local, receiver, step.name());
        receiver = local;
      }
    }
    for (int i = 0; i < ref.steps().size(); i++) {
      method.endControlFlow();
    }
  }
}
