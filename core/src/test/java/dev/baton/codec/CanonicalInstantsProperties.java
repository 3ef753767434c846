package dev.baton.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.quicktheories.QuickTheory.qt;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/** The codec's own instant format and parse are the JDK's: value for value, refusal for refusal. */
class CanonicalInstantsProperties {
  /** From well before 1970 to well after 9999, so both sides of the fast range are covered. */
  private static final Gen<Instant> INSTANTS = SourceDSL.longs()
      .between(-70_000_000_000L, 300_000_000_000L)
      .zip(nanos(), Instant::ofEpochSecond);

  /** Whole seconds, millis, micros and nanos: the four fraction lengths toString writes. */
  private static Gen<Integer> nanos() {
    Gen<Integer> any = SourceDSL.integers().between(0, 999_999_999);
    return Generate.pick(java.util.List.of(0, 1, 2, 3)).zip(any, (kind, n) -> switch (kind) {
      case 0 -> 0;
      case 1 -> n / 1_000_000 * 1_000_000;
      case 2 -> n / 1_000 * 1_000;
      default -> n;
    });
  }

  /** Characters that make near misses of the canonical form. */
  private static final String NOISE = "0123456789-:.TZtz+ x";

  @Test
  void format_isInstantToString() {
    qt().withExamples(20_000).forAll(INSTANTS).checkAssert(instant ->
        assertThat(CanonicalInstants.format(instant)).isEqualTo(instant.toString()));
  }

  @Test
  void parse_ofEveryCanonicalInstant_isInstantParse() {
    qt().withExamples(20_000).forAll(INSTANTS).checkAssert(instant ->
        assertThat(CanonicalInstants.parse(instant.toString())).isEqualTo(instant));
  }

  @Test
  void parse_ofNearMisses_acceptsAndRefusesExactlyAsInstantParse() {
    Gen<String> nearMisses = INSTANTS.zip(
        SourceDSL.integers().between(0, 2), SourceDSL.integers().between(0, 40),
        SourceDSL.integers().between(0, NOISE.length() - 1),
        (instant, edit, position, noise) -> edit(instant.toString(), edit, position,
            NOISE.charAt(noise)));
    qt().withExamples(50_000).forAll(nearMisses).checkAssert(text -> {
      Instant jdk = null;
      Throwable jdkFailure = catchThrowable(() -> Instant.parse(text));
      if (jdkFailure == null) {
        jdk = Instant.parse(text);
      }
      Instant ours = null;
      Throwable ourFailure = catchThrowable(() -> CanonicalInstants.parse(text));
      if (ourFailure == null) {
        ours = CanonicalInstants.parse(text);
      }
      assertThat(ours).isEqualTo(jdk);
      if (jdkFailure == null) {
        assertThat(ourFailure).isNull();
      } else {
        assertThat(ourFailure).isInstanceOf(jdkFailure.getClass())
            .hasMessage(jdkFailure.getMessage());
      }
    });
  }

  @Test
  void parse_ofFieldsOutOfRange_isInstantParse() {
    for (String text : new String[] {"2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z",
        "2100-02-29T00:00:00Z", "2000-02-29T00:00:00Z", "2024-04-31T00:00:00Z",
        "2024-13-01T00:00:00Z", "2024-00-01T00:00:00Z", "2024-01-00T00:00:00Z",
        "2024-12-31T23:59:60Z", "2024-01-01T24:00:00Z", "2024-01-01T00:60:00Z",
        "1969-12-31T23:59:59.999999999Z", "9999-12-31T23:59:59.999999999Z",
        "2024-01-01T00:00:00.Z", "2024-01-01T00:00:00.1Z", "2024-01-01T00:00:00.1234567890Z",
        "2024-01-01t00:00:00z", "2024-01-01T00:00:00+01:00", "+10000-01-01T00:00:00Z"}) {
      Throwable jdkFailure = catchThrowable(() -> Instant.parse(text));
      Throwable ourFailure = catchThrowable(() -> CanonicalInstants.parse(text));
      if (jdkFailure == null) {
        assertThat(CanonicalInstants.parse(text)).as(text).isEqualTo(Instant.parse(text));
      } else {
        assertThat(ourFailure).as(text).isInstanceOf(jdkFailure.getClass())
            .hasMessage(jdkFailure.getMessage());
      }
    }
  }

  /** Replaces (0), inserts (1) or deletes (2) one character, at a position within the text. */
  private static String edit(String text, int edit, int position, char c) {
    int at = Math.min(position, text.length() - 1);
    return switch (edit) {
      case 0 -> text.substring(0, at) + c + text.substring(at + 1);
      case 1 -> text.substring(0, at) + c + text.substring(at);
      default -> text.substring(0, at) + text.substring(at + 1);
    };
  }
}
