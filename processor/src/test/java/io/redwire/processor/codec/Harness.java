package io.redwire.processor.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import io.redwire.processor.model.ValueType;
import io.redwire.runtime.codec.Codec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;

/** Compiles sources with {@link ProbeProcessor} and loads the result in a throwaway class loader. */
final class Harness {

  final Compilation compilation;
  final ProbeProcessor processor;
  private final ClassLoader loader;

  private Harness(Compilation compilation, ProbeProcessor processor) {
    this.compilation = compilation;
    this.processor = processor;
    this.loader = compilation.status() == Compilation.Status.SUCCESS ? load(compilation) : null;
  }

  /** Sources as pairs: qualified class name, source text. */
  static Harness compile(String... namesAndSources) {
    return compile(List.of(), namesAndSources);
  }

  /** As {@link #compile(String...)}, with names the codec writer must avoid. */
  static Harness compile(List<String> reserved, String... namesAndSources) {
    List<JavaFileObject> files = new ArrayList<>();
    for (int i = 0; i < namesAndSources.length; i += 2) {
      files.add(JavaFileObjects.forSourceString(namesAndSources[i], namesAndSources[i + 1]));
    }
    ProbeProcessor processor = new ProbeProcessor(reserved);
    Compilation c = Compiler.javac().withProcessors(processor).compile(files);
    return new Harness(c, processor);
  }

  Harness assertSuccess() {
    assertEquals(Compilation.Status.SUCCESS, compilation.status(),
        () -> compilation.diagnostics().toString());
    return this;
  }

  ValueType valueType(String interfaceDotMethod) {
    ValueType vt = processor.results.get(interfaceDotMethod);
    if (vt == null) {
      throw new AssertionError("no result for " + interfaceDotMethod + " in " + processor.results.keySet());
    }
    return vt;
  }

  /** The codec the generated {@code <iface>Codecs.<method>()} returns. */
  @SuppressWarnings("unchecked")
  Codec<Object> codec(String iface, String method) {
    return (Codec<Object>) call(iface + "Codecs", method);
  }

  long fingerprint(String iface, String method) {
    return (Long) call(iface + "Codecs", method + "Fingerprint");
  }

  /** Calls a static no-argument method of a compiled class. */
  Object call(String className, String method) {
    try {
      Method m = loader.loadClass(className).getDeclaredMethod(method);
      m.setAccessible(true);
      return m.invoke(null);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new AssertionError(cause);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  String generatedSource(String qualifiedName) {
    JavaFileObject f = compilation
        .generatedFile(StandardLocation.SOURCE_OUTPUT, qualifiedName.replace('.', '/') + ".java")
        .orElseThrow(() -> new AssertionError("no generated " + qualifiedName));
    try {
      return f.getCharContent(true).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String generatedSources() {
    StringBuilder b = new StringBuilder();
    for (JavaFileObject f : compilation.generatedSourceFiles()) {
      try {
        b.append("// ").append(f.getName()).append('\n').append(f.getCharContent(true)).append('\n');
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return b.toString();
  }

  private static ClassLoader load(Compilation c) {
    Map<String, byte[]> classes = new HashMap<>();
    for (JavaFileObject f : c.generatedFiles()) {
      if (f.getKind() != JavaFileObject.Kind.CLASS) {
        continue;
      }
      String path = f.toUri().getPath();
      int start = path.indexOf("/CLASS_OUTPUT/");
      String binary = path.substring(start + "/CLASS_OUTPUT/".length(), path.length() - ".class".length())
          .replace('/', '.');
      try (InputStream in = f.openInputStream()) {
        classes.put(binary, in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new ClassLoader(Harness.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = classes.get(name);
        if (bytes == null) {
          throw new ClassNotFoundException(name);
        }
        return defineClass(name, bytes, 0, bytes.length);
      }
    };
  }
}
