package dev.baton.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
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
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Every code block of every {@code README.md} in the repository is checked, so that no README can
 * drift from the code. READMEs are found by walking the repository (skipping {@code target},
 * {@code node_modules} and hidden directories): a README added in any module is checked with no
 * change here.
 *
 * <ul>
 *   <li>{@code ```java}: compiles against the Baton modules and their dependencies (the test class
 *       path Maven resolved for this module, system property {@code readme.classpath}). A block is
 *       compiled as the body of a method {@code void snippet() throws Exception} in a class that
 *       imports {@link #IMPORTS}; a block that declares a top-level type is compiled as a whole
 *       file (its own imports first, then the same ones).
 *   <li>{@code ```xml}: well-formed; a Baton dependency takes its version from the BOM (no
 *       {@code <version>}, no {@code ${baton.version}}) and names an artifact the BOM manages; the
 *       BOM itself is imported at the reactor's version.
 *   <li>{@code ```sh}: {@code bash -n} accepts it (a placeholder such as {@code <id>} is a syntax
 *       error when pasted); every {@code mvn -pl} module exists, and every {@code -P} profile
 *       exists in the modules it names.
 *   <li>{@code ```properties}: loads, with at least one property.
 *   <li>Others ({@code ```sql}, and blocks without a language: console output, URIs) are text.
 * </ul>
 *
 * <p>Names a java block uses without declaring them are declared in HTML comments right above the
 * block, which GitHub renders invisibly: {@code <!-- snippet-context: ... -->} holds statements
 * put before the block inside the same method (for a whole-file block: imports and declarations
 * put at file level, after the imports and before the block's types), and {@code <!-- snippet-members: ... -->} (whole-file blocks) holds members put
 * into the block's first type. A README whose module has java blocks must be a dependency of this
 * module, so that they compile against its classes
 * ({@link #everyModuleWithJavaBlocks_isOnTheReadmeClassPath}).
 */
class ReadmeSnippetsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final List<String> IMPORTS = List.of("dev.baton.*", "dev.baton.codec.*",
      "dev.baton.store.*", "dev.baton.store.memory.*", "dev.baton.store.redis.*",
      "dev.baton.store.jdbc.*", "dev.baton.tck.*", "dev.baton.micrometer.*", "dev.baton.amqp.*", "dev.baton.amqp.spring.*",
      "dev.baton.oauth2.*", "dev.baton.jobrunr.*", "org.jobrunr.configuration.*",
      "dev.baton.mcp.*", "org.jobrunr.jobs.context.*",
      "io.micrometer.core.instrument.*", "reactor.core.publisher.*", "java.net.*",
      "java.nio.file.*", "java.time.*", "java.util.*", "java.util.concurrent.*");
  private static final Pattern BLOCK = Pattern.compile(
      "(?:<!--\\s*snippet-context:(?<context>(?:(?!-->).)*)-->\\s*)?"
          + "(?:<!--\\s*snippet-members:(?<members>(?:(?!-->).)*)-->\\s*)?"
          + "^```(?<language>[\\w-]*)[ \\t]*\\n(?<code>.*?)^```[ \\t]*$",
      Pattern.DOTALL | Pattern.MULTILINE);
  private static final Pattern TOP_LEVEL_TYPE = Pattern.compile(
      "^(public\\s+)?(final\\s+|abstract\\s+)?(class|record|interface|enum)\\s", Pattern.MULTILINE);
  private static final Pattern IMPORT_LINE = Pattern.compile("^import\\s[^;]+;[^\\n]*\\n",
      Pattern.MULTILINE);

  /** A README code block: its file, line, language, hidden context and members, and code. */
  record Block(Path readme, int line, String language, String context, String members,
      String code) {
    String name() {
      return ROOT.relativize(readme) + " line " + line + " (" + (language.isEmpty() ? "text"
          : language) + ")";
    }
  }

  static List<Path> readmes() throws IOException {
    try (Stream<Path> paths = Files.walk(ROOT)) {
      return paths.filter(path -> path.getFileName().toString().equals("README.md"))
          .filter(path -> {
            String[] parts = ROOT.relativize(path).toString().split("/");
            for (int i = 0; i < parts.length - 1; i++) {
              if (parts[i].equals("target") || parts[i].equals("node_modules")
                  || parts[i].startsWith(".")) {
                return false;
              }
            }
            return true;
          })
          .sorted().toList();
    }
  }

  static List<Block> blocks(Path readme) throws IOException {
    String text = Files.readString(readme, StandardCharsets.UTF_8);
    List<Block> blocks = new ArrayList<>();
    Matcher matcher = BLOCK.matcher(text);
    while (matcher.find()) {
      int line = (int) text.substring(0, matcher.start("code")).lines().count();
      blocks.add(new Block(readme, line, matcher.group("language"),
          matcher.group("context") == null ? "" : matcher.group("context"),
          matcher.group("members") == null ? "" : matcher.group("members"),
          matcher.group("code")));
    }
    return blocks;
  }

  @Test
  void readmes_areFoundInEveryModule() throws Exception {
    assertThat(readmes()).contains(ROOT.resolve("README.md"),
        ROOT.resolve("integrations/mcp/README.md"), ROOT.resolve("core/README.md"));
  }

  @TestFactory
  Stream<DynamicNode> everyBlockOfEveryReadme_isChecked() throws Exception {
    List<DynamicNode> readmes = new ArrayList<>();
    for (Path readme : readmes()) {
      List<DynamicTest> tests = new ArrayList<>();
      for (Block block : blocks(readme)) {
        switch (block.language()) {
          case "java" -> tests.add(DynamicTest.dynamicTest(block.name(),
              () -> assertThat(compile(block)).as("%s must compile:%n%s", block.name(),
                  block.code()).isEmpty()));
          case "xml" -> tests.add(DynamicTest.dynamicTest(block.name(),
              () -> assertThat(xmlProblems(block)).as("%s:%n%s", block.name(), block.code())
                  .isEmpty()));
          case "sh", "bash", "shell" -> tests.add(DynamicTest.dynamicTest(block.name(),
              () -> assertThat(shellProblems(block)).as("%s:%n%s", block.name(), block.code())
                  .isEmpty()));
          case "properties" -> tests.add(DynamicTest.dynamicTest(block.name(), () -> {
            Properties properties = new Properties();
            properties.load(new StringReader(block.code()));
            assertThat(properties).as(block.name()).isNotEmpty();
          }));
          default -> {
            // Text: console output, URIs, SQL (the store's own tests check its schema).
          }
        }
      }
      if (!tests.isEmpty()) {
        readmes.add(DynamicContainer.dynamicContainer(ROOT.relativize(readme).toString(),
            tests.stream()));
      }
    }
    return readmes.stream();
  }

  @Test
  void everyModuleWithJavaBlocks_isOnTheReadmeClassPath() throws Exception {
    String examplesPom = Files.readString(ROOT.resolve("examples/pom.xml"));
    List<String> bom = managedArtifacts();
    for (Path readme : readmes()) {
      Path pom = readme.resolveSibling("pom.xml");
      if (!Files.exists(pom) || blocks(readme).stream().noneMatch(b -> b.language().equals("java"))) {
        continue;
      }
      String artifact = child(read(pom).getDocumentElement(), "artifactId");
      if (bom.contains(artifact)) {
        assertThat(examplesPom).as("%s has java blocks: add dev.baton:%s (test scope) to "
                + "examples/pom.xml so that they compile against its classes",
                ROOT.relativize(readme), artifact)
            .contains("<artifactId>" + artifact + "</artifactId>");
      }
    }
  }

  @Test
  void aJavaBlockThatDoesNotCompile_isCaught() {
    assertThat(compile(block("java", "Baton.noSuchMethod();\n"))).isNotEmpty();
  }

  @Test
  void anXmlBlockWithABatonVersion_isCaught() throws Exception {
    assertThat(xmlProblems(block("xml", "<dependency>\n  <groupId>dev.baton</groupId>\n"
        + "  <artifactId>baton-core</artifactId>\n  <version>${baton.version}</version>\n"
        + "</dependency>\n"))).singleElement().asString().contains("from the BOM");
  }

  @Test
  void aShellBlockWithAPlaceholder_isCaught() throws Exception {
    assertThat(shellProblems(block("sh", "curl http://127.0.0.1:8080/reports/<id>\n")))
        .isNotEmpty();
  }

  @Test
  void aShellBlockNamingAMissingModuleOrProfile_isCaught() throws Exception {
    assertThat(shellProblems(block("sh", "mvn -B -pl no-such-module package\n"
        + "mvn -B -pl examples package -Pno-such-profile\n"))).hasSize(2);
  }

  private static Block block(String language, String code) {
    return new Block(ROOT.resolve("README.md"), 1, language, "", "", code);
  }

  // ---------------------------------------------------------------------------------------- java

  private static List<String> compile(Block block) {
    String className = "ReadmeSnippetAtLine" + block.line();
    StringBuilder source = new StringBuilder();
    String code = block.code();
    if (TOP_LEVEL_TYPE.matcher(code).find()) {
      // The block's own imports first (static ones among them), then the usual ones.
      Matcher imports = IMPORT_LINE.matcher(code);
      int end = 0;
      while (imports.find() && code.substring(end, imports.start()).isBlank()) {
        end = imports.end();
      }
      source.append(code, 0, end);
      for (String imported : IMPORTS) {
        source.append("import ").append(imported).append(";\n");
      }
      String body = code.substring(end);
      className = typeName(body);
      if (!block.members().isBlank()) {
        int brace = body.indexOf('{');
        body = body.substring(0, brace + 1) + "\n" + block.members() + "\n"
            + body.substring(brace + 1);
      }
      source.append(block.context()).append('\n').append(body);
    } else {
      for (String imported : IMPORTS) {
        source.append("import ").append(imported).append(";\n");
      }
      source.append("class ").append(className).append(" {\n")
          .append("  @SuppressWarnings(\"unused\")\n")
          .append("  void snippet() throws Exception {\n")
          .append(block.context()).append('\n')
          .append(code)
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
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String typeName(String code) {
    Matcher m = Pattern.compile("(?:class|record|interface|enum)\\s+(\\w+)").matcher(code);
    return m.find() ? m.group(1) : "Snippet";
  }

  // ----------------------------------------------------------------------------------------- xml

  private static List<String> xmlProblems(Block block) throws Exception {
    List<String> problems = new ArrayList<>();
    Document document;
    try {
      document = parse("<readme-block>" + block.code() + "</readme-block>");
    } catch (org.xml.sax.SAXException e) {
      return List.of("not well-formed XML: " + e.getMessage());
    }
    List<String> managed = managedArtifacts();
    String reactorVersion = child(read(ROOT.resolve("pom.xml")).getDocumentElement(), "version");
    NodeList dependencies = document.getElementsByTagName("dependency");
    for (int i = 0; i < dependencies.getLength(); i++) {
      Element dependency = (Element) dependencies.item(i);
      if (!child(dependency, "groupId").equals("dev.baton")) {
        continue;
      }
      String artifact = child(dependency, "artifactId");
      String version = child(dependency, "version");
      if (artifact.equals("baton-bom")) {
        if (!version.equals(reactorVersion) || !child(dependency, "scope").equals("import")) {
          problems.add("baton-bom must be imported (scope import) at version " + reactorVersion);
        }
      } else if (!version.isEmpty()) {
        problems.add("dev.baton:" + artifact + " must take its version from the BOM (no "
            + "<version>): found " + version);
      } else if (!managed.contains(artifact)) {
        problems.add("dev.baton:" + artifact + " is not managed by bom/pom.xml");
      }
    }
    return problems;
  }

  private static List<String> managedArtifacts() throws Exception {
    NodeList dependencies = read(ROOT.resolve("bom/pom.xml")).getElementsByTagName("dependency");
    List<String> artifacts = new ArrayList<>();
    for (int i = 0; i < dependencies.getLength(); i++) {
      artifacts.add(child((Element) dependencies.item(i), "artifactId"));
    }
    return artifacts;
  }

  private static Document read(Path pom) throws Exception {
    return parse(Files.readString(pom, StandardCharsets.UTF_8));
  }

  private static Document parse(String xml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    var builder = factory.newDocumentBuilder();
    builder.setErrorHandler(new org.xml.sax.ErrorHandler() {
      @Override
      public void warning(org.xml.sax.SAXParseException e) {}

      @Override
      public void error(org.xml.sax.SAXParseException e) throws org.xml.sax.SAXException {
        throw e;
      }

      @Override
      public void fatalError(org.xml.sax.SAXParseException e) throws org.xml.sax.SAXException {
        throw e;
      }
    });
    return builder.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  private static String child(Element element, String name) {
    for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element e && e.getTagName().equals(name)) {
        return e.getTextContent().trim();
      }
    }
    return "";
  }

  // --------------------------------------------------------------------------------------- shell

  private static List<String> shellProblems(Block block) throws Exception {
    List<String> problems = new ArrayList<>();
    Process bash = new ProcessBuilder("bash", "-n").redirectErrorStream(true).start();
    try (var in = bash.getOutputStream()) {
      in.write(block.code().getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(bash.waitFor(1, TimeUnit.MINUTES)).as("bash -n finished").isTrue();
    if (bash.exitValue() != 0) {
      problems.add("bash -n: " + output.strip());
    }
    String commands = block.code().replace("\\\n", " ");
    for (String line : commands.split("\n")) {
      List<String> words = List.of(line.replaceAll("#.*", "").trim().split("\\s+"));
      if (words.isEmpty() || !words.get(0).equals("mvn")) {
        continue;
      }
      List<String> modules = new ArrayList<>();
      for (int i = 0; i < words.size(); i++) {
        String word = words.get(i);
        if (word.equals("-pl") && i + 1 < words.size()) {
          modules.addAll(List.of(words.get(i + 1).split(",")));
        }
      }
      for (String module : modules) {
        if (!Files.exists(ROOT.resolve(module).resolve("pom.xml"))) {
          problems.add("mvn -pl names no module: " + module);
        }
      }
      for (String word : words) {
        if (word.startsWith("-P") && word.length() > 2) {
          for (String profile : word.substring(2).split(",")) {
            List<Path> poms = modules.isEmpty() ? List.of(ROOT.resolve("pom.xml"))
                : modules.stream().map(m -> ROOT.resolve(m).resolve("pom.xml")).toList();
            boolean found = false;
            for (Path pom : poms) {
              found |= Files.exists(pom) && Files.readString(pom)
                  .contains("<id>" + profile + "</id>");
            }
            if (!found) {
              problems.add("mvn -P names no profile of " + modules + ": " + profile);
            }
          }
        }
      }
    }
    return problems;
  }
}
