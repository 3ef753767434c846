package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TokenSnapshotTest {
  private static final String SECRET = "snapshot-bearer-secret";
  private static final AccessToken TOKEN = AccessToken.of(SECRET, "client");
  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void of_withNullToken_throwsNpeNamingAccessToken() {
    assertThatNullPointerException().isThrownBy(() -> TokenSnapshot.of(null, AT))
        .withMessage("accessToken");
  }

  @Test
  void of_withNullInstant_throwsNpeNamingCapturedAt() {
    assertThatNullPointerException().isThrownBy(() -> TokenSnapshot.of(TOKEN, null))
        .withMessage("capturedAt");
  }

  @Test
  void anonymous_withNullInstant_throwsNpeNamingCapturedAt() {
    assertThatNullPointerException().isThrownBy(() -> TokenSnapshot.anonymous(null))
        .withMessage("capturedAt");
  }

  @Test
  void of_holdsTheToken() {
    TokenSnapshot snapshot = TokenSnapshot.of(TOKEN, AT);

    assertThat(snapshot.isAnonymous()).isFalse();
    assertThat(snapshot.accessToken()).contains(TOKEN);
    assertThat(snapshot.capturedAt()).isEqualTo(AT);
  }

  @Test
  void anonymous_holdsNoToken() {
    TokenSnapshot snapshot = TokenSnapshot.anonymous(AT);

    assertThat(snapshot.isAnonymous()).isTrue();
    assertThat(snapshot.accessToken()).isEmpty();
  }

  @Test
  void ofNullable_withNull_isAnonymous() {
    assertThat(TokenSnapshot.ofNullable(null, AT)).isEqualTo(TokenSnapshot.anonymous(AT));
  }

  @Test
  void ofNullable_withToken_equalsOf() {
    assertThat(TokenSnapshot.ofNullable(TOKEN, AT)).isEqualTo(TokenSnapshot.of(TOKEN, AT));
  }

  @Test
  void equals_sameTokenAndInstant_isEqualWithEqualHashCode() {
    TokenSnapshot first = TokenSnapshot.of(AccessToken.of(SECRET, "client"), AT);
    TokenSnapshot second = TokenSnapshot.of(AccessToken.of(SECRET, "client"), AT);

    assertThat(first).isEqualTo(second).hasSameHashCodeAs(second);
  }

  @Test
  void equals_differentInstant_isNotEqual() {
    assertThat(TokenSnapshot.of(TOKEN, AT)).isNotEqualTo(TokenSnapshot.of(TOKEN, AT.plusNanos(1)));
  }

  @Test
  void equals_differentToken_isNotEqual() {
    assertThat(TokenSnapshot.of(TOKEN, AT))
        .isNotEqualTo(TokenSnapshot.of(AccessToken.of(SECRET + "2", "client"), AT));
  }

  @Test
  void equals_anonymousAndAuthenticated_areNotEqual() {
    assertThat(TokenSnapshot.anonymous(AT)).isNotEqualTo(TokenSnapshot.of(TOKEN, AT));
    assertThat(TokenSnapshot.of(TOKEN, AT)).isNotEqualTo(TokenSnapshot.anonymous(AT));
  }

  @Test
  void equals_twoAnonymousAtTheSameInstant_areEqual() {
    assertThat(TokenSnapshot.anonymous(AT))
        .isEqualTo(TokenSnapshot.anonymous(AT))
        .hasSameHashCodeAs(TokenSnapshot.anonymous(AT));
  }

  @Test
  void toString_neverContainsTheBearerToken() {
    assertThat(TokenSnapshot.of(TOKEN, AT).toString()).doesNotContain(SECRET);
  }

  @Test
  void toString_saysAnonymousForAnonymousSnapshots() {
    assertThat(TokenSnapshot.anonymous(AT).toString()).contains("anonymous");
  }
}
