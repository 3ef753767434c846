package dev.baton.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.AccessToken;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.codec.SealingKeyRing;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Callers, keys and key rings for the store's own tests. */
final class Samples {
  static final SealingKeyRing KEYS = SealingKeyRing.of("k1", new byte[32]);

  private Samples() {}

  /** A distinct caller: unique bearer token, client {@code client-NAME}, subject user-NAME. */
  static AccessToken caller(String name) {
    return new AccessToken("bearer-" + name + "-" + UUID.randomUUID(), "client-" + name,
        List.of("read", "write"), null, null, Map.of("sub", "user-" + name));
  }

  static TokenSnapshot snapshotOf(String name) {
    return TokenSnapshot.of(caller(name), Instant.parse("2026-11-25T12:00:00Z"));
  }

  /** A key in a scope unique to this call, so tests sharing a server never meet. */
  static TaskKey key(String taskId) {
    return new TaskKey("test-" + UUID.randomUUID(), taskId);
  }

  /** A sealed store on the shared pool and default table. */
  static JdbcTokenSnapshotStore sealedStore() {
    return JdbcTokenSnapshotStore.builder()
        .dataSource(TestDatabase.get().pool())
        .sealingKeys(KEYS)
        .build();
  }

  /**
   * Asserts that neither {@code thrown} nor any of its causes holds {@code secret}, literally or
   * hex-, Base64- or Base64url-encoded (as a database message quoting a bytea would).
   */
  static void assertNeverContains(Throwable thrown, String secret) {
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    List<String> forms = List.of(secret, HexFormat.of().formatHex(bytes),
        Base64.getEncoder().encodeToString(bytes), Base64.getUrlEncoder().encodeToString(bytes));
    for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String text = t + " " + t.getMessage();
      for (String form : forms) {
        // Encodings of a longer text hold the encoded secret only when aligned; check a long core.
        String core = form.length() > 24 ? form.substring(4, form.length() - 4) : form;
        assertThat(text).doesNotContain(core);
      }
    }
  }
}
