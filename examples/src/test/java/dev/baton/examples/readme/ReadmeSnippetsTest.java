package dev.baton.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@code ```java} block of the repository's README compiles, against the Baton modules and
 * their dependencies, so that the README cannot drift from the API.
 *
 * <p>A block is compiled as the body of a method {@code void snippet() throws Exception} in a class
 * that imports {@link #IMPORTS}; a block that declares a top-level type is compiled as a whole
 * file with the same imports. Names a block uses without declaring them (the request's
 * {@code accessToken}, the application's {@code queue}) are declared in an HTML comment right
 * above the block, which the README renders invisibly:
 * <pre>
 * &lt;!-- snippet-context: AccessToken accessToken = null; --&gt;
 * </pre>
 * The context goes before the block, inside the same method. The class path is the test class path
 * that Maven resolved for this module (system property {@code readme.classpath}).
 */
class ReadmeSnippetsTest {
  private static final Path README = Path.of("..", "README.md").toAbsolutePath().normalize();
  private static final List<String> IMPORTS = List.of("dev.baton.*", "dev.baton.codec.*",
      "dev.baton.store.*", "dev.baton.store.memory.*", "dev.baton.store.redis.*", "dev.baton.micrometer.*", "dev.baton.oauth2.*",
      "io.micrometer.core.instrument.*", "reactor.core.publisher.*", "java.net.*",
      "java.nio.file.*", "java.time.*", "java.util.*", "java.util.concurrent.*");
  private static final Pattern BLOCK = Pattern.compile(
      "(?:<!--\\s*snippet-context:(?<context>.*?)-->\\s*)?```java\\n(?<code>.*?)```",
      Pattern.DOTALL);
  private static final Pattern TOP_LEVEL_TYPE = Pattern.compile(
      "^(public\\s+)?(final\\s+)?(class|record|interface|enum)\\s", Pattern.MULTILINE);

  /** A README block: its line, hidden context and code. */
  record Snippet(int line, String context, String code) {}

  static List<Snippet> snippets() throws Exception {
    String readme = Files.readString(README);
    List<Snippet> snippets = new ArrayList<>();
    Matcher matcher = BLOCK.matcher(readme);
    while (matcher.find()) {
      int line = (int) readme.substring(0, matcher.start("code")).lines().count();
      String context = matcher.group("context") == null ? "" : matcher.group("context");
      snippets.add(new Snippet(line, context, matcher.group("code")));
    }
    return snippets;
  }

  @Test
  void readme_hasJavaBlocks() throws Exception {
    assertThat(snippets()).as("```java blocks in %s", README).isNotEmpty();
  }

  @TestFactory
  Stream<DynamicTest> everyJavaBlock_compiles() throws Exception {
    return snippets().stream().map(snippet -> DynamicTest.dynamicTest(
        "README.md line " + snippet.line(), () -> assertCompiles(snippet)));
  }

  @Test
  void aBlockThatDoesNotCompile_isCaught() {
    List<String> errors = compile(new Snippet(1, "", "Baton.noSuchMethod();\n"));

    assertThat(errors).isNotEmpty();
  }

  private static void assertCompiles(Snippet snippet) {
    assertThat(compile(snippet))
        .as("README.md block at line %d must compile:%n%s", snippet.line(), snippet.code())
        .isEmpty();
  }

  private static List<String> compile(Snippet snippet) {
    String className = "ReadmeSnippetAtLine" + snippet.line();
    StringBuilder source = new StringBuilder();
    for (String imported : IMPORTS) {
      source.append("import ").append(imported).append(";\n");
    }
    if (TOP_LEVEL_TYPE.matcher(snippet.code()).find()) {
      className = typeName(snippet.code());
      source.append(snippet.code());
    } else {
      source.append("class ").append(className).append(" {\n")
          .append("  @SuppressWarnings(\"unused\")\n")
          .append("  void snippet() throws Exception {\n")
          .append(snippet.context()).append('\n')
          .append(snippet.code())
          .append("  }\n}\n");
    }
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    String classPath = System.getProperty("readme.classpath");
    assertThat(classPath).as("system property readme.classpath, set by the examples pom")
        .isNotBlank();
    try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
        null)) {
      Path out = Files.createTempDirectory("readme-snippet");
      JavaFileObject unit = new SimpleJavaFileObject(
          URI.create("string:///" + className + ".java"), JavaFileObject.Kind.SOURCE) {
        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
          return source;
        }
      };
      StringWriter output = new StringWriter();
      Boolean ok = compiler.getTask(output, files, diagnostics,
          List.of("-classpath", classPath, "-d", out.toString(), "-proc:none",
              "--release", "17"),
          null, List.of(unit)).call();
      List<String> errors = new ArrayList<>();
      for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
        if (d.getKind() == Diagnostic.Kind.ERROR) {
          errors.add("line " + d.getLineNumber() + " of the generated source: "
              + d.getMessage(Locale.ROOT));
        }
      }
      if (!ok && errors.isEmpty()) {
        errors.add("compiler failed: " + output);
      }
      return errors;
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String typeName(String code) {
    Matcher m = Pattern.compile("(?:class|record|interface|enum)\\s+(\\w+)").matcher(code);
    return m.find() ? m.group(1) : "Snippet";
  }
}
