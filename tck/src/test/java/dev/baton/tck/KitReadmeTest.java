package dev.baton.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The kit's README states its numbers once, the same way everywhere, and they are computed: the
 * checks are counted from the kit's {@code @Test} methods, the broken stores from the self-test,
 * the Tink version from the build.
 */
class KitReadmeTest {
  private static final Path README = Path.of("README.md");

  /** The kit's {@code @Test} methods: the verification's own and its contract groups'. */
  static List<Method> checkMethods() {
    var methods = new ArrayList<Method>();
    Stream.concat(Stream.of(TokenSnapshotStoreVerification.class),
            Stream.of(TokenSnapshotStoreVerification.class.getInterfaces()))
        .flatMap(type -> Stream.of(type.getDeclaredMethods()))
        .filter(m -> m.isAnnotationPresent(Test.class))
        .forEach(methods::add);
    return methods;
  }

  static int countChecks() {
    return checkMethods().size();
  }

  /** The properties: the checks run by QuickTheories, all on the verification class itself. */
  static int countProperties() {
    return (int) Stream.of(TokenSnapshotStoreVerification.class.getDeclaredMethods())
        .filter(m -> m.isAnnotationPresent(Test.class)).count();
  }

  private static String readme() throws IOException {
    return Files.readString(README);
  }

  private static List<Integer> numbersBefore(String text, String words) {
    // Across line breaks too: the README is wrapped at 100 columns.
    Matcher m = Pattern.compile("(\\d+)\\s+" + String.join("\\s+", words.split(" ")) + "\\b")
        .matcher(text);
    var out = new ArrayList<Integer>();
    while (m.find()) {
      out.add(Integer.parseInt(m.group(1)));
    }
    return out;
  }

  @Test
  void readme_statesTheCheckCount_computedFromTheKit() throws IOException {
    String text = readme();
    assertThat(numbersBefore(text, "checks")).as("every 'N checks' in tck/README.md")
        .isNotEmpty().containsOnly(countChecks());
    assertThat(numbersBefore(text, "named checks")).as("every 'N named checks'")
        .isNotEmpty().containsOnly(countChecks() - countProperties());
    assertThat(numbersBefore(text, "properties")).as("every 'N properties'")
        .isNotEmpty().containsOnly(countProperties());
  }

  @Test
  void readme_statesTheNumberOfBrokenStores() throws IOException {
    assertThat(numbersBefore(readme(), "deliberately broken")).isNotEmpty()
        .containsOnly(KitCatchesBrokenStoresTest.BROKEN_STORES);
  }

  @Test
  void readme_namesTheTinkVersionTheKitBrings() throws IOException {
    var build = new Properties();
    try (InputStream in = KitReadmeTest.class.getResourceAsStream("/tck-build.properties")) {
      assertThat(in).as("tck-build.properties on the test class path").isNotNull();
      build.load(in);
    }
    String version = build.getProperty("tink.version");
    assertThat(version).doesNotContain("${");
    assertThat(readme()).contains("com.google.crypto.tink:tink:" + version);
  }
}
