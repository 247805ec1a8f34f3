package io.redwire.processor;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.CompilationSubject;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;

/** Builds test sources line by line, so a test can name the line a diagnostic must point at. */
final class Sources {

  private Sources() {}

  /**
   * {@code package test;} and the usual imports on lines 1-5, then {@code body} from line 6 on; so the
   * n-th line of {@code body} (1-based) is line {@code 5 + n} of the file.
   */
  static JavaFileObject source(String className, String body) {
    String text = """
        package test;
        import io.redwire.*;
        import java.util.*;
        import java.util.concurrent.*;
        import java.math.*;
        """ + body;
    return JavaFileObjects.forSourceString("test." + className, text);
  }

  static final int HEADER_LINES = 5;

  static Compilation compile(JavaFileObject... files) {
    return Compiler.javac().withProcessors(new RedwireProcessor()).compile(files);
  }

  /**
   * Compiles {@code body} as class {@code className} and asserts it fails with exactly one error,
   * containing {@code message}, on line {@code bodyLine} of the body.
   */
  static void assertOnlyError(String className, String body, int bodyLine, String message) {
    JavaFileObject file = source(className, body);
    Compilation c = compile(file);
    CompilationSubject.assertThat(c).failed();
    CompilationSubject.assertThat(c).hadErrorCount(1);
    CompilationSubject.assertThat(c).hadErrorContaining(message).inFile(file)
        .onLine(HEADER_LINES + bodyLine);
  }
}
