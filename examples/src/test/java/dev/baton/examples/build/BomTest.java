package dev.baton.examples.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The BOM lists every library artifact the reactor builds, at the reactor's version, and nothing
 * but Baton's own artifacts: a module added without its BOM entry fails the build.
 */
class BomTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  /** Modules that are not libraries for users: not in the BOM. */
  private static final List<String> NOT_LIBRARIES = List.of("bom", "examples", "examples/spring-boot-reports",
      "examples/jobrunr-reports", "benchmarks");

  private static Document read(Path pom) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder().parse(pom.toFile());
  }

  private static String child(Element element, String name) {
    for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element e && e.getTagName().equals(name)) {
        return e.getTextContent().trim();
      }
    }
    return "";
  }

  private static List<Element> managed(Document bom) {
    List<Element> dependencies = new ArrayList<>();
    var nodes = bom.getElementsByTagName("dependency");
    for (int i = 0; i < nodes.getLength(); i++) {
      dependencies.add((Element) nodes.item(i));
    }
    return dependencies;
  }

  @Test
  void bom_listsEveryLibraryModuleOfTheReactor() throws Exception {
    Document root = read(ROOT.resolve("pom.xml"));
    List<String> artifacts = managed(read(ROOT.resolve("bom/pom.xml"))).stream()
        .map(d -> child(d, "artifactId")).toList();
    var modules = root.getElementsByTagName("module");

    assertThat(modules.getLength()).isPositive();
    for (int i = 0; i < modules.getLength(); i++) {
      String module = modules.item(i).getTextContent().trim();
      if (NOT_LIBRARIES.contains(module)) {
        continue;
      }
      Path pom = ROOT.resolve(module).resolve("pom.xml");
      assertThat(Files.exists(pom)).as(pom.toString()).isTrue();
      assertThat(artifacts).as("baton-bom entry for module %s", module)
          .contains(child(read(pom).getDocumentElement(), "artifactId"));
    }
  }

  @Test
  void bom_hasTheReactorVersionAndManagesOnlyBatonArtifacts() throws Exception {
    Document root = read(ROOT.resolve("pom.xml"));
    Document bom = read(ROOT.resolve("bom/pom.xml"));

    assertThat(child(bom.getDocumentElement(), "version"))
        .isEqualTo(child(root.getDocumentElement(), "version"));
    assertThat(child(bom.getDocumentElement(), "parent")).isEmpty();
    assertThat(managed(bom)).allSatisfy(d -> {
      assertThat(child(d, "groupId")).isEqualTo("dev.baton");
      assertThat(child(d, "artifactId")).startsWith("baton-");
      assertThat(child(d, "version")).isEqualTo("${project.version}");
    });
  }
}
