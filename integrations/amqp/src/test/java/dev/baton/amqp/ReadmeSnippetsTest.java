package dev.baton.amqp;

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
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Every {@code ```java} block of this module's README compiles against the module and its
 * dependencies (as the root README's blocks do in {@code examples}): each block is the body of a
 * method, after the names its {@code <!-- snippet-context: ... -->} comment declares.
 */
class ReadmeSnippetsTest {
  private static final Path README = Path.of("README.md").toAbsolutePath();
  private static final List<String> IMPORTS = List.of("dev.baton.*", "dev.baton.amqp.*",
      "dev.baton.amqp.spring.*", "com.rabbitmq.client.*", "org.springframework.amqp.rabbit.core.*",
      "org.springframework.amqp.rabbit.config.*");
  private static final Pattern BLOCK = Pattern.compile(
      "(?:<!--\\s*snippet-context:(?<context>.*?)-->\\s*)?```java\\n(?<code>.*?)```",
      Pattern.DOTALL);

  @Test
  void everyJavaBlock_compiles() throws Exception {
    String readme = Files.readString(README);
    List<JavaFileObject> sources = new ArrayList<>();
    Matcher matcher = BLOCK.matcher(readme);
    int n = 0;
    while (matcher.find()) {
      String context = matcher.group("context") == null ? "" : matcher.group("context");
      StringBuilder source = new StringBuilder();
      IMPORTS.forEach(i -> source.append("import ").append(i).append(";\n"));
      source.append("class Snippet").append(n).append(" {\n  void snippet() throws Exception {\n")
          .append(context).append('\n').append(matcher.group("code")).append("  }\n}\n");
      String name = "Snippet" + n++;
      sources.add(new SimpleJavaFileObject(URI.create("string:///" + name + ".java"),
          JavaFileObject.Kind.SOURCE) {
        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
          return source;
        }
      });
    }
    assertThat(sources).as("java blocks in %s", README).hasSizeGreaterThanOrEqualTo(2);

    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    Path out = Files.createTempDirectory("readme-snippets");
    try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null, null)) {
      boolean ok = compiler.getTask(null, files, diagnostics, List.of("-proc:none", "-d",
          out.toString(), "-classpath", System.getProperty("java.class.path")), null, sources)
          .call();
      StringBuilder errors = new StringBuilder();
      for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
        errors.append(d.getSource() == null ? "" : d.getSource().getName()).append(':')
            .append(d.getLineNumber()).append(": ").append(d.getMessage(Locale.ROOT)).append('\n');
      }
      assertThat(ok).as(errors.toString()).isTrue();
    }
  }
}
