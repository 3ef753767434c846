package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link TaskKey#encoded()} is injective, whatever the parts hold. */
class TaskKeyEncodingPropertyTest {

  @Property(tries = 5000)
  void distinctKeys_haveDistinctEncodings(
      @ForAll("keys") TaskKey first, @ForAll("keys") TaskKey second) {
    if (!first.equals(second)) {
      assertThat(first.encoded()).isNotEqualTo(second.encoded());
    } else {
      assertThat(first.encoded()).isEqualTo(second.encoded());
    }
  }

  @Property(tries = 2000)
  void encoding_splitsBackIntoItsParts(@ForAll("keys") TaskKey key) {
    String encoded = key.encoded();
    int colon = encoded.indexOf(':');

    assertThat(encoded.indexOf(':', colon + 1)).isEqualTo(-1);
    assertThat(unescape(encoded.substring(0, colon))).isEqualTo(key.scope());
    assertThat(unescape(encoded.substring(colon + 1))).isEqualTo(key.taskId());
  }

  @Property(tries = 2000)
  void encoding_neverContainsHashTagBraces(@ForAll("keys") TaskKey key) {
    assertThat(key.encoded()).doesNotContain("{", "}");
  }

  /**
   * Parts drawn mostly from the characters that matter to the escaping (and the hex digits of its
   * escapes), so that near-collisions are frequent.
   */
  @Provide
  Arbitrary<TaskKey> keys() {
    Arbitrary<String> part = Arbitraries.oneOf(
            Arbitraries.strings().withChars(":%{}3A7BD25a").ofMinLength(1).ofMaxLength(8),
            Arbitraries.strings().withCharRange('!', '~').withChars('\u00e9', '\u4e2d')
                .ofMinLength(1).ofMaxLength(TaskKey.MAX_LENGTH))
        .filter(s -> !s.isBlank());
    return Combinators.combine(part, part).as(TaskKey::new);
  }

  private static String unescape(String escaped) {
    return escaped.replace("%3A", ":").replace("%7B", "{").replace("%7D", "}").replace("%25", "%");
  }
}
