package dev.baton.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.BatonEvent;
import dev.baton.RestoreFailedException;
import dev.baton.RestoreFailurePolicy;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A snapshot's TTL is never longer than the token's validity (plus leeway) nor the configured
 * retention. Checked exactly: one nanosecond before the expected TTL the store still has it, at the
 * TTL it is gone.
 */
class SnapshotTtlTest {
  private static final Duration NANO = Duration.ofNanos(1);

  private final TestTime time = new TestTime();
  private final MemoryTokenSnapshotStore store =
      MemoryTokenSnapshotStore.builder().ticker(time.ticker).executor(Runnable::run).build();
  private final List<BatonEvent> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void tearDown() {
    store.close();
  }

  private Baton baton(Duration retention, Duration leeway) {
    return Baton.builder().store(store).clock(time.clock).snapshotTtl(retention).leeway(leeway)
        .listener(events::add).build();
  }

  /** Asserts the snapshot under {@code key} lives exactly {@code ttl} on the store's ticker. */
  private void assertLivesExactly(TaskKey key, Duration ttl) {
    time.ticker.advance(ttl.minus(NANO));
    assertThat(store.load(key)).as("just before %s", ttl).isPresent();
    time.ticker.advance(NANO);
    assertThat(store.load(key)).as("at %s", ttl).isEmpty();
  }

  @Test
  void tokenWithoutExpiry_livesForTheConfiguredRetention() {
    Baton baton = baton(Duration.ofMinutes(30), Duration.ZERO);
    AccessToken token = Tokens.of("ttl-forever-jwt", "alice");

    TaskKey key = baton.capture(TaskKey.forCaller(token, "t"), token);

    assertLivesExactly(key, Duration.ofMinutes(30));
  }

  @Test
  void anonymousSnapshot_livesForTheConfiguredRetention() {
    Baton baton = baton(Duration.ofMinutes(30), Duration.ZERO);

    TaskKey key = baton.capture(TaskKey.forCaller(null, "t"), null);

    assertLivesExactly(key, Duration.ofMinutes(30));
  }

  @Test
  void defaultRetention_isOneHour() {
    Baton baton = Baton.builder().store(store).clock(time.clock).build();
    AccessToken token = Tokens.of("ttl-default-jwt", "alice");

    TaskKey key = baton.capture(TaskKey.forCaller(token, "t"), token);

    assertLivesExactly(key, Baton.DEFAULT_SNAPSHOT_TTL);
  }

  @Test
  void tokenExpiringBeforeTheRetention_cutsTheTtlToItsValidity() {
    Baton baton = baton(Duration.ofHours(1), Duration.ZERO);
    AccessToken token =
        Tokens.expiringAt("ttl-short-jwt", "alice", time.now().plus(Duration.ofMinutes(10)));

    TaskKey key = baton.capture(TaskKey.forCaller(token, "t"), token);

    assertLivesExactly(key, Duration.ofMinutes(10));
  }

  @Test
  void tokenExpiringBeforeTheRetention_cutsTheTtlToItsValidityPlusLeeway() {
    Baton baton = baton(Duration.ofHours(1), Duration.ofSeconds(30));
    AccessToken token =
        Tokens.expiringAt("ttl-leeway-jwt", "alice", time.now().plus(Duration.ofMinutes(10)));

    TaskKey key = baton.capture(TaskKey.forCaller(token, "t"), token);

    assertLivesExactly(key, Duration.ofMinutes(10).plusSeconds(30));
  }

  @Test
  void retentionShorterThanTheTokensValidity_wins() {
    Baton baton = baton(Duration.ofMinutes(5), Duration.ofSeconds(30));
    AccessToken token =
        Tokens.expiringAt("ttl-retention-jwt", "alice", time.now().plus(Duration.ofHours(2)));

    TaskKey key = baton.capture(TaskKey.forCaller(token, "t"), token);

    assertLivesExactly(key, Duration.ofMinutes(5));
  }

  @Test
  void validityWithSubMillisecondPrecision_isNotRoundedUp() {
    Baton baton = baton(Duration.ofHours(1), Duration.ZERO);
    Duration validity = Duration.ofSeconds(90).plusNanos(123_456);
    AccessToken token = Tokens.expiringAt("ttl-nanos-jwt", "alice", time.now().plus(validity));

    TaskKey key = baton.capture(TaskKey.forCaller(token, "t"), token);

    assertLivesExactly(key, validity);
  }

