package dev.baton;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
  private static final VarHandle KEY;

  static {
    try {
      KEY = MethodHandles.lookup().findVarHandle(TaskContext.class, "key", TaskKey.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Null only for an in-process task whose key nobody has asked for yet (see {@link #key()}). */
  private volatile @Nullable TaskKey key;
  private final @Nullable ExpiringToken accessToken;
  private final Map<String, Object> lifespan;
  private final CallerRules rules;

  TaskContext(
      TaskKey key,
      @Nullable AccessToken accessToken,
      Map<String, Object> lifespan,
      Clock clock,
      Duration leeway,
      CallerRules rules) {
    this.key = Objects.requireNonNull(key, "key");
    this.accessToken = ExpiringToken.of(accessToken, clock, leeway);
    this.lifespan = lifespan;
    this.rules = rules;
  }

  /**
   * An in-process task's context, whose key is drawn from its Baton's local ids when first asked
   * for: most in-process tasks never ask, and a key made per task was a large part of what wrapping
   * a task cost.
   */
  TaskContext(CallerRules rules, @Nullable ExpiringToken accessToken,
      Map<String, Object> lifespan) {
    this.accessToken = accessToken;
    this.lifespan = lifespan;
    this.rules = rules;
  }

  /** This task with no caller (same key and lifespan): for a task whose caller had expired. */
  TaskContext withoutCaller() {
    if (accessToken == null) {
      return this;
    }
    TaskContext anonymous = new TaskContext(rules, null, lifespan);
    anonymous.key = key();
    return anonymous;
  }

  /** The context of the task running on this thread, or empty outside a task. */
  public static Optional<TaskContext> current() {
    return Optional.ofNullable(ContextStorage.currentTask());
  }

  /**
   * The task's key. An in-process task's key ({@link Baton#wrap(java.util.concurrent.ExecutorService)})
   * is numbered when first asked for; every call answers the same key.
   */
  public TaskKey key() {
    TaskKey k = key;
    if (k != null) {
      return k;
    }
    // Only an in-process task starts without a key: its number comes from its Baton's ids.
    TaskKey drawn = rules.localIds().next();
    // Two threads asking at once draw two numbers; the first to publish is the key for good.
    TaskKey witness = (TaskKey) KEY.compareAndExchange(this, (TaskKey) null, drawn);
    return witness == null ? drawn : witness;
  }

  @Nullable ExpiringToken expiringToken() {
    return accessToken;
  }

  CallerRules rules() {
    return rules;
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
   * {@link BatonBuilder#lifespan(Map)}; an empty map when the application set none. Unmodifiable.
   */
  public Map<String, Object> lifespan() {
    return lifespan;
  }

  /** Shows the key and the caller's fingerprint, never the token. */
  @Override
  public String toString() {
    ExpiringToken token = accessToken;
    return "TaskContext[key=" + key() + ", caller="
        + (token == null ? "anonymous" : token.token().fingerprint()) + "]";
  }
}
