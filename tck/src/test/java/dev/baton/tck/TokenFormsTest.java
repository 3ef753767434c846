package dev.baton.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.codec.JsonSnapshotCodec;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The leak forms find the token in what a store really holds: the JSON codec's output, dumped as
 * hex or Base64 (why the kit looks for the value as stored, and carries an ASCII probe).
 */
class TokenFormsTest {
  private static final TaskKey KEY = new TaskKey("tck", "probe");

  private static byte[] stored(TokenSnapshot probe) {
    return JsonSnapshotCodec.create().encode(KEY, probe);
  }

  @Test
  void unicodeProbe_isStoredInAnotherForm_soItsOwnBytesNeverShowInADumpOfTheValue() {
    String hexOfValue = HexFormat.of().formatHex(stored(Samples.leakProbe()));
    assertThat(TokenForms.asStored(Samples.leakProbe())).get().asString()
        .isNotEqualTo(Samples.LEAK_PROBE_TOKEN).contains("\\u00");
    assertThat(hexOfValue)
        .doesNotContain(TokenForms.encodings("", Samples.LEAK_PROBE_TOKEN).get("hex"))
        .contains(TokenForms.of(Samples.leakProbe()).get("as stored by the JSON codec, hex"));
  }

  @Test
  void asciiProbe_isStoredByteForByte() {
    assertThat(TokenForms.asStored(Samples.asciiLeakProbe())).contains(
        Samples.ASCII_LEAK_PROBE_TOKEN);
  }

  @Test
  void everyProbe_isFoundInTheBase64OfTheValueItIsStoredIn_atAnyAlignment() {
    for (TokenSnapshot probe : Samples.leakProbes()) {
      for (int pad = 0; pad < 3; pad++) {
        byte[] value = stored(probe);
        byte[] padded = new byte[pad + value.length];
        System.arraycopy(value, 0, padded, pad, value.length);
        String base64 = Base64.getEncoder().encodeToString(padded);
        assertThat(TokenForms.of(probe).values()).as("probe %s, %s bytes before the value",
                probe.accessToken().orElseThrow().token(), pad)
            .anyMatch(base64::contains);
      }
    }
  }
}
