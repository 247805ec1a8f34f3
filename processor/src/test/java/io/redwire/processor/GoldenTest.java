package io.redwire.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The generated source of a few interfaces, compared as text with files under
 * {@code src/test/resources/golden}. After an intended change to the generated code, regenerate them
 * with {@code mvn -pl processor -am test -Dtest=GoldenTest -Dgolden.update=true} and review the diff.
 */
class GoldenTest {

  @ParameterizedTest
  @ValueSource(strings = {"Catalog", "Shapes", "Orders", "Games", "Shop", "ShopEvents", "CartSession", "VisitSession", "Mailer", "Prices", "NearCatalog"})
  void generatedSourceMatchesTheGoldenFile(String name) throws IOException {
    JavaFileObject input = JavaFileObjects.forResource("golden/" + name + ".java");
    String generated = generate(input, "golden.Redwire" + name);
    assertEquals(generated, generate(input, "golden.Redwire" + name), "deterministic output");

    Path golden = Path.of(System.getProperty("golden.dir", "src/test/resources/golden"))
        .resolve("Redwire" + name + ".java.txt");
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(golden, generated, StandardCharsets.UTF_8);
    }
    assertTrue(Files.exists(golden), "missing " + golden + "; run with -Dgolden.update=true");
    assertEquals(Files.readString(golden, StandardCharsets.UTF_8), generated,
        "generated code changed; if intended, regenerate with -Dgolden.update=true and review the diff");

    for (String banned : List.of("java.lang.reflect", "Class.forName", "Object[]", "->", "getAnnotation",
        "Proxy.newProxyInstance")) {
      assertFalse(generated.contains(banned), "generated code contains " + banned);
    }
    assertTrue(generated.contains("@Generated(\"io.redwire.processor.RedwireProcessor\")"));
    assertFalse(generated.matches("(?s).*@Generated\\([^)]*date.*"), "no timestamp");
  }

  /** Compiles with the real runtime on the class path, so the golden file is code that compiles. */
  private static String generate(JavaFileObject input, String generatedName) throws IOException {
    Compilation c = Compiler.javac().withProcessors(new RedwireProcessor()).compile(input);
    assertThat(c).succeededWithoutWarnings();
    return c.generatedSourceFile(generatedName).orElseThrow().getCharContent(true).toString();
  }
}
