package dev.baton.jobrunr;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/** Every {@code ```java} block of this module's README compiles against the module. */
class ReadmeSnippetTest {
  private static final Pattern BLOCK = Pattern.compile(
      "(?:<!--\\s*snippet-context:(?<context>.*?)-->\\s*)?```java\\n(?<code>.*?)```",
      Pattern.DOTALL);
  private static final String IMPORTS = "import dev.baton.*; import dev.baton.jobrunr.*;"
      + " import dev.baton.store.*; import org.jobrunr.configuration.*;"
      + " import org.jobrunr.scheduling.*; import org.jobrunr.storage.*;\n";

  @Test
  void readmeJavaBlocks_compile() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    Matcher blocks = BLOCK.matcher(readme);
    int count = 0;
    while (blocks.find()) {
      count++;
      String context = blocks.group("context") == null ? "" : blocks.group("context");
      String source = IMPORTS + "class Snippet" + count + " { void snippet() throws Exception {\n"
          + context + "\n" + blocks.group("code") + "}}\n";
      assertThat(compile("Snippet" + count, source)).as("README block %d:%n%s", count, source)
          .isEmpty();
    }
    assertThat(count).isPositive();
  }

  private static List<String> compile(String name, String source) throws Exception {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    JavaFileObject unit = new SimpleJavaFileObject(URI.create("string:///" + name + ".java"),
        JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return source;
      }
    };
    Path out = Files.createTempDirectory("readme-snippet");
    compiler.getTask(null, null, diagnostics, List.of("-classpath",
        System.getProperty("java.class.path"), "-d", out.toString(), "-proc:none"), null,
        List.of(unit)).call();
    List<String> errors = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() == Diagnostic.Kind.ERROR) {
        errors.add(d.getLineNumber() + ": " + d.getMessage(Locale.ROOT));
      }
    }
    return errors;
  }
}
