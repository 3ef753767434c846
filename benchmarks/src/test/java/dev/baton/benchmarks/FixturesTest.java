package dev.baton.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.AccessToken;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The payload every benchmark and peer shares is the one issue 17 names. */
class FixturesTest {
  private final AccessToken token = Fixtures.token(Fixtures.CAPTURED_AT.plus(Duration.ofHours(1)));

  @Test
  void token_isAnRs256ShapedJwtOfAboutOneKilobyte() {
    assertThat(token.token().split("[.]", -1)).hasSize(3);
    assertThat(token.token().length()).isBetween(1000, 1100);
  }

  @Test
  void token_hasFiveScopesAndTenClaims() {
    assertThat(token.scopes()).hasSize(5);
    assertThat(token.claims()).hasSize(10);
  }

  @Test
  void snapshot_isTheSameBytesEveryRun() {
    assertThat(Fixtures.snapshot()).isEqualTo(Fixtures.snapshot());
  }
}
