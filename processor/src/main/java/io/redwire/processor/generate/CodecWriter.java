package io.redwire.processor.generate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeSpec;
import io.redwire.processor.model.ValueType;

/** TEMPORARY stub. */
public final class CodecWriter {
  public CodeBlock codec(ValueType t) {
    return CodeBlock.of("$T.$L", ClassName.get("io.redwire.runtime.codec", "Codecs"),
        t.shape().equals("java.lang.String") ? "STRING" : "LONG");
  }

  public void addTo(TypeSpec.Builder cls) {}
}
