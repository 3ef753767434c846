package dev.baton;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a running task sees: its key, its caller's token and the application's lifespan context.
 *
 * <p>A context is installed on the worker thread by {@link Baton#enter}, {@link Baton#run} or
 * {@link Baton#call} and removed when the task's scope closes; {@link #current()} finds it from
 * anywhere in the task's code. Immutable and thread-safe (it may be handed to other threads, but
 * {@link #current()} answers only on the thread running the task).
 */
public final class TaskContext {
  private final TaskKey key;
  private final @Nullable ExpiringToken accessToken;
  private final Map<String, Object> lifespan;

  TaskContext(
      TaskKey key,
      @Nullable AccessToken accessToken,
      Map<String, Object> lifespan,
      Clock clock,
      Duration leeway) {
    this.key = Objects.requireNonNull(key, "key");
    this.accessToken = ExpiringToken.of(accessToken, clock, leeway);
    this.lifespan = lifespan;
  }

  /** The context of the task running on this thread, or empty outside a task. */
  public static Optional<TaskContext> current() {
    return Optional.ofNullable(ContextStorage.currentTask());
  }

  /** The task's key. */
  public TaskKey key() {
    return key;
  }

  /**
   * The caller's token, or empty when the caller had none, the task runs unauthenticated after a
   * restore failure, or the token has expired. Expiry is checked on every call against the
   * {@link Baton}'s clock and leeway, so a token that expires while the task runs reads empty from
   * then on.
   */
  public Optional<AccessToken> accessToken() {
    ExpiringToken token = accessToken;
    return token == null ? Optional.empty() : token.validToken();
  }

  /**
   * The application's lifespan context (shared services, configuration), as given to
   * {@link Baton.Builder#lifespan(Map)}; an empty map when the application set none. Unmodifiable.
   */
  public Map<String, Object> lifespan() {
    return lifespan;
  }

  /** Shows the key and the caller's fingerprint, never the token. */
  @Override
  public String toString() {
    ExpiringToken token = accessToken;
    return "TaskContext[key=" + key + ", caller="
        + (token == null ? "anonymous" : token.token().fingerprint()) + "]";
  }
}
