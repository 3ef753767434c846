package dev.baton.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.Scope;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input is rejected with an exception whose message names the parameter, and a rejected call
 * stores nothing.
 */
@SuppressWarnings("try") // scopes are opened for their effect on the thread
class BadInputTest {
  private final TestTime time = new TestTime();
  private final MemoryTokenSnapshotStore store = MemoryTokenSnapshotStore.builder()
      .ticker(time.ticker).executor(Runnable::run).build();
  private final Baton baton = Baton.builder().store(store).clock(time.clock).build();
  private final ExecutorService pool = Executors.newSingleThreadExecutor();
  private final AccessToken alice = Tokens.of("badinput-alice-jwt", "alice");
  private final TaskKey key = TaskKey.forCaller(alice, "t");

  @AfterEach
  void tearDown() throws InterruptedException {
    pool.shutdownNow();
    pool.awaitTermination(10, TimeUnit.SECONDS);
    store.close();
  }


  @Test
  void capture_nullKey_throwsNpeNamingKey_andStoresNothing() {
    assertThatNullPointerException().isThrownBy(() -> baton.capture(null)).withMessage("key");
    assertThatNullPointerException().isThrownBy(() -> baton.capture(null, alice))
        .withMessage("key");
    assertThat(store.estimatedSize()).isZero();
  }

  @Test
  void enter_nullKey_throwsNpeNamingKey() {
    assertThatNullPointerException().isThrownBy(() -> baton.enter(null)).withMessage("key");
  }

  @Test
  void run_nullArguments_throwNpeNamingThem_andLeaveTheSnapshot() {
    baton.capture(key, alice);

    assertThatNullPointerException().isThrownBy(() -> baton.run(key, null)).withMessage("task");
    assertThatNullPointerException().isThrownBy(() -> baton.run(null, () -> { }))
        .withMessage("key");
    assertThat(store.load(key)).isPresent();
  }

  @Test
  void call_nullTask_throwsNpeNamingTask_andLeavesTheSnapshot() {
    baton.capture(key, alice);

    assertThatNullPointerException().isThrownBy(() -> baton.call(key, null)).withMessage("task");
    assertThat(store.load(key)).isPresent();
  }

  @Test
  void wrappedExecutor_nullTask_throwsNpe_andCapturesNothing() {
    ExecutorService wrappedService = baton.wrap(pool);
    Executor wrappedExecutor = baton.wrap((Executor) pool);

    try (Scope request = baton.bindRequest(alice)) {
      assertThatNullPointerException().isThrownBy(() -> wrappedService.execute(null));
      assertThatNullPointerException().isThrownBy(() -> wrappedService.submit((Runnable) null));
      assertThatNullPointerException().isThrownBy(() -> wrappedExecutor.execute(null));
    }
    assertThat(store.estimatedSize()).isZero();
  }

  @Test
  void taskKey_withControlCharacters_throwsNamingThePart() {
    assertThatThrownBy(() -> TaskKey.forCaller(alice, "job\r\nX-Injected: 1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("taskId");
    assertThatThrownBy(() -> new TaskKey("tenant\u0000", "job"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("scope");
  }

  @Test
  void taskKey_overTheLengthBound_throwsNamingThePart() {
    assertThatThrownBy(() -> TaskKey.forCaller(alice, "j".repeat(TaskKey.MAX_LENGTH + 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("taskId");
  }

  @Test
  void taskKey_blankOrNull_throwsNamingThePart() {
    assertThatThrownBy(() -> TaskKey.forCaller(alice, " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("taskId");
    assertThatNullPointerException().isThrownBy(() -> TaskKey.forCaller(alice, null))
        .withMessage("taskId");
  }

  @Test
  void accessToken_withNonJsonClaim_throwsNamingTheClaim() {
    assertThatThrownBy(() -> new AccessToken("t", "c", List.of(), null, null,
        Map.of("when", java.time.LocalDate.EPOCH)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("claims.when");
  }

  @Test
  void accessToken_blankArguments_throwNamingThem() {
    assertThatThrownBy(() -> AccessToken.of("", "c")).hasMessageContaining("token");
    assertThatThrownBy(() -> AccessToken.of("t", " ")).hasMessageContaining("clientId");
  }

  @Test
  void store_save_ttlZeroOrNegative_throwsNamingTtl_andStoresNothing() {
    TokenSnapshot snapshot = TokenSnapshot.of(alice, time.now());

    assertThatThrownBy(() -> store.save(key, snapshot, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");
    assertThatThrownBy(() -> store.save(key, snapshot, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");
    assertThat(store.load(key)).isEmpty();
  }

  @Test
  void store_save_ttlZero_keepsTheEarlierValueAndItsTtl() {
    TokenSnapshot first = TokenSnapshot.of(alice, time.now());
    store.save(key, first, Duration.ofMinutes(1));

    assertThatThrownBy(() -> store.save(key, TokenSnapshot.anonymous(time.now()), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(store.load(key)).contains(first);
    time.ticker.advance(Duration.ofMinutes(1));
    assertThat(store.load(key)).isEmpty();
  }

  @Test
  void snapshotTooLarge_isRejectedAtCapture_andNothingIsStored() {
    AccessToken huge = new AccessToken("badinput-huge-jwt", "c", List.of(), null, null,
        Map.of("blob", "x".repeat(200_000)));

    assertThatThrownBy(() -> baton.capture(key, huge)).isInstanceOf(IllegalArgumentException.class);
    assertThat(store.load(key)).isEmpty();
  }

  @Test
  void builder_snapshotTtlZero_throwsNamingSnapshotTtl() {
    assertThatThrownBy(() -> Baton.builder().snapshotTtl(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("snapshotTtl");
  }
}
