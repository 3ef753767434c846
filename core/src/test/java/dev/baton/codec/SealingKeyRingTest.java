package dev.baton.codec;

import static dev.baton.codec.CodecRoundTripProperties.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SealingKeyRingTest {
  private static final String B64_1 = Base64.getEncoder().encodeToString(key(1));
  private static final String B64_2 = Base64.getEncoder().encodeToString(key(2));
  private static final TaskKey KEY = new TaskKey("s", "t");

  @Test
  void parse_firstEntryIsActive_restAreRetired() {
    var ring = SealingKeyRing.parse("k2:" + B64_2 + ",k1:" + B64_1);
    assertThat(ring.activeKeyId()).isEqualTo("k2");
    assertThat(ring.keyIds()).containsExactly("k2", "k1");
  }

  @Test
  void parse_acceptsWhitespaceAndNewlinesAsSeparators() {
    var ring = SealingKeyRing.parse("  k2:" + B64_2 + "\n\n k1:" + B64_1 + " ,\n");
    assertThat(ring.keyIds()).containsExactly("k2", "k1");
  }

  @Test
  void parse_acceptsUrlSafeUnpaddedBase64() {
    String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(key(3));
    assertThat(SealingKeyRing.parse("k3:" + urlSafe).keyIds()).containsExactly("k3");
  }

  @Test
  void parse_sealsLikeTheEquivalentRingBuiltInCode() {
    var parsed = SealingSnapshotCodec.wrap(JsonSnapshotCodec.create(),
        SealingKeyRing.parse("k1:" + B64_1));
    var built = SealingSnapshotCodec.wrap(JsonSnapshotCodec.create(),
        SealingKeyRing.of("k1", key(1)));
    var snapshot = TokenSnapshot.anonymous(Instant.EPOCH);
    assertThat(built.decode(KEY, parsed.encode(KEY, snapshot))).isEqualTo(snapshot);
  }

  @Test
  void parse_emptyText_throws() {
    assertThatThrownBy(() -> SealingKeyRing.parse(" \n "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key ring configuration holds no keys");
  }

  @Test
  void parse_entryWithoutId_throwsWithoutEchoingIt() {
    assertThatThrownBy(() -> SealingKeyRing.parse("k1:" + B64_1 + "," + B64_2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key ring entry 2 must be <id>:<base64 key>");
  }

  @Test
  void parse_malformedId_throwsWithoutEchoingIt() {
    assertThatThrownBy(() -> SealingKeyRing.parse(B64_1.substring(0, 10) + "!:" + B64_1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key ring entry 1 has a malformed key id")
        .hasMessageNotContaining(B64_1.substring(0, 10));
  }

  @Test
  void parse_invalidBase64_throwsWithoutEchoingIt() {
    String bad = B64_1.substring(0, 20) + "*" + B64_1.substring(21);
    assertThatThrownBy(() -> SealingKeyRing.parse("k1:" + bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key k1 is not valid base64")
        .hasNoCause();
  }

  @Test
  void parse_wrongKeyLength_throwsStatingLengthsOnly() {
    String short16 = Base64.getEncoder().encodeToString(new byte[16]);
    assertThatThrownBy(() -> SealingKeyRing.parse("k1:" + short16))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key k1 must be 32 bytes (AES-256), was 16 bytes");
  }

  @Test
  void parse_repeatedId_throws() {
    assertThatThrownBy(() -> SealingKeyRing.parse("k1:" + B64_1 + ",k1:" + B64_2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key id k1 is already in the key ring");
  }

  @Test
  void of_wrongKeyLength_throws() {
    assertThatThrownBy(() -> SealingKeyRing.of("k1", new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key k1 must be 32 bytes (AES-256), was 31 bytes");
  }

  @Test
  void of_idTooLong_throws() {
    assertThatThrownBy(() -> SealingKeyRing.of("k".repeat(33), key(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key id must be 1 to 32 characters");
  }

  @Test
  void of_idWithColon_throws() {
    assertThatThrownBy(() -> SealingKeyRing.of("k:1", key(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void of_nullKey_throwsNullPointer() {
    assertThatThrownBy(() -> SealingKeyRing.of("k1", null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void of_copiesTheKeyBytes() {
    byte[] material = key(1);
    var ring = SealingKeyRing.of("k1", material);
    var codec = SealingSnapshotCodec.wrap(JsonSnapshotCodec.create(), ring);
    byte[] sealed = codec.encode(KEY, TokenSnapshot.anonymous(Instant.EPOCH));
    material[0] ^= 1;
    assertThat(codec.decode(KEY, sealed)).isEqualTo(TokenSnapshot.anonymous(Instant.EPOCH));
  }

  @Test
  void withRetired_leavesTheOriginalRingUnchanged() {
    var ring = SealingKeyRing.of("k2", key(2));
    var rotated = ring.withRetired("k1", key(1));
    assertThat(ring.keyIds()).containsExactly("k2");
    assertThat(rotated.keyIds()).containsExactly("k2", "k1");
  }

  @Test
  void toString_showsIdsButNoKeyMaterial() {
    var ring = SealingKeyRing.parse("k2:" + B64_2 + ",k1:" + B64_1);
    assertThat(ring.toString())
        .isEqualTo("SealingKeyRing[active=k2, retired=[k1]]")
        .doesNotContain(B64_1.substring(0, 8));
  }

  @Test
  void fromEnvironment_readsTheVariable() {
    var ring = SealingKeyRing.fromEnvironment("BATON_KEYS",
        Map.of("BATON_KEYS", "k2:" + B64_2 + ",k1:" + B64_1)::get);
    assertThat(ring.keyIds()).containsExactly("k2", "k1");
  }

  @Test
  void fromEnvironment_unsetVariable_throwsIllegalState() {
    assertThatThrownBy(() -> SealingKeyRing.fromEnvironment("BATON_KEYS", name -> null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("environment variable BATON_KEYS is not set");
  }

  @Test
  void fromEnvironment_badValue_namesTheVariableNotTheValue() {
    assertThatThrownBy(() -> SealingKeyRing.fromEnvironment("BATON_KEYS",
        name -> "k1:" + B64_1.substring(0, 30)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("environment variable BATON_KEYS: key k1 must be 32 bytes")
        .hasMessageNotContaining(B64_1.substring(0, 30));
  }

  @Test
  void fromFile_readsOneEntryPerLine(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("keys"), "k2:" + B64_2 + "\nk1:" + B64_1 + "\n");
    assertThat(SealingKeyRing.fromFile(file).keyIds()).containsExactly("k2", "k1");
  }

  @Test
  void fromFile_badContent_namesTheFileNotTheContent(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("keys"), B64_1);
    assertThatThrownBy(() -> SealingKeyRing.fromFile(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key file " + file)
        .hasMessageNotContaining(B64_1);
  }

  @Test
  void fromFile_missingFile_throwsIoException(@TempDir Path dir) {
    assertThatThrownBy(() -> SealingKeyRing.fromFile(dir.resolve("absent")))
        .isInstanceOf(IOException.class);
  }

  @Test
  void fromReference_file_readsTheRing(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("keys");
    Files.writeString(file, "k2:" + B64_2 + "\nk1:" + B64_1 + "\n");

    SealingKeyRing ring = SealingKeyRing.fromReference("file:" + file);

    assertThat(ring.activeKeyId()).isEqualTo("k2");
    assertThat(ring.keyIds()).containsExactly("k2", "k1");
  }

  @Test
  void fromReference_unsetEnvironmentVariable_namesIt() {
    assertThatThrownBy(() -> SealingKeyRing.fromReference("env:BATON_TEST_SURELY_UNSET_VARIABLE"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("BATON_TEST_SURELY_UNSET_VARIABLE");
  }

  @Test
  void fromReference_withoutPrefix_isRejected_withoutEchoingIt() {
    assertThatThrownBy(() -> SealingKeyRing.fromReference("k1:" + B64_1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("env:NAME or file:PATH")
        .hasMessageNotContaining(B64_1);
  }

  @Test
  void fromReference_missingFile_isRejected(@TempDir Path dir) {
    assertThatThrownBy(() -> SealingKeyRing.fromReference("file:" + dir.resolve("absent")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot read key file");
  }
}
