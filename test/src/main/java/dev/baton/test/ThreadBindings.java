package dev.baton.test;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.TaskContext;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** What the current thread is bound to, described for leak reports; never shows a token. */
final class ThreadBindings {
  private ThreadBindings() {}

  /**
   * Describes the current thread's binding, or returns null when it holds none
   * ({@link Baton#isBound()}): a binding with no valid caller counts too.
   */
  static @Nullable String describeCurrent() {
    if (!Baton.isBound()) {
      return null;
    }
    Optional<AccessToken> token = Baton.currentToken();
    Optional<TaskContext> task = TaskContext.current();
    if (token.isEmpty() && task.isEmpty()) {
      // A request bound to no token (or one that expired), or an explicit "no caller": still a
      // binding the thread should not keep.
      return "a binding with no caller";
    }
    StringBuilder text = new StringBuilder();
    task.ifPresent(t -> text.append("task ").append(t.key()));
    token.ifPresent(t -> text.append(text.length() == 0 ? "" : ", ").append("caller ")
        .append(describe(t)));
    if (token.isEmpty()) {
      text.append(", no valid token");
    }
    return text.toString();
  }

  /** A caller as a leak report names it: subject, client and fingerprint, never the token. */
  static String describe(AccessToken token) {
    String subject = token.subject();
    return (subject == null ? "(no sub)" : subject) + " of client " + token.clientId() + " ("
        + token.fingerprint() + ")";
  }
}
