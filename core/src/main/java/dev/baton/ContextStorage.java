package dev.baton;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The per-thread slots: one {@link Frame} holding the request binding and the task context.
 *
 * <p>One immutable frame per binding (rather than two thread locals) makes every change a single
 * {@code set}: a scope can neither be half-entered nor half-restored. An empty thread holds no
 * thread-local value at all ({@code remove()}), so pooled threads keep nothing between tasks.
 *
 * <p><b>Errors.</b> A {@link StackOverflowError} (or any other {@code Error}) may strike anywhere
 * near the end of a thread's stack. Every change is therefore ordered so that the thread is either
 * exactly as before or exactly as after it: the scope object exists before the thread-local is set
 * (an error can't leave a binding that nobody can close), a failed {@code set} is rolled back, and a
 * scope marks itself closed only after the thread-local has been restored (an error during close
 * leaves the scope open, so a later close still cleans).
 */
final class ContextStorage {
  private static final System.Logger LOGGER = System.getLogger(Baton.class.getName());
  private static final ThreadLocal<Frame> FRAME = new ThreadLocal<>();

  private ContextStorage() {}

  /** A request-side binding: the token with its deadline by the Baton's clock and leeway. */
  static final class RequestBinding {
    private final @Nullable ExpiringToken token;

    RequestBinding(@Nullable AccessToken token, Clock clock, Duration leeway) {
      this.token = ExpiringToken.of(token, clock, leeway);
    }

    @Nullable AccessToken token() {
      ExpiringToken t = token;
      return t == null ? null : t.token();
    }

    Optional<AccessToken> validToken() {
      ExpiringToken t = token;
      return t == null ? Optional.empty() : t.validToken();
    }

    @Nullable ExpiringToken expiringToken() {
      return token;
    }
  }

  /**
   * What a thread holds; {@code request} decides when present, else {@code task}; both absent is an
   * explicit "no caller". {@code parent} is the frame it replaced, which lets an out-of-order close
   * tell an enclosing frame from one that is already gone.
   */
  static final class Frame {
    private final @Nullable RequestBinding request;
    private final @Nullable TaskContext task;
    private final @Nullable Frame parent;

    // A class, not a record: a frame is an identity (two frames with equal contents are still two
    // bindings), so it keeps Object's equals and every comparison below is by reference.
    Frame(@Nullable RequestBinding request, @Nullable TaskContext task, @Nullable Frame parent) {
      this.request = request;
      this.task = task;
      this.parent = parent;
    }

    @Nullable RequestBinding request() {
      return request;
    }

    @Nullable TaskContext task() {
      return task;
    }

    @Nullable Frame parent() {
      return parent;
    }

    boolean isSelfOrAncestorOf(@Nullable Frame frame) {
      for (Frame f = frame; f != null; f = f.parent) {
        if (f == this) {
          return true;
        }
      }
      return false;
    }
  }

  /** Frames of headroom {@link #requireHeadroom} proves: several times what a close needs. */
  private static final int HEADROOM_FRAMES = 64;

  /**
   * Returns normally only if the stack has room for {@link #HEADROOM_FRAMES} more frames; otherwise
   * throws {@link StackOverflowError} here, where nothing has changed yet. For scopes whose close
   * nobody can retry (callback wrappers): a close that overflowed would leave the thread bound.
   */
  static void requireHeadroom() {
    if (descend(HEADROOM_FRAMES) != HEADROOM_FRAMES) {
      throw new AssertionError("unreachable");
    }
  }

  private static int descend(int remaining) {
    return remaining == 0 ? 0 : 1 + descend(remaining - 1);
  }

  static @Nullable Frame currentFrame() {
    return FRAME.get();
  }

  static @Nullable TaskContext currentTask() {
    Frame frame = FRAME.get();
    return frame == null ? null : frame.task();
  }

  static Optional<AccessToken> currentToken() {
    Frame frame = FRAME.get();
    if (frame == null) {
      return Optional.empty();
    }
    RequestBinding request = frame.request();
    if (request != null) {
      return request.validToken();
    }
    TaskContext task = frame.task();
    return task == null ? Optional.empty() : task.accessToken();
  }

  /**
   * What {@link #currentToken()} answers, with its deadline: for capturing a caller without
   * working the deadline out again. Null when that answer is empty.
   */
  static @Nullable ExpiringToken currentValidToken() {
    Frame frame = FRAME.get();
    if (frame == null) {
      return null;
    }
    RequestBinding request = frame.request();
    ExpiringToken token;
    if (request != null) {
      token = request.expiringToken();
    } else {
      TaskContext task = frame.task();
      token = task == null ? null : task.expiringToken();
    }
    return token == null || token.isExpired() ? null : token;
  }

  /** Whether this thread holds any binding (for pool hooks, tests and leak checks). */
  static boolean isBound() {
    return FRAME.get() != null;
  }

  static FrameScope bindRequest(RequestBinding binding) {
    Frame previous = FRAME.get();
    return install(new Frame(binding, previous == null ? null : previous.task(), previous));
  }

  /** Installs a task frame: request slot cleared, so no identity is inherited. */
  static FrameScope enterTask(@Nullable TaskContext context) {
    return install(new Frame(null, context, FRAME.get()));
  }

  /** Installs a frame with the given slots (a captured binding), whatever the thread held. */
  static FrameScope install(@Nullable RequestBinding request, @Nullable TaskContext task) {
    return install(new Frame(request, task, FRAME.get()));
  }

  private static FrameScope install(Frame current) {
    // The scope exists before the thread changes: an Error after the set can't orphan the binding.
    FrameScope scope = new FrameScope(current);
    try {
      FRAME.set(current);
    } catch (Throwable t) {
      // ThreadLocal.set may have stored the value before failing (its map housekeeping runs after).
      rollBack(current);
      throw t;
    }
    return scope;
  }

  private static void rollBack(Frame current) {
    if (FRAME.get() == current) {
      restoreParent(current);
    }
  }

  private static void restoreParent(Frame current) {
    Frame previous = current.parent();
    if (previous == null) {
      FRAME.remove();
    } else {
      FRAME.set(previous);
    }
  }

  /** Undoes one {@code set}, at most once, and only on the thread that made it. */
  static final class FrameScope implements Scope {
    private final Frame current;
    private final Thread owner = Thread.currentThread();
    private volatile boolean closed;

    FrameScope(Frame current) {
      this.current = current;
    }

    boolean isClosed() {
      return closed;
    }

    /**
     * Restores the thread; returns false if this scope was already closed.
     *
     * @throws IllegalStateException on a thread other than the owner; nothing changes
     */
    boolean restore() {
      if (closed) {
        return false;
      }
      if (Thread.currentThread() != owner) {
        throw new IllegalStateException("Baton scope closed on thread "
            + Thread.currentThread().getName() + ", but it was opened on " + owner.getName()
            + "; nothing was changed: close it on the thread that opened it");
      }
      Frame now = FRAME.get();
      if (now != current && !current.isSelfOrAncestorOf(now)) {
        // An enclosing scope was closed first and already unwound past this one.
        closed = true;
        LOGGER.log(Level.WARNING,
            "Baton scope closed after its enclosing scope; nothing to restore");
        return true;
      }
      // Thread first, flag second: an Error in between leaves the scope closable again, and a
      // repeated close then finds the frame gone and does nothing to the thread.
      restoreParent(current);
      closed = true;
      if (now != current) {
        LOGGER.log(Level.WARNING, "Baton scope closed while an inner scope was still open;"
            + " unwinding the inner scopes too");
      }
      return true;
    }

    @Override
    public void close() {
      restore();
    }
  }
}
