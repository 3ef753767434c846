package dev.baton.tck;

import dev.baton.TokenSnapshot;
import org.jspecify.annotations.Nullable;

/**
 * Text of samples and failures made safe for test reports: characters that XML 1.0 forbids
 * (U+0000, U+FFFF, unpaired surrogates, ...) and characters that hide in a log (controls, line and
 * paragraph separators, byte-order marks) are written as {@code \}{@code uXXXX}. Surefire copies
 * failure messages into XML reports; one forbidden character makes the whole report unreadable.
 */
final class SampleText {
  private SampleText() {}

  /** {@code text} with every unsafe character escaped; line feeds are kept. */
  static String escape(@Nullable String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1));
      if (pair) {
        if (out != null) {
          out.append(c).append(text.charAt(i + 1));
        }
        i++;
        continue;
      }
      if (safe(c)) {
        if (out != null) {
          out.append(c);
        }
        continue;
      }
      if (out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      out.append(String.format(java.util.Locale.ROOT, "\\u%04X", (int) c));
    }
    return out == null ? text : out.toString();
  }

  private static boolean safe(char c) {
    if (c == '\n') {
      return true;
    }
    if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
      return false;
    }
    if (Character.isSurrogate(c)) {
      return false; // unpaired (pairs are handled by the caller)
    }
    return c != '\u2028' && c != '\u2029' && c != '\uFEFF' && c != '\uFFFE' && c != '\uFFFF';
  }

  /** A generated snapshot as a failure report shows it: its fields and claims, escaped. */
  static String describe(TokenSnapshot snapshot) {
    String claims = snapshot.accessToken().map(t -> ", claims=" + t.claims()).orElse("");
    return escape(snapshot + claims);
  }

  static String describe(String text) {
    return escape(text);
  }

  /**
   * A copy of {@code thrown} (and its causes) whose messages are escaped, with the same stack
   * traces; {@code prefix} starts the outermost message. The copy is an {@link AssertionError} when
   * the original is one, so a report still reads "failed", not "error".
   */
  static Throwable safeCopy(Throwable thrown, String prefix) {
    Throwable copy = copyOf(thrown, prefix, 0);
    return copy;
  }

  private static Throwable copyOf(Throwable t, String prefix, int depth) {
    String message = escape(prefix + (t instanceof AssertionError
        ? String.valueOf(t.getMessage())
        : t.getClass().getName() + ": " + t.getMessage()));
    Throwable copy = t instanceof AssertionError
        ? new AssertionError(message)
        : new CopiedException(message);
    Throwable cause = t.getCause();
    if (cause != null && cause != t && depth < 8) {
      copy.initCause(copyOf(cause, "", depth + 1));
    }
    copy.setStackTrace(t.getStackTrace());
    for (Throwable s : t.getSuppressed()) {
      copy.addSuppressed(copyOf(s, "", depth + 1));
    }
    return copy;
  }

  /** Stands for a non-assertion throwable whose text had to be escaped; its message names it. */
  static final class CopiedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CopiedException(String message) {
      super(message);
    }

    @Override
    public String toString() {
      return String.valueOf(getMessage());
    }
  }
}
