package dev.baton.tck;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The forms in which a bearer token leaks into an error message: literally, and encoded as a store
 * might write it into a statement or log line — hex (either case), Base64 and Base64url (at each of
 * the three byte alignments it can have inside a longer encoded value, so the token is found inside
 * an encoded snapshot too), and URL-encoded.
 */
final class TokenForms {
  private TokenForms() {}

  /** Each form's name and text. */
  static Map<String, String> of(String token) {
    byte[] bytes = token.getBytes(StandardCharsets.UTF_8);
    var forms = new LinkedHashMap<String, String>();
    forms.put("literal", token);
    String hex = HexFormat.of().formatHex(bytes);
    forms.put("hex", hex);
    forms.put("HEX", hex.toUpperCase(Locale.ROOT));
    for (int shift = 0; shift < 3; shift++) {
      String base64 = alignedBase64(bytes, shift);
      forms.put("Base64@" + shift, base64);
      forms.put("Base64url@" + shift, base64.replace('+', '-').replace('/', '_'));
    }
    forms.put("URL-encoded", URLEncoder.encode(token, StandardCharsets.UTF_8));
    forms.put("URL-encoded (%20)",
        URLEncoder.encode(token, StandardCharsets.UTF_8).replace("+", "%20"));
    return forms;
  }

  /**
   * The Base64 characters that depend only on {@code bytes} when they start {@code shift} bytes
   * after a 3-byte boundary of a longer value.
   */
  private static String alignedBase64(byte[] bytes, int shift) {
    byte[] shifted = new byte[shift + bytes.length];
    System.arraycopy(bytes, 0, shifted, shift, bytes.length);
    String encoded = Base64.getEncoder().withoutPadding().encodeToString(shifted);
    int from = (8 * shift + 5) / 6; // first character made of token bits only
    int to = 8 * shifted.length / 6; // characters wholly inside the value
    return encoded.substring(from, to);
  }
}