  @Test
  void tokenAlreadyExpiredAtCapture_underFail_isRefusedAndNothingStored() {
    Baton baton = baton(Duration.ofHours(1), Duration.ZERO);
    AccessToken token = Tokens.expiringAt("ttl-dead-jwt", "alice", time.now().minusSeconds(1));
    TaskKey key = TaskKey.forCaller(token, "t");

    assertThatThrownBy(() -> baton.capture(key, token))
        .isInstanceOfSatisfying(RestoreFailedException.class, e -> assertThat(e.reason())
            .isEqualTo(RestoreFailedException.Reason.CALLER_EXPIRED));

    assertThat(store.load(key)).isEmpty();
    assertThat(events).extracting(BatonEvent::type)
        .containsExactly(BatonEvent.Type.CAPTURED_EXPIRED);
  }

  @Test
  void tokenAlreadyExpiredAtCapture_underRunUnauthenticated_isStoredAsAnonymous() {
    Baton baton = Baton.builder().store(store).clock(time.clock).listener(events::add)
        .restoreFailurePolicy(RestoreFailurePolicy.RUN_UNAUTHENTICATED).build();
    AccessToken token = Tokens.expiringAt("ttl-dead-jwt", "alice", time.now().minusSeconds(1));

    TaskKey key = baton.capture(TaskKey.forCaller(token, "t"), token);

    assertThat(store.load(key)).map(TokenSnapshot::isAnonymous).contains(true);
    assertThat(events).extracting(BatonEvent::type)
        .containsExactly(BatonEvent.Type.CAPTURED_EXPIRED);
  }

  @Test
  void tokenExpiredOnlyBeyondTheLeeway_isRefused() {
    Baton baton = baton(Duration.ofHours(1), Duration.ofSeconds(30));
    AccessToken withinLeeway =
        Tokens.expiringAt("ttl-within-jwt", "alice", time.now().minusSeconds(29));
    AccessToken beyondLeeway =
        Tokens.expiringAt("ttl-beyond-jwt", "bob", time.now().minusSeconds(30));

    TaskKey kept = baton.capture(TaskKey.forCaller(withinLeeway, "t"), withinLeeway);
    TaskKey dropped = TaskKey.forCaller(beyondLeeway, "t");
    assertThatThrownBy(() -> baton.capture(dropped, beyondLeeway))
        .isInstanceOf(RestoreFailedException.class);

    assertThat(store.load(kept)).flatMap(TokenSnapshot::accessToken).contains(withinLeeway);
    assertThat(store.load(dropped)).isEmpty();
  }

  @Test
  void tokenInsideItsLeeway_livesOnlyForTheRestOfTheLeeway() {
    Baton baton = baton(Duration.ofHours(1), Duration.ofSeconds(30));
    AccessToken token = Tokens.expiringAt("ttl-rest-jwt", "alice", time.now().minusSeconds(20));

    TaskKey key = baton.capture(TaskKey.forCaller(token, "t"), token);

    assertLivesExactly(key, Duration.ofSeconds(10));
  }

  @Test
  void tokenWithFarFutureExpiry_andALeeway_livesForTheRetention() {
    // expiresAt + leeway must not overflow Instant.MAX (an attacker-shaped or sloppy exp claim).
    Baton baton = baton(Duration.ofMinutes(30), Duration.ofSeconds(30));
    AccessToken token = Tokens.expiringAt("ttl-far-jwt", "alice", java.time.Instant.MAX);

    TaskKey key = baton.capture(TaskKey.forCaller(token, "t"), token);

    assertLivesExactly(key, Duration.ofMinutes(30));
  }

  @Test
  void capture_recordsTheClocksInstant() {
    Baton baton = baton(Duration.ofHours(1), Duration.ZERO);

    TaskKey key = baton.capture(TaskKey.forCaller(null, "t"), null);

    assertThat(store.load(key)).map(TokenSnapshot::capturedAt).contains(TestTime.START);
  }
}
