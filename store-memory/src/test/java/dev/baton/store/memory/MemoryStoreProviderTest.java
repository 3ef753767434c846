package dev.baton.store.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.AccessToken;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.codec.SealingKeyRing;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenSnapshotStores;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MemoryStoreProviderTest {
  /**
   * The documented {@code memory:} is not a valid {@link URI} (an opaque URI needs a non-empty
   * scheme-specific part), so the working tests use {@code memory:/}.
   */
  private static final URI MEMORY = URI.create("memory:/");

  @TempDir Path directory;

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

  @ParameterizedTest
  @ValueSource(strings = {"sealingkeys", "sealing_keys", "sealingKey", "SealingKeys",
      "sealing-keys"})
  void open_typoOfSealingKeys_isRefusedWithSuggestion(String typo) {
    assertThatThrownBy(() -> TokenSnapshotStores.open(
        URI.create("memory:local?mode=bytes&" + typo + "=env:BATON_TEST_KEYS")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown memory store parameter '" + typo + "'")
        .hasMessageContaining("did you mean 'sealingKeys'?")
        .hasMessageContaining("known: maximumSize, mode, sealing, sealingKeys")
        .hasMessageNotContaining("BATON_TEST_KEYS");
  }

  @ParameterizedTest
  @ValueSource(strings = {"maximumsize", "maximum_size", "MaximumSize", "maxSize", "Mode",
      "MODE"})
  void open_typoOfOtherParameter_isRefused(String typo) {
    assertThatThrownBy(() -> TokenSnapshotStores.open(URI.create("memory:local?" + typo + "=1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown memory store parameter '" + typo + "'");
  }

  @Test
  void open_sealingKeysBeforeOrAfterBytesMode_sealsEitherWay() throws Exception {
    String keys = "file:" + keyFile();
    for (String query : List.of("sealingKeys=" + keys + "&mode=bytes",
        "mode=bytes&sealingKeys=" + keys, "sealingKeys=" + keys)) {
      try (TokenSnapshotStore store = TokenSnapshotStores.open(URI.create("memory:local?" + query))) {
        MemoryTokenSnapshotStore memory = (MemoryTokenSnapshotStore) store;
        memory.save(key, snapshot, Duration.ofMinutes(1));

        assertThat(memory.isSealed()).as(query).isTrue();
        assertThat(new String(memory.rawValue(key).orElseThrow(), StandardCharsets.ISO_8859_1))
            .as(query).doesNotContain("provider-jwt");
        assertThat(memory.load(key)).contains(snapshot);
        assertThat(memory.toString()).as(query).contains("mode=bytes", "sealed");
      }
    }
  }

  @Test
  void open_sealingKeysWithObjectMode_isRefused() throws Exception {
    String keys = "file:" + keyFile();

    assertThatThrownBy(() -> TokenSnapshotStores.open(
        URI.create("memory:local?mode=object&sealingKeys=" + keys)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("drop mode=object");
  }

  @Test
  void open_sealingKeysAndSealingNone_isRefused() throws Exception {
    String keys = "file:" + keyFile();

    assertThatThrownBy(() -> TokenSnapshotStores.open(
        URI.create("memory:local?sealing=none&sealingKeys=" + keys)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("contradict");
  }

  @Test
  void open_sealingNone_isTheDefaultObjectMode() {
    try (TokenSnapshotStore store = TokenSnapshotStores.open(URI.create("memory:local?sealing=none"))) {
      assertThat(((MemoryTokenSnapshotStore) store).isSealed()).isFalse();
      assertThat(store.toString()).contains("mode=object", "not sealed");
    }
  }

  @Test
  void open_sealingOtherThanNone_isRefused() {
    assertThatThrownBy(() -> TokenSnapshotStores.open(URI.create("memory:local?sealing=on")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sealing can only be 'none'");
  }

  @Test
  void open_duplicateParameter_isRefused() {
    assertThatThrownBy(() -> TokenSnapshotStores.open(
        URI.create("memory:local?mode=bytes&mode=object")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'mode' is given twice");
  }

  @Test
  void open_badMode_quotesItAndTheRule() {
    assertThatThrownBy(() -> TokenSnapshotStores.open(URI.create("memory:local?mode=objet")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("memory store parameter mode must be 'object' or 'bytes', was 'objet'");
  }

  @Test
  void open_percentEncodedValue_isDecoded() {
    try (TokenSnapshotStore store = TokenSnapshotStores.open(URI.create("memory:local?mode=%62ytes"))) {
      assertThat(store.toString()).contains("mode=bytes");
    }
  }

  @Test
  void open_badMaximumSize_throwsNamingMaximumSize() {
    assertThatThrownBy(() -> TokenSnapshotStores.open(URI.create("memory:?maximumSize=lots")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maximumSize");
  }

  private Path keyFile() throws Exception {
    byte[] key = new byte[SealingKeyRing.KEY_BYTES];
    new SecureRandom().nextBytes(key);
    Path file = Files.createTempFile(directory, "keys", ".txt");
    Files.writeString(file, "k1:" + Base64.getEncoder().encodeToString(key) + "\n");
    return file;
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
