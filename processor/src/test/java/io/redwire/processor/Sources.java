package io.redwire.processor;

import com.google.testing.compile.Compilation;
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
}
