package dev.baton.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.RestoreFailedException;
import dev.baton.TaskKey;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class LogCaptureTest {
  // Held strongly: java.util.logging keeps loggers only weakly.
  private final Logger library = Logger.getLogger("some.library.LogCaptureTest");

  @Test
  void attach_capturesTheMostVerboseRecordsOfEveryLogger_withParametersAndExceptionChains() {
    library.setLevel(Level.WARNING);

    try (LogCapture logs = LogCapture.attach()) {
      library.log(Level.FINEST, "payload {0}", "the-parameter");
      library.log(Level.FINE, "failed", new IllegalStateException("outer",
          new IllegalArgumentException("the-cause")));
      System.getLogger("another.library").log(System.Logger.Level.TRACE, "trace line");

      assertThat(logs.anyFrom("some.library")).isTrue();
      assertThat(logs.at(Level.FINEST, "some.library.LogCaptureTest")).hasSize(1);
      assertThat(logs.fullText())
          .contains("payload the-parameter", "the-parameter", "the-cause", "trace line");
    }
  }

  @Test
  void close_putsBackEveryLevelItChanged() {
    library.setLevel(Level.WARNING);
    Level rootBefore = Logger.getLogger("").getLevel();

    LogCapture.attach().close();

    assertThat(library.getLevel()).isEqualTo(Level.WARNING);
    assertThat(Logger.getLogger("").getLevel()).isEqualTo(rootBefore);
  }

  @Test
  void recordsAfterClose_areNotCaptured() {
    LogCapture logs = LogCapture.attach();
    logs.close();

    library.setLevel(Level.ALL);
    library.fine("after close"); // below the console's INFO: a quiet build stays quiet

    assertThat(logs.records()).isEmpty();
  }

  @Test
  void aBatonScenarioAtEveryLevel_logsNoToken() {
    AccessToken alice = AccessToken.of("log-capture-secret-token", "client");
    try (LogCapture logs = LogCapture.attach();
        MemoryTokenSnapshotStore store = MemoryTokenSnapshotStore.create()) {
      Baton baton = Baton.builder().store(store).build();
      TaskKey key = baton.capture(TaskKey.random(alice), alice);
      baton.run(key, () -> {});
      // The snapshot is gone: a restore failure, which is logged.
      assertThatThrownBy(() -> baton.run(key, () -> {})).isInstanceOf(RestoreFailedException.class);

      assertThat(logs.records()).isNotEmpty();
      assertThat(logs.fullText()).doesNotContain(alice.token());
    }
  }
}
