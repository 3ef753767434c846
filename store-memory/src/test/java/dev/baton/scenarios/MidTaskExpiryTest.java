package dev.baton.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.TaskContext;
import dev.baton.TaskKey;
import dev.baton.TaskScope;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A token that expires while its task runs reads empty once the clock passes its expiry. */
class MidTaskExpiryTest {
  private final TestTime time = new TestTime();
  private final MemoryTokenSnapshotStore store =
      MemoryTokenSnapshotStore.builder().ticker(time.ticker).build();

  @AfterEach
  void tearDown() {
    store.close();
  }

  @Test
  void tokenExpiringWhileTheTaskRuns_readsEmptyAfterTheClockPassesExpiry() {
    Baton baton = Baton.builder().store(store).clock(time.clock).build();
    AccessToken token = Tokens.expiringAt("midtask-jwt", "alice", time.now().plusSeconds(60));
    TaskKey key = baton.capture(TaskKey.forCaller(token, "t"), token);

    try (TaskScope scope = baton.enter(key)) {
      assertThat(Baton.currentToken()).contains(token);
      time.clock.advance(Duration.ofSeconds(59));
      assertThat(Baton.currentToken()).contains(token);

      time.clock.advance(Duration.ofSeconds(1));

      assertThat(Baton.currentToken()).isEmpty();
      assertThat(scope.context().accessToken()).isEmpty();
      assertThat(TaskContext.current().orElseThrow().accessToken()).isEmpty();
    }
  }

  @Test
  void tokenExpiringWhileTheTaskRuns_staysValidWithinTheLeeway() {
    Baton baton = Baton.builder().store(store).clock(time.clock)
        .leeway(Duration.ofSeconds(30)).build();
    AccessToken token = Tokens.expiringAt("leeway-jwt", "alice", time.now().plusSeconds(60));
    TaskKey key = baton.capture(TaskKey.forCaller(token, "t"), token);

    try (TaskScope scope = baton.enter(key)) {
      time.clock.advance(Duration.ofSeconds(89));
      assertThat(Baton.currentToken()).contains(token);

      time.clock.advance(Duration.ofSeconds(1));

      assertThat(Baton.currentToken()).isEmpty();
    }
  }

  @Test
  void expiredToken_keepsTheTaskContext_andItsKey() {
    Baton baton = Baton.builder().store(store).clock(time.clock).build();
    AccessToken token = Tokens.expiringAt("context-jwt", "alice", time.now().plusSeconds(1));
    TaskKey key = baton.capture(TaskKey.forCaller(token, "t"), token);

    try (TaskScope scope = baton.enter(key)) {
      time.clock.advance(Duration.ofSeconds(5));

      assertThat(TaskContext.current().map(TaskContext::key)).contains(key);
    }
  }
}
