package dev.baton;

/** Checks that text is well-formed UTF-16, as every string a store keeps must be. */
final class Utf16 {
  private Utf16() {}

  /**
   * Rejects unpaired surrogates: no UTF-8 encoding (and so no store or JSON reader) keeps them.
   *
   * @throws IllegalArgumentException naming {@code name} and the index, not the text
   */
  static void requireWellFormed(String value, String name) {
    int unpaired = unpairedSurrogateAt(value);
    if (unpaired >= 0) {
      throw unpairedSurrogate(name, unpaired);
    }
  }

  /** The index of the first unpaired surrogate in {@code value}, or -1 when it has none. */
  static int unpairedSurrogateAt(String value) {
    // Most text has no surrogate at all: one range test per char until the first one (a loop the
    // JIT keeps tight; this scan was a seventh of a JSON decode), then the exact pairing check.
    int length = value.length();
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
        return unpairedSurrogateFrom(value, i);
      }
    }
    return -1;
  }

  private static int unpairedSurrogateFrom(String value, int start) {
    for (int i = start; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /** The exception {@link #requireWellFormed} throws, naming {@code name} and the index. */
  static IllegalArgumentException unpairedSurrogate(String name, int index) {
    return new IllegalArgumentException(
        name + " must not contain an unpaired surrogate (at index " + index + ")");
  }
}
