package dev.baton.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The AEAD under format 2 is C2SP's XAES-256-GCM, as Tink builds it from a ring's raw keys. */
class SealingXAes256GcmTest {
  private static final byte[] NONCE = "ABCDEFGHIJKLMNOPQRSTUVWX".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PLAINTEXT = "XAES-256-GCM".getBytes(StandardCharsets.US_ASCII);

  private static byte[] repeated(int b) {
    byte[] key = new byte[SealingKeyRing.KEY_BYTES];
    Arrays.fill(key, (byte) b);
    return key;
  }

  private static byte[] nonceAnd(String ciphertextHex) {
    byte[] ciphertext = HexFormat.of().parseHex(ciphertextHex);
    byte[] sealed = Arrays.copyOf(NONCE, NONCE.length + ciphertext.length);
    System.arraycopy(ciphertext, 0, sealed, NONCE.length, ciphertext.length);
    return sealed;
  }

  /** https://c2sp.org/XAES-256-GCM, test vector 1 (no associated data). */
  @Test
  void open_c2spVector1_givesItsPlaintext() throws GeneralSecurityException {
    var keys = XAes256GcmKeys.of(SealingKeyRing.of("c2sp", repeated(0x01)));
    byte[] sealed = nonceAnd("ce546ef63c9cc60765923609b33a9a1974e96e52daf2fcf7075e2271");
    assertThat(keys.open("c2sp", sealed, new byte[0])).isEqualTo(PLAINTEXT);
  }

  /** https://c2sp.org/XAES-256-GCM, test vector 2 (with associated data). */
  @Test
  void open_c2spVector2_givesItsPlaintext() throws GeneralSecurityException {
    var keys = XAes256GcmKeys.of(SealingKeyRing.of("c2sp", repeated(0x03)));
    byte[] sealed = nonceAnd("986ec1832593df5443a179437fd083bf3fdb41abd740a21f71eb769d");
    byte[] associatedData = "c2sp.org/XAES-256-GCM".getBytes(StandardCharsets.US_ASCII);
    assertThat(keys.open("c2sp", sealed, associatedData)).isEqualTo(PLAINTEXT);
  }

  @Test
  void open_c2spVector1WithAssociatedData_fails() {
    var keys = XAes256GcmKeys.of(SealingKeyRing.of("c2sp", repeated(0x01)));
    byte[] sealed = nonceAnd("ce546ef63c9cc60765923609b33a9a1974e96e52daf2fcf7075e2271");
    assertThatThrownBy(() -> keys.open("c2sp", sealed, new byte[] {1}))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void seal_writesA24ByteNonceThenCiphertextAndTag() throws GeneralSecurityException {
    var keys = XAes256GcmKeys.of(SealingKeyRing.of("k", repeated(0x05)));
    byte[] sealed = keys.seal("k", PLAINTEXT, new byte[0]);
    assertThat(sealed).hasSize(24 + PLAINTEXT.length + 16);
    assertThat(keys.open("k", sealed, new byte[0])).isEqualTo(PLAINTEXT);
  }

  @Test
  void of_makesOneAeadPerKeyOfTheRing() {
    var keys = XAes256GcmKeys.of(
        SealingKeyRing.of("k2", repeated(2)).withRetired("k1", repeated(1)));
    assertThat(keys.holds("k2")).isTrue();
    assertThat(keys.holds("k1")).isTrue();
    assertThat(keys.holds("k3")).isFalse();
  }
}
