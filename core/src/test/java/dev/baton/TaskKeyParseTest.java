package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** {@link TaskKey#parse} inverts {@link TaskKey#encoded()} exactly, and refuses everything else. */
class TaskKeyParseTest {

  /**
   * The characters that matter to the escaping, the hex digits of its escapes (both cases), a
   * surrogate pair, a space and a control character, so that near-misses are frequent.
   */
  private static final List<String> TRICKY =
      List.of(":", "%", "{", "}", "2", "5", "3", "A", "a", "7", "B", "b", "D", "d", "x", " ",
          "\uD83D\uDE00", "\u00e9", "\u0001");

  private static Gen<String> trickyText(int maxPieces) {
    return lists().of(Generate.pick(TRICKY)).ofSizeBetween(0, maxPieces)
        .map(pieces -> String.join("", pieces));
  }

  /**
   * Valid key parts: mostly tricky, sometimes any BMP text up to the length bound. Made valid by
   * construction (an {@code assuming} filter starves on QuickTheories' simplest values).
   */
  private static Gen<String> parts() {
    Gen<String> tricky = trickyText(12);
    Gen<String> wide = strings().basicMultilingualPlaneAlphabet()
        .ofLengthBetween(1, TaskKey.MAX_LENGTH);
    Gen<String> full = strings().basicLatinAlphabet().ofLength(TaskKey.MAX_LENGTH);
    return Generate.frequency(
            org.quicktheories.api.Pair.of(6, tricky),
            org.quicktheories.api.Pair.of(3, wide),
            org.quicktheories.api.Pair.of(1, full))
        .map(TaskKeyParseTest::validPart);
  }

  /** {@code text} with what a key part may not hold replaced by 'x', never blank, never too long. */
  private static String validPart(String text) {
    StringBuilder part = new StringBuilder(text);
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < part.length()
          && Character.isLowSurrogate(part.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c) || Character.isISOControl(c)
          || "\u2028\u2029\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069"
              .indexOf(c) >= 0) {
        part.setCharAt(i, 'x');
      }
    }
    String valid = part.toString().isBlank() ? "k" + part : part.toString();
    if (valid.length() > TaskKey.MAX_LENGTH) {
      valid = valid.substring(0, TaskKey.MAX_LENGTH);
      if (Character.isHighSurrogate(valid.charAt(valid.length() - 1))) {
        valid = valid.substring(0, valid.length() - 1) + "x";
      }
    }
    return new TaskKey(valid, "t").scope();
  }

  // ------------------------------------------------------------------ properties

  @Test
  void parse_ofEncoded_givesTheSameKey() {
    qt().withExamples(3000).forAll(parts(), parts()).checkAssert((scope, taskId) -> {
      TaskKey key = new TaskKey(scope, taskId);

      assertThat(TaskKey.parse(key.encoded())).isEqualTo(key);
    });
  }

  @Test
  void parse_ofAnyString_eitherRefusesOrGivesTheKeyThatEncodesToIt() {
    // Canonical encodings only: parse is injective, and whatever it accepts, encoded() gives back.
    qt().withExamples(20_000).forAll(trickyText(16)).checkAssert(text -> {
      TaskKey key;
      try {
        key = TaskKey.parse(text);
      } catch (IllegalArgumentException refused) {
        assertThat(refused.getMessage()).startsWith("not an encoded TaskKey");
        return;
      }
      assertThat(key.encoded()).isEqualTo(text);
    });
  }

  @Test
  void parse_ofOneEditOfAnEncoding_eitherRefusesOrGivesTheKeyThatEncodesToIt() {
    // Near-misses of valid encodings: one char inserted, replaced or deleted somewhere.
    Gen<String> edited = parts().zip(parts(), integers().between(0, 2),
        integers().between(0, Integer.MAX_VALUE), Generate.pick(TRICKY),
        (scope, taskId, kind, at, piece) -> {
          String encoded = new TaskKey(scope, taskId).encoded();
          int i = at % (encoded.length() + 1);
          int j = Math.min(encoded.length(), i + 1);
          return switch (kind) {
            case 0 -> encoded.substring(0, i) + piece + encoded.substring(i);
            case 1 -> encoded.substring(0, i) + piece + encoded.substring(j);
            default -> encoded.substring(0, i) + encoded.substring(j);
          };
        });
    qt().withExamples(5000).forAll(edited).checkAssert(text -> {
      TaskKey key;
      try {
        key = TaskKey.parse(text);
      } catch (IllegalArgumentException refused) {
        assertThat(refused.getMessage()).startsWith("not an encoded TaskKey");
        return;
      }
      assertThat(key.encoded()).isEqualTo(text);
    });
  }

  @Test
  void parse_refusalMessages_echoAtMostAShortPrefix() {
    qt().withExamples(500).forAll(integers().between(0, 4000)).checkAssert(length -> {
      String secretish = "S".repeat(length) + "{";
      assertThatThrownBy(() -> TaskKey.parse(secretish))
          .isInstanceOf(IllegalArgumentException.class)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("S".repeat(13)));
    });
  }

  // ------------------------------------------------------------------ examples

  @Test
  void parse_ofKeyWithEveryEscapedCharacter_givesTheKey() {
    TaskKey key = new TaskKey("a:b%c{d}e", "%3A%25:{}");

    assertThat(key.encoded()).isEqualTo("a%3Ab%25c%7Bd%7De:%253A%2525%3A%7B%7D");
    assertThat(TaskKey.parse(key.encoded())).isEqualTo(key);
  }

  @Test
  void parse_ofLongestKey_givesTheKey() {
    TaskKey key = new TaskKey("%".repeat(TaskKey.MAX_LENGTH), ":".repeat(TaskKey.MAX_LENGTH));

    assertThat(key.encoded()).hasSize(2 * 3 * TaskKey.MAX_LENGTH + 1);
    assertThat(TaskKey.parse(key.encoded())).isEqualTo(key);
  }

  @Test
  void parse_ofCallerKey_givesTheKey() {
    TaskKey key = TaskKey.forCaller(AccessToken.of("bearer", "client"), "order-7");

    assertThat(TaskKey.parse(key.encoded())).isEqualTo(key);
  }

  @Test
  void parse_ofSurrogatePairs_givesTheKey() {
    TaskKey key = new TaskKey("\uD83D\uDE00", "x\uD83D\uDE00:");

    assertThat(TaskKey.parse(key.encoded())).isEqualTo(key);
  }

  @Test
  void parse_withNull_throwsNpeNamingEncoded() {
    assertThatNullPointerException().isThrownBy(() -> TaskKey.parse(null)).withMessage("encoded");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "noseparator", "%3A"})
  void parse_withoutSeparator_refuses(String encoded) {
    assertThatThrownBy(() -> TaskKey.parse(encoded))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no ':'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a:b:c", "a::b", "::", "a:b:"})
  void parse_withTwoSeparators_refuses(String encoded) {
    assertThatThrownBy(() -> TaskKey.parse(encoded))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than one");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "a%:b", "a%2:b", "a:b%", "a:b%2", "a%3a:b", "a:%7b", "a:%7d", "a%41:b", "a%20:b",
      "a%2F:b", "a%%25:b", "a%G5:b", "a%0A:b"})
  void parse_withNonCanonicalOrIncompleteEscape_refuses(String encoded) {
    assertThatThrownBy(() -> TaskKey.parse(encoded))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not start one of the escapes");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a{b:c", "a:b}", "{tag}:x"})
  void parse_withRawHashTagBrace_refuses(String encoded) {
    assertThatThrownBy(() -> TaskKey.parse(encoded))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unescaped");
  }

  @ParameterizedTest
  @ValueSource(strings = {":b", "a:", " :b", "a:\t ", ":"})
  void parse_withBlankPart_refuses(String encoded) {
    assertThatThrownBy(() -> TaskKey.parse(encoded))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be blank");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\nb:c", "a:b\u0000", "a:\u202Eb", "a:b\u2028"})
  void parse_withControlCharacter_refusesWithoutEchoingIt(String encoded) {
    assertThatThrownBy(() -> TaskKey.parse(encoded))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("control characters")
        .satisfies(e -> assertThat(e.getMessage())
            .doesNotContain("\n", "\u0000", "\u202E", "\u2028"));
  }

  @Test
  void parse_withUnpairedSurrogate_refuses() {
    assertThatThrownBy(() -> TaskKey.parse("a:\uD83Db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unpaired surrogate")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\uD83D"));
  }

  @Test
  void parse_withPartTooLongOnceDecoded_refuses() {
    String encoded = "s:" + "x".repeat(TaskKey.MAX_LENGTH + 1);

    assertThatThrownBy(() -> TaskKey.parse(encoded))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("taskId must be at most " + TaskKey.MAX_LENGTH);
  }

  @Test
  void parse_withInputLongerThanAnyEncoding_refusesBeforeReadingIt() {
    String encoded = "s:" + "%25".repeat(1_000_000);

    assertThatThrownBy(() -> TaskKey.parse(encoded))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("longer than " + (2 * 3 * TaskKey.MAX_LENGTH + 1))
        .hasMessageContaining(encoded.length() + " chars");
  }

  @Test
  void parse_refusalMessage_showsTheSanitizedPrefixAndLength() {
    assertThatThrownBy(() -> TaskKey.parse("tenant-\"42\"\u0007-and-much-more"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not an encoded TaskKey (\"tenant-?42??\u2026\", 26 chars): ");
  }
}
