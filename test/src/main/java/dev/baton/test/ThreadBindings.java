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
   * Describes the current thread's binding, or returns null when it holds none.
   *
   * <p>Seen through the public API: a request bound to no token (or to an expired one) with no task
   * around it is not visible this way.
   */
  // TODO(lead): use the core's public "is this thread bound" check (ContextStorage.isBound() is
  // package-private today) so that a leaked anonymous or expired binding is caught too.
  static @Nullable String describeCurrent() {
    Optional<AccessToken> token = Baton.currentToken();
    Optional<TaskContext> task = TaskContext.current();
    if (token.isEmpty() && task.isEmpty()) {
      return null;
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
