package io.redwire.processor.generate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import io.redwire.processor.model.HandleSpec;
import io.redwire.processor.model.MethodModel;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * Writes the handle methods ({@code @Leaderboard}, {@code @Counter}, {@code @Distinct}): one region
 * field per name, built once in the constructor, and a body that builds the key from the parameters
 * and returns the handle for it; the delegate is never called.
 *
 * <pre>{@code
 * KeyWriter keyWriter = KeyWriter.begin(this.weeklyBoard.prefix());
 * keyWriter.part(game);
 * byte[] key = keyWriter.end();
 * return this.weeklyBoard.board(key);
 * }</pre>
 */
final class HandleMethods implements Step {

  static final String PACKAGE = GeneratedClass.RUNTIME + ".board";
  static final ClassName BOARD_REGION = ClassName.get(PACKAGE, "BoardRegion");
  static final ClassName COUNTER_REGION = ClassName.get(PACKAGE, "CounterRegion");
  static final ClassName SETTINGS = ClassName.get(PACKAGE, "BoardSettings");
  static final ClassName PERIOD = SETTINGS.nestedClass("Period");
  static final ClassName MEMBER_CODEC = ClassName.get(PACKAGE, "MemberCodec");
  static final ClassName DURATION = ClassName.get("java.time", "Duration");
  static final ClassName ZONE = ClassName.get("java.time", "ZoneId");

  private final KeyCode keys;
  /** Name -> field holding its region. */
  private final Map<String, String> fields = new LinkedHashMap<>();

  HandleMethods(ClassContext c) {
    this.keys = c.keys();
  }

  @Override
  public void fields(ClassContext c) {
    for (MethodModel m : c.model().methods()) {
      HandleSpec h = m.handle();
      if (h == null || fields.containsKey(h.name())) {
        continue;
      }
      String local = c.model().localName(h.name());
      String kindWord = h.kind() == HandleSpec.Kind.BOARD ? "Board"
          : h.kind() == HandleSpec.Kind.COUNTER ? "Counter" : "Distinct";
      String field = c.members().newName(ProxyWriter.identifier(local) + kindWord);
      fields.put(h.name(), field);
      String keyTypes = h.key().partTypes();
      if (h.kind() == HandleSpec.Kind.BOARD) {
        TypeName member = TypeName.get(h.member());
        String settings = c.members().newName(ProxyWriter.constant(local) + "_BOARD");
        c.claims().claim(h.kind().claim, h.name(), "member=" + h.member() + ";ties=" + h.ties()
            + ";period=" + h.periodKind() + "/" + (h.zone() != null ? h.zone() : h.periodMillis())
            + ";grace=" + (h.periodKind().equals("NONE") ? 0 : h.graceMillis()) + ";keep=" + h.keep()
            + ";maxScore=" + h.effectiveMaxScore() + ";key=" + keyTypes);
        c.cls().addField(FieldSpec.builder(SETTINGS, settings, Modifier.PRIVATE, Modifier.STATIC,
                Modifier.FINAL)
            .initializer("new $T($S, $T.Ties.$L,\n$>new $T($T.Kind.$L, $LL, $L, $LL), $LL, $LL)$<", SETTINGS,
                h.name(), SETTINGS, h.ties(), PERIOD, PERIOD, h.periodKind(), h.periodMillis(),
                h.zone() == null ? CodeBlock.of("null") : CodeBlock.of("$T.of($S)", ZONE, h.zone()),
                h.periodKind().equals("NONE") ? 0 : h.graceMillis(), h.keep(), h.effectiveMaxScore())
            .build());
        c.cls().addField(FieldSpec.builder(ParameterizedTypeName.get(BOARD_REGION, member), field,
            Modifier.PRIVATE, Modifier.FINAL).build());
        c.constructor().addStatement("this.$N = $T.of(redwire, $N, $L)", field, BOARD_REGION, settings,
            memberCodec(h));
      } else {
        c.claims().claim(h.kind().claim, h.name(), "window=" + h.windowMillis() + ";retain="
            + h.retainMillis() + ";key=" + keyTypes);
        c.cls().addField(FieldSpec.builder(COUNTER_REGION, field, Modifier.PRIVATE, Modifier.FINAL).build());
        c.constructor().addStatement("this.$N = $T.$L(redwire, $S, $T.ofMillis($LL), $T.ofMillis($LL))",
            field, COUNTER_REGION, h.kind() == HandleSpec.Kind.COUNTER ? "counter" : "distinct", h.name(),
            DURATION, h.windowMillis(), DURATION, h.retainMillis());
      }
    }
  }

  private static CodeBlock memberCodec(HandleSpec h) {
    return switch (h.memberKind()) {
      case STRING -> CodeBlock.of("$T.STRING", MEMBER_CODEC);
      case LONG -> CodeBlock.of("$T.LONG", MEMBER_CODEC);
      case INT -> CodeBlock.of("$T.INT", MEMBER_CODEC);
      case UUID -> CodeBlock.of("$T.UUIDS", MEMBER_CODEC);
      case ENUM -> CodeBlock.of("$T.enumByName($T.class)", MEMBER_CODEC, TypeName.get(h.member()));
      case UNSUPPORTED -> throw new IllegalStateException("validated: " + h.member());
    };
  }

  /** The body of a handle method: the key, then the handle. */
  @Override
  public boolean call(MethodContext mc) {
    HandleSpec h = mc.model().handle();
    if (h == null) {
      return false;
    }
    String field = fields.get(h.name());
    String key = keys.build(mc.method(), CodeBlock.of("this.$N.prefix()", field), h.key(), mc.names(), "key");
    String factory = switch (h.kind()) {
      case BOARD -> "board";
      case COUNTER -> "counter";
      case DISTINCT -> "uniques";
    };
    mc.method().addStatement("return this.$N.$L($N)", field, factory, key);
    return true;
  }
}
