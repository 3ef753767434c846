package dev.baton.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.AccessToken;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The decoder's choice between the byte path (ASCII without NUL, scanned a word at a time) and
 * the checked-text path, at every position of a value: a word scan that missed a byte would hand
 * a NUL to Jackson's encoding detection or parse non-ASCII bytes as if they were ASCII.
 */
class JsonAsciiScanTest {
  private static final TaskKey KEY = new TaskKey("caller:abc", "task-1");
  private static final JsonSnapshotCodec CODEC = JsonSnapshotCodec.create();
  private static final TokenSnapshot SNAPSHOT = TokenSnapshot.of(
      new AccessToken("eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXRva2Vu.c2lnbmF0dXJl", "client-1",
          List.of("read", "write"), Instant.parse("2030-01-02T03:04:05Z"), null,
          Map.of("sub", "alice")),
      Instant.parse("2025-01-02T03:04:05.123456789Z"));

  @Test
  void decode_withANulByteAtAnyPosition_isRefused() {
    byte[] value = CODEC.encode(KEY, SNAPSHOT);
    for (int i = 0; i < value.length; i++) {
      byte[] hostile = value.clone();
      hostile[i] = 0;
      assertThatThrownBy(() -> CODEC.decode(KEY, hostile))
          .as("NUL at %d", i).isInstanceOf(SnapshotDecodeException.class);
    }
  }

  @Test
  void decode_withAnInvalidUtf8ByteAtAnyPosition_isRefused() {
    byte[] value = CODEC.encode(KEY, SNAPSHOT);
    for (int i = 0; i < value.length; i++) {
      byte[] hostile = value.clone();
      hostile[i] = (byte) 0xFF; // never valid in UTF-8
      assertThatThrownBy(() -> CODEC.decode(KEY, hostile))
          .as("0xFF at %d", i).isInstanceOf(SnapshotDecodeException.class)
          .hasMessageContaining("not valid UTF-8");
    }
  }

  @Test
  void decode_ofValuesOfEveryLengthModuloTheWord_roundTrips() {
    for (int extra = 0; extra < 16; extra++) {
      TokenSnapshot snapshot = TokenSnapshot.of(
          new AccessToken("t".repeat(20 + extra), "client-1", List.of(), null, null, Map.of()),
          Instant.parse("2025-01-02T03:04:05Z"));
      byte[] value = CODEC.encode(KEY, snapshot);

      assertThat(CODEC.decode(KEY, value)).as("length %d", value.length).isEqualTo(snapshot);
    }
  }

  @Test
  void decode_withNonAsciiUtf8InAString_takesTheTextPath() {
    // What the codec writes is ASCII (escaped); valid UTF-8 from elsewhere still decodes exactly.
    String json = "{\"v\":1,\"captured_at\":\"2025-01-02T03:04:05Z\",\"token\":{\"token\":\"t\u00e9\","
        + "\"client_id\":\"c\",\"scopes\":[],\"expires_at\":null,\"resource\":null,\"claims\":{}}}";

    TokenSnapshot decoded = CODEC.decode(KEY, json.getBytes(StandardCharsets.UTF_8));

    assertThat(decoded.accessToken()).get().extracting(AccessToken::token).isEqualTo("t\u00e9");
  }
}
