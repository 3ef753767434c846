package dev.baton.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.RestoreFailedException;
import dev.baton.TaskKey;
import dev.baton.codec.SnapshotDecodeException;
import dev.baton.store.TokenSnapshotStores;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sealing switched on by one URI setting: what the memory store holds at rest. */
class SealedAtRestTest {
  private static final String BEARER = "eyJhbGciOiJSUzI1NiJ9.sealed-at-rest-secret.c2ln";
  private final AccessToken alice = new AccessToken(BEARER, "web-app", List.of("reports:read"),
      null, null, Map.of("sub", "alice", "email", "alice@example.org"));

  @TempDir Path secrets;
  private MemoryTokenSnapshotStore store;

  @BeforeEach
  void openSealedStoreFromOneUriSetting() throws IOException {
    byte[] key = new byte[32];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) (i * 7 + 1);
    }
    Path keys = secrets.resolve("baton-keys");
    Files.writeString(keys, "k1:" + Base64.getEncoder().encodeToString(key));
    store = (MemoryTokenSnapshotStore) TokenSnapshotStores.open(
        URI.create("memory:local?sealingKeys=file:" + keys));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void rawStoredBytes_neverContainTheTokenNorItsClaims() {
    Baton baton = Baton.builder().store(store).build();
    TaskKey key = baton.capture(TaskKey.forCaller(alice, "report-1"), alice);

    byte[] raw = store.rawValue(key).orElseThrow();

    String asText = new String(raw, StandardCharsets.ISO_8859_1);
    assertThat(asText).doesNotContain(BEARER).doesNotContain("sealed-at-rest-secret")
        .doesNotContain("alice@example.org").doesNotContain("web-app");
  }

  @Test
  void sealedSnapshot_restoresTheCaller() throws Exception {
    Baton baton = Baton.builder().store(store).build();
    TaskKey key = baton.capture(TaskKey.forCaller(alice, "report-2"), alice);

    assertThat(baton.call(key, Baton::currentToken)).contains(alice);
  }

  @Test
  void sealedValueMovedUnderAnotherTask_failsClosed_andTheTaskDoesNotRun() {
    Baton baton = Baton.builder().store(store).build();
    TaskKey original = baton.capture(TaskKey.forCaller(alice, "report-3"), alice);
    TaskKey other = new TaskKey(TaskKey.callerScope(null), "report-3");
    store.putRawValue(other, store.rawValue(original).orElseThrow(), Duration.ofMinutes(1));
    AtomicBoolean ran = new AtomicBoolean();

    assertThatThrownBy(() -> baton.run(other, () -> ran.set(true)))
        .isInstanceOf(RestoreFailedException.class)
        .hasCauseInstanceOf(SnapshotDecodeException.class)
        .hasMessageNotContaining(BEARER);
    assertThat(ran).isFalse();
  }
}
