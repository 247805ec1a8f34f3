package io.redwire.processor.codec;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import io.redwire.processor.generate.CodecWriter;
import io.redwire.processor.model.ValueType;
import io.redwire.processor.read.ValueTypeReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;

/**
 * Test-only processor: for each interface annotated {@link CodecProbe}, reads the return type of each
 * of its methods with {@link ValueTypeReader} and, when every one is supported, writes
 * {@code <Interface>Codecs} with {@code static Codec<T> <method>()} and
 * {@code static long <method>Fingerprint()} built by {@link CodecWriter}.
 */
final class ProbeProcessor extends AbstractProcessor {

  /** "Interface.method" to what the reader said. */
  final Map<String, ValueType> results = new LinkedHashMap<>();

  /** Names the writer must avoid. */
  final List<String> reserved;

  ProbeProcessor(List<String> reserved) {
    this.reserved = List.copyOf(reserved);
  }

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(CodecProbe.class.getCanonicalName());
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    ValueTypeReader reader = new ValueTypeReader(processingEnv);
    for (Element e : round.getElementsAnnotatedWith(CodecProbe.class)) {
      if (e.getKind() != ElementKind.INTERFACE) {
        continue;
      }
      TypeElement iface = (TypeElement) e;
      ClassName generated = ClassName.get(
          processingEnv.getElementUtils().getPackageOf(iface).getQualifiedName().toString(),
          iface.getSimpleName() + "Codecs");
      TypeSpec.Builder type = TypeSpec.classBuilder(generated).addModifiers(Modifier.FINAL);
      CodecWriter writer = new CodecWriter(reserved);
      boolean ok = true;
      for (ExecutableElement m : ElementFilter.methodsIn(iface.getEnclosedElements())) {
        ValueType vt = reader.read(m.getReturnType(), m);
        String name = m.getSimpleName().toString();
        results.put(iface.getSimpleName() + "." + name, vt);
        if (!vt.supported()) {
          ok = false;
          continue;
        }
        TypeName t = TypeName.get(m.getReturnType()).box();
        type.addMethod(MethodSpec.methodBuilder(name)
            .addModifiers(Modifier.STATIC)
            .returns(ParameterizedTypeName.get(ClassName.get("io.redwire.runtime.codec", "Codec"), t))
            .addStatement("return $L", writer.codec(vt))
            .build());
        type.addMethod(MethodSpec.methodBuilder(name + "Fingerprint")
            .addModifiers(Modifier.STATIC)
            .returns(long.class)
            .addStatement("return $LL", vt.fingerprint())
            .build());
      }
      if (!ok) {
        continue;
      }
      writer.addTo(type);
      try {
        JavaFile.builder(generated.packageName(), type.build()).build().writeTo(processingEnv.getFiler());
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
    }
    return false;
  }
}
