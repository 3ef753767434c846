package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * {@link Utf16#unpairedSurrogateAt} finds the first unpaired surrogate exactly where a walk by code
 * points finds it, on text built of ASCII, Latin-1, other BMP chars, pairs and lone halves.
 */
class Utf16PropertyTest {
  private static final List<String> PIECES = List.of(
      "a", "Z", " ", "é", "ÿ", "€", "中", "\uFFFF", "\uE000", "😀", "\uD83D", "\uDE00", "\uDBFF",
      "\uDC00", "\uD7FF");

  private static final Gen<String> TEXT = lists().of(Generate.pick(PIECES))
      .ofSizeBetween(0, 40)
      .map(pieces -> String.join("", pieces));

  /** The first index whose code point is a surrogate: only unpaired halves are such code points. */
  private static int byCodePoints(String text) {
    for (int i = 0; i < text.length(); ) {
      int codePoint = text.codePointAt(i);
      if (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE) {
        return i;
      }
      i += Character.charCount(codePoint);
    }
    return -1;
  }

  @Test
  void firstUnpairedSurrogate_isWhereACodePointWalkFindsIt() {
    qt().withExamples(50_000).forAll(TEXT).checkAssert(text ->
        assertThat(Utf16.unpairedSurrogateAt(text)).isEqualTo(byCodePoints(text)));
  }

  @Test
  void textWithoutSurrogates_hasNone_whateverItsLength() {
    String latin = "é".repeat(10_000) + "a";
    String bmp = "€".repeat(10_000);

    assertThat(Utf16.unpairedSurrogateAt(latin)).isEqualTo(-1);
    assertThat(Utf16.unpairedSurrogateAt(bmp)).isEqualTo(-1);
    assertThat(Utf16.unpairedSurrogateAt(bmp + "😀" + bmp)).isEqualTo(-1);
    assertThat(Utf16.unpairedSurrogateAt(bmp + "\uDE00😀")).isEqualTo(10_000);
  }
}
