package dev.baton.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenSnapshotStores;
import dev.baton.store.TokenStoreException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code jdbc:postgresql://} and {@code postgresql://} through {@link TokenSnapshotStores}. */
class PostgresStoreProviderTest {
  private final TestDatabase db = TestDatabase.get();

  @TempDir
  Path dir;

  private String keyFile() throws IOException {
    Path file = dir.resolve("keys");
    Files.writeString(file, "k1:" + Base64.getEncoder().encodeToString(new byte[32]));
    return file.toString();
  }

  /** The test database's URL plus {@code parameters} (which start with '&'). */
  private URI jdbcUri(String parameters) {
    return URI.create(db.jdbcUrl() + parameters);
  }

  @Test
  void open_jdbcUriWithSealingKeys_opensASealedStoreThatRoundTrips() throws IOException {
    TaskKey key = Samples.key("uri");
    TokenSnapshot snapshot = Samples.snapshotOf("uri");
    try (TokenSnapshotStore store = TokenSnapshotStores.open(
        jdbcUri("&sealingKeys=file:" + keyFile() + "&table=baton_uri&maximumPoolSize=2"))) {
      assertThat(store).isInstanceOf(JdbcTokenSnapshotStore.class);
      assertThat(store.toString()).contains("table=baton_uri, sealed");
      store.save(key, snapshot, Duration.ofMinutes(1));
      assertThat(store.take(key)).contains(snapshot);
    }
  }

  @Test
  void open_postgresqlUriWithUserInfoAndSealingNone_opensAnUnsealedStore() {
    URI uri = URI.create("postgresql://postgres:ignored@127.0.0.1:" + db.port()
        + "/postgres?sealing=none&connectionTimeout=PT1S");
    try (TokenSnapshotStore store = TokenSnapshotStores.open(uri)) {
      assertThat(((JdbcTokenSnapshotStore) store).isSealed()).isFalse();
      TaskKey key = Samples.key("libpq");
      store.save(key, Samples.snapshotOf("libpq"), Duration.ofMinutes(1));
      assertThat(store.delete(key)).isTrue();
    }
  }

  @Test
  void open_parameterOrder_doesNotMatter() throws IOException {
    String keys = "sealingKeys=file:" + keyFile();
    for (String query : new String[] {"&" + keys + "&table=baton_order",
        "&table=baton_order&" + keys}) {
      try (TokenSnapshotStore store = TokenSnapshotStores.open(jdbcUri(query))) {
        assertThat(store.toString()).contains("table=baton_order, sealed");
      }
    }
  }

  @Test
  void open_withoutSealingChoice_isRefusedSayingHowToChoose() {
    assertThatThrownBy(() -> TokenSnapshotStores.open(jdbcUri("")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sealingKeys=env:NAME|file:PATH")
        .hasMessageContaining("sealing=none");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sealingkeys", "sealing_keys", "SealingKeys", "sealingKey"})
  void open_misspeltSealingKeys_isRefusedWithASuggestion(String name) throws IOException {
    assertThatThrownBy(() -> TokenSnapshotStores.open(jdbcUri("&" + name + "=file:" + keyFile())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + name + "'")
        .hasMessageContaining("did you mean 'sealingKeys'");
  }

  @Test
  void open_unknownParameter_isRefusedListingTheKnownOnes() {
    assertThatThrownBy(() -> TokenSnapshotStores.open(jdbcUri("&sealing=none&poolSize=3")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'poolSize'")
        .hasMessageContaining("maximumPoolSize")
        .hasMessageContaining("sslmode");
  }

  @Test
  void open_sealingOtherThanNone_isRefused() {
    assertThatThrownBy(() -> TokenSnapshotStores.open(jdbcUri("&sealing=off")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("accepts only 'none'");
  }

  @Test
  void open_sealingNoneAndSealingKeys_isRefused() throws IOException {
    assertThatThrownBy(() -> TokenSnapshotStores.open(
        jdbcUri("&sealing=none&sealingKeys=file:" + keyFile())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("choose one");
  }

  @Test
  void open_injectionInTableName_isRefused() {
    assertThatThrownBy(() -> TokenSnapshotStores.open(
        jdbcUri("&sealing=none&table=x%22%3B%20DROP%20TABLE%20baton_snapshots%3B--")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lower case letters");
  }

  @Test
  void open_otherJdbcDatabase_isRefused() {
    assertThatThrownBy(() -> TokenSnapshotStores.open(
        URI.create("jdbc:mysql://127.0.0.1:3306/db?sealing=none")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jdbc:postgresql://");
  }

  @Test
  void open_withoutDatabase_isRefused() {
    assertThatThrownBy(() -> TokenSnapshotStores.open(
        URI.create("postgresql://127.0.0.1:" + db.port() + "?sealing=none")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("host and a database");
  }

  @Test
  void open_unreachableServer_throwsTokenStoreExceptionWithoutThePassword() throws IOException {
    int closedPort;
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    URI uri = URI.create("jdbc:postgresql://127.0.0.1:" + closedPort
        + "/postgres?user=u&password=s3cr3t-pw&sealing=none&connectionTimeout=300");
    assertThatThrownBy(() -> TokenSnapshotStores.open(uri))
        .isInstanceOf(TokenStoreException.class)
        .hasMessageContaining("could not open a connection pool to PostgreSQL")
        .satisfies(e -> Samples.assertNeverContains(e, "s3cr3t-pw"));
  }

  @Test
  void open_invalidPoolSize_isRefusedQuotingTheValue() {
    assertThatThrownBy(() -> TokenSnapshotStores.open(jdbcUri("&sealing=none&maximumPoolSize=0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maximumPoolSize must be a positive integer, was '0'");
  }

  @Test
  void close_ofAStoreOpenedByUri_closesItsPool() throws IOException {
    TokenSnapshotStore store = TokenSnapshotStores.open(jdbcUri("&sealingKeys=file:" + keyFile()));
    store.close();
    store.close();
    assertThatThrownBy(() -> store.load(Samples.key("closed")))
        .isInstanceOf(IllegalStateException.class);
  }
}
