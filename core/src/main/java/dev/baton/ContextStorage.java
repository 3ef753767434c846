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
 */
final class ContextStorage {
  private static final System.Logger LOGGER = System.getLogger(Baton.class.getName());
  private static final ThreadLocal<Frame> FRAME = new ThreadLocal<>();

  private ContextStorage() {}

  /** A request-side binding: the token plus the clock and leeway to check its expiry with. */
  record RequestBinding(@Nullable AccessToken token, Clock clock, Duration leeway) {
    Optional<AccessToken> validToken() {
      AccessToken t = token;
      return t == null || t.isExpired(clock.instant(), leeway) ? Optional.empty() : Optional.of(t);
    }
  }

  /**
   * What a thread holds; {@code request} decides when present, else {@code task}. {@code parent} is
   * the frame it replaced, which lets an out-of-order close tell an enclosing frame from one that is
   * already gone.
   */
  record Frame(@Nullable RequestBinding request, @Nullable TaskContext task, @Nullable Frame parent) {
    @SuppressWarnings("ReferenceEquality") // frames are identities: equal contents, other frame
    boolean isSelfOrAncestorOf(@Nullable Frame frame) {
      for (Frame f = frame; f != null; f = f.parent) {
        if (f == this) {
          return true;
        }
      }
      return false;
    }
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

  /** Whether this thread holds any binding (for tests and leak checks). */
  static boolean isBound() {
    return FRAME.get() != null;
  }

  static Scope bindRequest(RequestBinding binding) {
    Frame previous = FRAME.get();
    Frame current = new Frame(binding, previous == null ? null : previous.task(), previous);
    FRAME.set(current);
    return new FrameScope(current);
  }

  /** Installs a task frame: request slot cleared, so no identity is inherited. */
  static FrameScope enterTask(TaskContext context) {
    Frame previous = FRAME.get();
    Frame current = new Frame(null, context, previous);
    FRAME.set(current);
    return new FrameScope(current);
  }

  /** Undoes one {@code set}, at most once, and only on the thread that made it. */
  static class FrameScope implements Scope {
    private final Frame current;
    private final Thread owner = Thread.currentThread();
    private boolean closed;

    FrameScope(Frame current) {
      this.current = current;
    }

    /** Restores the thread; returns false if this was a repeated close. */
    @SuppressWarnings("ReferenceEquality") // frames are identities: equal contents, other frame
    boolean restore() {
      if (closed) {
        return false;
      }
      closed = true;
      if (Thread.currentThread() != owner) {
        LOGGER.log(Level.WARNING, "Baton scope closed on thread {0}, but opened on {1}; the"
            + " opening thread keeps its binding until its enclosing scope closes",
            Thread.currentThread().getName(), owner.getName());
        return true;
      }
      Frame now = FRAME.get();
      if (now != current) {
        if (!current.isSelfOrAncestorOf(now)) {
          // An enclosing scope was closed first and already unwound past this one.
          LOGGER.log(Level.WARNING, "Baton scope closed after its enclosing scope; nothing to"
              + " restore");
          return true;
        }
        LOGGER.log(Level.WARNING, "Baton scope closed while an inner scope was still open;"
            + " unwinding the inner scopes too");
      }
      Frame previous = current.parent();
      if (previous == null) {
        FRAME.remove();
      } else {
        FRAME.set(previous);
      }
      return true;
    }

    @Override
    public void close() {
      restore();
    }
  }
}
