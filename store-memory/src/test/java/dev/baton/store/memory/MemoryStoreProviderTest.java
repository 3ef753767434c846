package dev.baton.store.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.AccessToken;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenSnapshotStores;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MemoryStoreProviderTest {
  /**
   * The documented {@code memory:} is not a valid {@link URI} (an opaque URI needs a non-empty
   * scheme-specific part), so the working tests use {@code memory:/}.
   */
  private static final URI MEMORY = URI.create("memory:/");

  private final TaskKey key = new TaskKey("s", "t");
  private final TokenSnapshot snapshot =
      TokenSnapshot.of(AccessToken.of("provider-jwt", "client"), Instant.EPOCH);

  @Test
  void open_documentedMemoryLocalUri_findsTheMemoryStore() {
    try (TokenSnapshotStore store = TokenSnapshotStores.open(URI.create("memory:local"))) {
      assertThat(store).isInstanceOf(MemoryTokenSnapshotStore.class);
    }
  }

  @Test
  void open_memoryUri_findsTheMemoryStoreThroughServiceLoader() {
    try (TokenSnapshotStore store = TokenSnapshotStores.open(MEMORY)) {
      assertThat(store).isInstanceOf(MemoryTokenSnapshotStore.class);
      store.save(key, snapshot, Duration.ofMinutes(1));
      assertThat(store.load(key)).contains(snapshot);
    }
  }

  @Test
  void open_schemeIsCaseInsensitive() {
    try (TokenSnapshotStore store = TokenSnapshotStores.open(URI.create("MEMORY:/"))) {
      assertThat(store).isInstanceOf(MemoryTokenSnapshotStore.class);
    }
  }

  @Test
  void open_eachCall_makesANewEmptyStore() {
    try (TokenSnapshotStore first = TokenSnapshotStores.open(MEMORY);
        TokenSnapshotStore second = TokenSnapshotStores.open(MEMORY)) {
      first.save(key, snapshot, Duration.ofMinutes(1));

      assertThat(second.load(key)).isEmpty();
    }
  }

  @Test
  void open_bytesMode_keepsEncodedValues() {
    try (TokenSnapshotStore store =
        TokenSnapshotStores.open(URI.create("memory:?mode=bytes&maximumSize=50"))) {
      MemoryTokenSnapshotStore memory = (MemoryTokenSnapshotStore) store;
      memory.save(key, snapshot, Duration.ofMinutes(1));

      assertThat(memory.rawValue(key)).isPresent();
      assertThat(memory.toString()).contains("mode=bytes", "maximumSize=50");
    }
  }

  @Test
  void open_unknownParameter_throwsNamingIt() {
    assertThatThrownBy(() -> TokenSnapshotStores.open(URI.create("memory:?colour=blue")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("colour");
  }

  @Test
  void open_badMaximumSize_throwsNamingMaximumSize() {
    assertThatThrownBy(() -> TokenSnapshotStores.open(URI.create("memory:?maximumSize=lots")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maximumSize");
  }

  @Test
  void open_unknownScheme_listsTheAvailableSchemes() {
    assertThatThrownBy(() -> TokenSnapshotStores.open(URI.create("nosuchstore://x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nosuchstore")
        .hasMessageContaining("memory");
  }

  @Test
  void open_uriWithoutScheme_throws() {
    assertThatThrownBy(() -> TokenSnapshotStores.open(URI.create("relative/path")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scheme");
  }
}
