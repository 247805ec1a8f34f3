package io.redwire.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.redwire.processor.Sources.compile;
import static io.redwire.processor.Sources.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The processor writes nothing once it reported an error, and never ends with an exception. */
class RobustnessTest {

  @Test
  void nothingIsGeneratedAfterAnError(@TempDir Path dir) throws IOException {
    Path src = Files.createDirectories(dir.resolve("src/test"));
    Files.writeString(src.resolve("Good.java"), """
        package test;
        import io.redwire.Cached;
        public interface Good {
          @Cached(ttl = "10m")
          String name(long id);
        }
        """);
    Files.writeString(src.resolve("Bad.java"), """
        package test;
        import io.redwire.Cached;
        public interface Bad {
          @Cached(ttl = "ten minutes")
          String name(long id);
        }
        """);
    Path generated = Files.createDirectories(dir.resolve("generated"));
    Path classes = Files.createDirectories(dir.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
      JavaCompiler.CompilationTask task = javac.getTask(null, files, diagnostics,
          List.of("-s", generated.toString(), "-d", classes.toString(), "-classpath",
              System.getProperty("java.class.path"), "-proc:only"),
          null, files.getJavaFileObjects(src.resolve("Good.java").toFile(), src.resolve("Bad.java").toFile()));
      task.setProcessors(List.of(new RedwireProcessor()));
      assertFalse(task.call());
    }
    assertTrue(diagnostics.getDiagnostics().stream()
        .anyMatch(d -> d.getKind() == Diagnostic.Kind.ERROR && d.getMessage(null).startsWith("[Redwire/Duration]")));
    try (Stream<Path> written = Files.walk(generated)) {
      assertEquals(List.of(), written.filter(Files::isRegularFile).map(Path::toString).toList(),
          "no file may be written once an error was reported, not even for the valid interface");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // a return type that does not exist
      "public interface Odd { @Cached(ttl = \"1m\") Missing product(long id); }",
      // a parameter type that does not exist, used in the key
      "public interface Odd { @Cached(ttl = \"1m\", key = \"{m.id}\") String product(Missing m); }",
      // a non-constant annotation value
      "public interface Odd { @Cached(ttl = NOPE) String product(long id); }",
      // an annotation on an enum method and on a record method
      "public enum Odd { A; @Cached(ttl = \"1m\") public String x() { return \"\"; } }",
      "public record Odd(int a) { @Cached(ttl = \"1m\") public String x() { return \"\"; } }",
      // an interface extending a missing interface
      "public interface Odd extends Missing { @Cached(ttl = \"1m\") String x(); }",
      // a recursive generic bound and a wildcard result (on the method: an interface's own type
      // variables make it a generic base, which gets no proxy and no error)
      "public interface Odd { @Cached(ttl = \"1m\") <T extends Comparable<T>> List<? extends T> x(T t); }",
      // an annotation interface and an empty key placeholder
      "public @interface Odd { } interface Odd2 { @Cached(ttl = \"1m\", key = \"{}\") String x(int a); }",
      // a key path through a method with parameters and through a primitive
      "public interface Odd { record R(int a) { int b(int x) { return x; } } "
          + "@Cached(ttl = \"1m\", key = \"{r.b}:{r.a.c}\") String x(R r); }",
  })
  void oddInputEndsInErrorsNotInAProcessorCrash(String body) {
    Compilation c = compile(source(body.contains("Odd2") ? "Odd" : "Odd", body));
    assertThat(c).failed();
    assertFalse(c.errors().stream().anyMatch(d -> d.getMessage(null).contains("[Redwire/Internal]")),
        () -> c.errors().toString());
    assertFalse(c.errors().stream().anyMatch(d -> d.getMessage(null).contains("Exception")),
        () -> c.errors().toString());
  }

  @Test
  void nestedInterfacesGetAFlatName() {
    Compilation c = compile(source("Outer", """
        public class Outer {
          public interface Inner {
            @Cached(ttl = "1m")
            String x(int a);
          }
        }
        """));
    assertThat(c).succeeded();
    assertThat(c).generatedSourceFile("test.RedwireOuter_Inner");
  }

  @Test
  void gradleIncrementalMetadataSaysIsolating() throws IOException {
    String metadata = Files.readString(new File(
        "src/main/resources/META-INF/gradle/incremental.annotation.processors").toPath());
    assertEquals("io.redwire.processor.RedwireProcessor,isolating", metadata.strip());
  }
}
