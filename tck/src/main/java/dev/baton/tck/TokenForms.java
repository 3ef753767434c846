package dev.baton.tck;

import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.codec.JsonSnapshotCodec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The forms in which a bearer token leaks into an error message: literally, and encoded as a store
 * might write it into a statement or log line — hex (either case), Base64 and Base64url (at each of
 * the three byte alignments it can have inside a longer encoded value, so the token is found inside
 * an encoded snapshot too), a list of byte values ({@code Arrays.toString(byte[])}), and
 * URL-encoded.
 *
 * <p>A store leaks what it holds, which is the codec's output, not the token's own bytes: the JSON
 * codec writes {@code é} as {@code \u00E9}. So the kit looks for each of these forms twice: of the
 * token's bytes, and of the token as it stands in the JSON codec's output for the probe
 * ({@link #asStored}).
 */
final class TokenForms {
  private TokenForms() {}

  /** Each form's name and text, for the token itself and for the token as the codec stores it. */
  static Map<String, String> of(TokenSnapshot probe) {
    String token = probe.accessToken().orElseThrow().token();
    var forms = new LinkedHashMap<String, String>(encodings("", token));
    asStored(probe).filter(stored -> !stored.equals(token))
        .ifPresent(stored -> forms.putAll(encodings("as stored by the JSON codec, ", stored)));
    return forms;
  }

  /** Each form's name and text, of the given text's UTF-8 bytes. */
  static Map<String, String> encodings(String prefix, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    var forms = new LinkedHashMap<String, String>();
    forms.put(prefix + "literal", text);
    String hex = HexFormat.of().formatHex(bytes);
    forms.put(prefix + "hex", hex);
    forms.put(prefix + "HEX", hex.toUpperCase(Locale.ROOT));
    for (int shift = 0; shift < 3; shift++) {
      String base64 = alignedBase64(bytes, shift);
      forms.put(prefix + "Base64@" + shift, base64);
      forms.put(prefix + "Base64url@" + shift, base64.replace('+', '-').replace('/', '_'));
    }
    String list = Arrays.toString(bytes);
    forms.put(prefix + "byte list", list.substring(1, list.length() - 1));
    forms.put(prefix + "URL-encoded", URLEncoder.encode(text, StandardCharsets.UTF_8));
    forms.put(prefix + "URL-encoded (%20)",
        URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20"));
    return forms;
  }

  /**
   * The token of {@code probe} as it stands in the core JSON codec's output for it: the JSON
   * string's content, escapes and all. Found by escaping the token as JSON writers do and checking
   * that the codec's real output contains it (hex digits in either case), so the kit follows the
   * codec rather than assuming it; empty if neither spelling occurs.
   */
  static Optional<String> asStored(TokenSnapshot probe) {
    String token = probe.accessToken().orElseThrow().token();
    String json = new String(JsonSnapshotCodec.create().encode(new TaskKey("tck", "probe"), probe),
        StandardCharsets.UTF_8);
    for (boolean upper : new boolean[] {true, false}) {
      String escaped = jsonEscaped(token, upper);
      if (json.contains('"' + escaped + '"')) {
        return Optional.of(escaped);
      }
    }
    return Optional.empty();
  }

  private static String jsonEscaped(String text, boolean upperHex) {
    var out = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c > 0x7E) {
            String hex = String.format(Locale.ROOT, "%04x", (int) c);
            out.append("\\u").append(upperHex ? hex.toUpperCase(Locale.ROOT) : hex);
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
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
