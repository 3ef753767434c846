package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** {@link TaskKey#encoded()} is injective, whatever the parts hold. */
class TaskKeyEncodingPropertyTest {
  private static final Gen<TaskKey> KEYS = keys();

  @Test
  void distinctKeys_haveDistinctEncodings() {
    qt().withExamples(5000).forAll(KEYS, KEYS).checkAssert((first, second) -> {
      if (!first.equals(second)) {
        assertThat(first.encoded()).isNotEqualTo(second.encoded());
      } else {
        assertThat(first.encoded()).isEqualTo(second.encoded());
      }
    });
  }

  @Test
  void encoding_splitsBackIntoItsParts() {
    qt().withExamples(2000).forAll(KEYS).checkAssert(key -> {
      String encoded = key.encoded();
      int colon = encoded.indexOf(':');

      assertThat(encoded.indexOf(':', colon + 1)).isEqualTo(-1);
      assertThat(unescape(encoded.substring(0, colon))).isEqualTo(key.scope());
      assertThat(unescape(encoded.substring(colon + 1))).isEqualTo(key.taskId());
    });
  }

  @Test
  void encoding_neverContainsHashTagBraces() {
    qt().withExamples(2000).forAll(KEYS)
        .checkAssert(key -> assertThat(key.encoded()).doesNotContain("{", "}"));
  }

  /**
   * Parts drawn mostly from the characters that matter to the escaping (and the hex digits of its
   * escapes), so that near-collisions are frequent. No alphabet holds whitespace, so no part is
   * blank.
   */
  private static Gen<TaskKey> keys() {
    Gen<String> part = Generate.frequency(List.of(
        Pair.of(1, fromAlphabet(":%{}3A7BD25a", 8)),
        Pair.of(1, fromAlphabet(printableAsciiAnd("\u00e9\u4e2d"), TaskKey.MAX_LENGTH))));
    return part.zip(part, TaskKey::new);
  }

  private static String printableAsciiAnd(String extra) {
    var sb = new StringBuilder();
    for (char c = '!'; c <= '~'; c++) {
      sb.append(c);
    }
    return sb.append(extra).toString();
  }

  private static Gen<String> fromAlphabet(String alphabet, int maxLength) {
    return Generate.intArrays(Generate.range(1, maxLength), Generate.range(0, alphabet.length() - 1))
        .map(indexes -> {
          var sb = new StringBuilder(indexes.length);
          for (int index : indexes) {
            sb.append(alphabet.charAt(index));
          }
          return sb.toString();
        });
  }

  private static String unescape(String escaped) {
    return escaped.replace("%3A", ":").replace("%7B", "{").replace("%7D", "}").replace("%25", "%");
  }
}
