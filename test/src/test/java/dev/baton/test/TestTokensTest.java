package dev.baton.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.AccessToken;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TestTokensTest {
  private final TestClock clock = TestClock.create();
  private final TestTokens tokens = TestTokens.on(clock);

  @Test
  void token_isJwtShaped_withTheCallerInItsPayload() {
    AccessToken alice = tokens.caller("alice").clientId("web").scopes("reports:read").build();

    String[] parts = alice.token().split("\\.", -1);
    assertThat(parts).hasSize(3).allSatisfy(p -> assertThat(p).matches("[A-Za-z0-9_-]+"));
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    assertThat(payload).contains("\"sub\":\"alice\"", "\"client_id\":\"web\"",
        "\"scope\":\"reports:read\"",
        "\"exp\":" + clock.instant().plus(Duration.ofHours(1)).getEpochSecond());
  }

  @Test
  void token_carriesTheDescribedFields() {
    AccessToken bob = tokens.caller("bob").clientId("cli").scopes("a", "b")
        .resource("https://api.example").claim("tenant", "acme").build();

    assertThat(bob.subject()).isEqualTo("bob");
    assertThat(bob.clientId()).isEqualTo("cli");
    assertThat(bob.scopes()).containsExactly("a", "b");
    assertThat(bob.resource()).isEqualTo("https://api.example");
    assertThat(bob.claims()).containsEntry("tenant", "acme").containsEntry("sub", "bob");
  }

  @Test
  void expiry_countsFromTheClocksCurrentTime() {
    clock.advance(Duration.ofDays(1));

    AccessToken token = tokens.caller("alice").expiresIn(Duration.ofMinutes(5)).build();

    assertThat(token.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
  }

  @Test
  void expiredFor_makesATokenThatHasAlreadyExpired() {
    AccessToken token = tokens.caller("carol").expiredFor(Duration.ofMinutes(1)).build();

    assertThat(token.isExpired(clock.instant(), Duration.ZERO)).isTrue();
  }

  @Test
  void neverExpires_hasNoExpiry() {
    assertThat(tokens.caller("dave").neverExpires().build().expiresAt()).isNull();
  }

  @Test
  void everyToken_hasItsOwnBearerValue() {
    assertThat(tokens.token("alice").token()).isNotEqualTo(tokens.token("alice").token());
  }
}
