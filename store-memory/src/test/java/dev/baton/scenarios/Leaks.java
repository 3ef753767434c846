package dev.baton.scenarios;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Renders what could carry a secret out of Baton: an exception with its whole chain. */
final class Leaks {
  private Leaks() {}

  /** The exception's stack trace as printed, with every cause and suppressed exception. */
  static String fullText(Throwable thrown) {
    StringWriter text = new StringWriter();
    thrown.printStackTrace(new PrintWriter(text));
    return text.toString();
  }
}
