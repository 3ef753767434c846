package dev.baton;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One JSON text per claim value, for deriving identifiers from claims ({@link TaskKey#callerScope}).
 *
 * <p>Injective over the values {@link AccessToken#claims()} holds: strings are quoted and escaped
 * (so {@code "1"} never reads as {@code 1}), numbers are written as normalized ({@code Long},
 * {@code BigInteger}, or {@code BigDecimal} with a positive scale, so {@code 1} and {@code 1.0}
 * differ), and object members are sorted by name (equal maps give equal text whatever their order).
 */
final class CanonicalJson {
  private CanonicalJson() {}

  static String write(@Nullable Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out);
    return out.toString();
  }

  private static void write(@Nullable Object value, StringBuilder out) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String string) {
      writeString(string, out);
    } else if (value instanceof Boolean || value instanceof Number) {
      // Claims hold normalized numbers only (ClaimValues): their toString is their JSON text.
      out.append(value);
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        write(list.get(i), out);
      }
      out.append(']');
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (var entry : new TreeMap<>(map).entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        writeString((String) entry.getKey(), out);
        out.append(':');
        write(entry.getValue(), out);
      }
      out.append('}');
    } else {
      throw new IllegalArgumentException("not a claim value: " + value.getClass().getName());
    }
  }

  private static void writeString(String string, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < string.length(); i++) {
      char c = string.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }
}
