package dev.baton.codec;

import static org.assertj.core.api.Assertions.assertThat;

/** The check every codec fuzz target applies to a refused input. */
final class FuzzRules {
  /** Planted in the committed inputs; a message that echoes input would show it. */
  static final String CANARY = "CANARY7f3a9c";

  /** The bearer token of the committed inputs. */
  static final String SECRET = "tok_HOSTILE0123456789abcdef";

  private FuzzRules() {}

  static void assertSafeMessage(SnapshotDecodeException e) {
    assertThat(e.getMessage()).isNotBlank().doesNotContain(CANARY).doesNotContain(SECRET);
    assertThat(e.getCause()).as("no cause that could echo the input").isNull();
  }
}
