package dev.baton.jobrunr;

import dev.baton.AccessToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Tokens with distinctive text, every encoding of that text (for leak scans), and key rings. */
final class Tokens {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Tokens() {}

  static AccessToken token(String subject, Instant expiresAt) {
    byte[] secret = new byte[24];
    RANDOM.nextBytes(secret);
    String text = "tok-" + subject + "-" + HexFormat.of().formatHex(secret);
    return new AccessToken(text, "reports", List.of("reports:read"), expiresAt, null,
        Map.of("sub", subject));
  }

  /** The token's text as it could appear in a table, a log or a JSON body. */
  static List<String> encodings(AccessToken token) {
    String t = token.token();
    byte[] bytes = t.getBytes(StandardCharsets.UTF_8);
    List<String> all = new ArrayList<>();
    all.add(t);
    all.add(t.substring(4)); // the random part alone
    all.add(Base64.getEncoder().encodeToString(bytes));
    all.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    all.add(HexFormat.of().formatHex(bytes));
    all.add(HexFormat.of().withUpperCase().formatHex(bytes));
    return all;
  }

  /** A file holding a fresh sealing key ring, for {@code ?sealingKeys=file:...}. */
  static Path keyRingFile() {
    try {
      Path file = Files.createTempFile("baton-keys", ".txt");
      file.toFile().deleteOnExit();
      byte[] key = new byte[32];
      RANDOM.nextBytes(key);
      Files.writeString(file, "k1:" + Base64.getEncoder().encodeToString(key));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
