package dev.baton.test;

import dev.baton.AccessToken;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import java.util.List;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;
import org.jspecify.annotations.Nullable;

/**
 * Assertions on the caller a stored snapshot holds. Obtain through
 * {@link StoreAssert#holdsSnapshotFor(TaskKey)}. Failure messages name the caller by subject,
 * client and fingerprint, never by token.
 */
public final class SnapshotAssert extends AbstractAssert<SnapshotAssert, TokenSnapshot> {
  private final TaskKey key;

  SnapshotAssert(TokenSnapshot actual, TaskKey key) {
    super(actual, SnapshotAssert.class);
    this.key = key;
  }

  /** Verifies that the snapshot holds a token whose {@code sub} is {@code subject}. */
  public SnapshotAssert ofSubject(String subject) {
    Objects.requireNonNull(subject, "subject");
    AccessToken token = token();
    if (!subject.equals(token.subject())) {
      failWithMessage("Expecting the snapshot for %s to be of subject %s, but it is of %s", key,
          subject, ThreadBindings.describe(token));
    }
    return this;
  }

  /** Verifies that the snapshot holds a token of {@code subject} issued to {@code clientId}. */
  public SnapshotAssert ofCaller(String subject, String clientId) {
    Objects.requireNonNull(clientId, "clientId");
    ofSubject(subject);
    AccessToken token = token();
    if (!clientId.equals(token.clientId())) {
      failWithMessage("Expecting the snapshot for %s to be of client %s, but it is of %s", key,
          clientId, ThreadBindings.describe(token));
    }
    return this;
  }

  /** Verifies that the snapshot holds exactly {@code token}. */
  public SnapshotAssert of(AccessToken token) {
    Objects.requireNonNull(token, "token");
    AccessToken held = token();
    if (!held.equals(token)) {
      failWithMessage("Expecting the snapshot for %s to be of %s, but it is of %s", key,
          ThreadBindings.describe(token), ThreadBindings.describe(held));
    }
    return this;
  }

  /** Verifies that the snapshot's token carries exactly these scopes, in this order. */
  public SnapshotAssert hasScopes(String... scopes) {
    List<String> expected = List.of(scopes);
    AccessToken token = token();
    if (!token.scopes().equals(expected)) {
      failWithMessage("Expecting the snapshot for %s to carry scopes %s, but it carries %s", key,
          expected, token.scopes());
    }
    return this;
  }

  /** Verifies that the snapshot is the explicit anonymous marker (the caller had no token). */
  public SnapshotAssert isAnonymous() {
    isNotNull();
    @Nullable AccessToken token = actual.accessToken().orElse(null);
    if (token != null) {
      failWithMessage("Expecting the snapshot for %s to be anonymous, but it is of %s", key,
          ThreadBindings.describe(token));
    }
    return this;
  }

  private AccessToken token() {
    isNotNull();
    if (actual.isAnonymous()) {
      failWithMessage("Expecting the snapshot for %s to hold a caller, but it is anonymous", key);
    }
    return actual.accessToken().orElseThrow();
  }
}
