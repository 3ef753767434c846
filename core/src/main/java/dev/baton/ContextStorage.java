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
 * <p><b>Errors: a frame ends before anything can fail.</b> A {@link StackOverflowError} (or any
 * other {@code Error}) may strike at any call near the end of a thread's stack, including inside
 * {@code ThreadLocal.set} and {@code remove}. So a frame is not ended by restoring the thread-local
 * alone: its {@link Frame#ended} flag is set first, by a plain field write, which cannot fail, and
 * only then is the thread-local restored. Every reader honours the flag: a frame that has ended, or
 * lies inside one that has, is never answered from ({@link #live}), so an {@code Error} that cuts
 * the restore short leaves a dead frame, never a binding. The next frame installed on the thread
 * replaces what is dead, and says so ({@link BatonEvent.Type#BINDING_ABANDONED}, and a log line).
 *
 * <p>Where Baton owns a scope ({@link Baton#run}, {@link Baton#call}, every {@link CallerBinding}
 * wrapper and so every task of a wrapped executor), the flag is written in the very method that
 * opened the scope, in its {@code finally}, so no call stands between the task's end and the
 * frame's. A scope closed by someone else's code ({@code try}-with-resources around
 * {@link Baton#bindRequest}) sets it as the first thing its {@code close()} does after checking the
 * owning thread. That call is made at the depth where the open was made, so the open of such a
 * scope proves {@value #HEADROOM_FRAMES} frames of headroom first ({@link #requireHeadroom}): an
 * {@code Error} at the stack's end then strikes the open, which binds nothing, rather than the
 * call to the close, before its first line, where no library could answer it. Scopes Baton owns
 * need no such proof, so wrapped tasks, {@code run} and {@code call} pay nothing for it; a request
 * binding pays it once per request (tens of nanoseconds).
 *
 * <p>An {@code Error} while opening leaves the thread as before: the frame exists before the
 * thread-local is set, and a failed {@code set} ends the frame before rolling it back.
 */
final class ContextStorage {
  private static final System.Logger LOGGER = System.getLogger(Baton.class.getName());
  private static final ThreadLocal<Frame> FRAME = new ThreadLocal<>();

  /**
   * Frames of headroom {@link #requireHeadroom} proves: many times what the close of a scope needs
   * (its own frame and the restore's, interpreted or compiled), and far below any real stack.
   */
  static final int HEADROOM_FRAMES = 64;

  private ContextStorage() {}

  /**
   * Returns only if the stack has room for {@link #HEADROOM_FRAMES} more frames, and otherwise
   * throws the {@link StackOverflowError} here. Called before opening a scope that the user's code
   * will close: the close is called at the same depth as the open, and needs far less than this,
   * so a stack that lets the open through lets its close begin.
   */
  static void requireHeadroom() {
    if (descend(HEADROOM_FRAMES) != HEADROOM_FRAMES) {
      throw new AssertionError("unreachable"); // uses the result, so no compiler drops the descent
    }
  }

  private static int descend(int remaining) {
    return remaining == 0 ? 0 : 1 + descend(remaining - 1);
  }

  /** A request-side binding: the token with its deadline by the Baton's clock and leeway. */
  static final class RequestBinding {
    private final @Nullable ExpiringToken token;
    private final CallerRules rules;

    RequestBinding(@Nullable AccessToken token, Clock clock, Duration leeway, CallerRules rules) {
      this.token = ExpiringToken.of(token, clock, leeway);
      this.rules = rules;
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

    CallerRules rules() {
      return rules;
    }
  }

  /**
   * What a thread holds, and the scope that undoes it: {@code request} decides when present, else
   * {@code task}; both absent is an explicit "no caller". {@code parent} is the live frame it
   * replaced, which lets an out-of-order close tell an enclosing frame from one that is already
   * gone.
   *
   * <p>A class, not a record: a frame is an identity (two frames with equal contents are still two
   * bindings), so it keeps Object's equals and every comparison here is by reference. Frames are
   * confined to their owner thread: {@link #ended} and {@link #closed} are plain fields.
   */
  static final class Frame implements Scope {
    private final @Nullable RequestBinding request;
    private final @Nullable TaskContext task;
    private final @Nullable Frame parent;
    private final Thread owner;
    /**
     * The code that opened this frame has finished with it (its close began, or its open failed):
     * no reader answers from it or from any frame inside it. Written without a call, before
     * anything that can fail; never cleared.
     */
    boolean ended;
    /** The thread-local no longer holds this frame through this scope (its restore completed). */
    private boolean closed;

    Frame(@Nullable RequestBinding request, @Nullable TaskContext task, @Nullable Frame parent,
        Thread owner) {
      this.request = request;
      this.task = task;
      this.parent = parent;
      this.owner = owner;
    }

    @Nullable RequestBinding request() {
      return request;
    }

    @Nullable TaskContext task() {
      return task;
    }

    boolean isSelfOrAncestorOf(@Nullable Frame frame) {
      for (Frame f = frame; f != null; f = f.parent) {
        if (f == this) {
          return true;
        }
      }
      return false;
    }

    /**
     * Ends this frame and restores the thread; idempotent on the owner thread, and does nothing on
     * any thread once the restore has completed. A close cut short by an {@code Error} has already
     * ended the frame, and a later close finishes the restore.
     *
     * @throws IllegalStateException on a thread other than the owner, before the owner's restore
     *     completed; nothing changes
     */
    @Override
    public void close() {
      if (closed) {
        // Read on any thread: true only once the owner's restore completed (a racing read sees
        // false, and a foreign close is then rejected below, as it should be).
        return;
      }
      if (Thread.currentThread() != owner) {
        throw new IllegalStateException("Baton scope closed on thread "
            + Thread.currentThread().getName() + ", but it was opened on " + owner.getName()
            + "; nothing was changed: close it on the thread that opened it");
      }
      ended = true;
      restore();
    }

    /** Whether the restore has completed (a close cut short by an Error has not). */
    boolean isClosed() {
      return closed;
    }

    /** Restores the thread, on the owner thread, once this frame has {@link #ended}. */
    void restore() {
      if (closed) {
        return;
      }
      Frame now = FRAME.get();
      if (!isSelfOrAncestorOf(now)) {
        // An enclosing scope was closed first and already unwound past this one, or a later
        // binding replaced this frame after its close was cut short.
        closed = true;
        warn("Baton scope closed after its enclosing scope; nothing to restore");
        return;
      }
      set(live(parent));
      closed = true;
      if (now != this) {
        warn("Baton scope closed while an inner scope was still open; unwinding the inner"
            + " scopes too");
      }
    }

    /** Apart from the hot path, which then stays small enough to inline. */
    private static void warn(String message) {
      LOGGER.log(Level.WARNING, message);
    }
  }

  /**
   * What {@code top} makes the thread act as: {@code top} itself unless it, or a frame it lies
   * inside, has ended; then the parent of the outermost ended frame (which is live).
   */
  static @Nullable Frame live(@Nullable Frame top) {
    Frame live = top;
    for (Frame f = top; f != null; f = f.parent) {
      if (f.ended) {
        live = f.parent;
      }
    }
    return live;
  }

  static @Nullable Frame currentFrame() {
    return live(FRAME.get());
  }

  static @Nullable TaskContext currentTask() {
    Frame frame = live(FRAME.get());
    return frame == null ? null : frame.task();
  }

  static Optional<AccessToken> currentToken() {
    Frame frame = live(FRAME.get());
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
   * The token {@link #currentToken()} resolves to, with its deadline, whether or not it has expired
   * (so that capturing can tell an expired caller from none); null when the live frame has no token.
   * Reads no clock.
   */
  static @Nullable ExpiringToken currentBoundToken() {
    Frame frame = live(FRAME.get());
    if (frame == null) {
      return null;
    }
    RequestBinding request = frame.request();
    if (request != null) {
      return request.expiringToken();
    }
    TaskContext task = frame.task();
    return task == null ? null : task.expiringToken();
  }

  /**
   * Whether this thread acts for any binding (for pool hooks, tests and leak checks): a frame that
   * has ended no longer counts, even while the thread-local still holds it.
   */
  static boolean isBound() {
    return live(FRAME.get()) != null;
  }

  /** Whether the thread-local holds any frame at all, live or dead (for tests and leak checks). */
  static boolean holdsAnyFrame() {
    return FRAME.get() != null;
  }

  static Frame bindRequest(RequestBinding binding) {
    Frame top = FRAME.get();
    Frame previous = live(top);
    return install(binding, previous == null ? null : previous.task(), top, previous);
  }

  /** Installs a task frame: request slot cleared, so no identity is inherited. */
  static Frame enterTask(@Nullable TaskContext context) {
    return install(null, context);
  }

  /** Installs a frame with the given slots (a captured binding), whatever the thread held. */
  static Frame install(@Nullable RequestBinding request, @Nullable TaskContext task) {
    Frame top = FRAME.get();
    return install(request, task, top, live(top));
  }

  private static Frame install(@Nullable RequestBinding request, @Nullable TaskContext task,
      @Nullable Frame top, @Nullable Frame parent) {
    if (top != parent) {
      // Before anything changes: an Error here leaves the dead frames dead, for the next install.
      reportAbandoned(top, parent);
    }
    // The frame exists before the thread changes: an Error after the set can't orphan it.
    Frame current = new Frame(request, task, parent, Thread.currentThread());
    try {
      FRAME.set(current);
    } catch (Throwable t) {
      // ThreadLocal.set may have stored the value before failing (its map housekeeping runs after):
      // end the frame first, so that even a failed rollback leaves nothing live.
      current.ended = true;
      if (FRAME.get() == current) {
        set(parent);
      }
      throw t;
    }
    return current;
  }

  private static void set(@Nullable Frame frame) {
    if (frame == null) {
      FRAME.remove();
    } else {
      FRAME.set(frame);
    }
  }

  /**
   * Reports the frames from {@code top} down to {@code live} (exclusive), which an install is about
   * to drop: each ended, or lies inside one that has, without its scope having restored the thread.
   */
  private static void reportAbandoned(@Nullable Frame top, @Nullable Frame live) {
    for (Frame f = top; f != null && f != live; f = f.parent) {
      LOGGER.log(Level.WARNING, "Cleared a Baton binding from thread "
          + Thread.currentThread().getName() + ": its scope ended abnormally (an Error cut its"
          + " close short) and it had not been answered from since");
      CallerRules rules = rulesOf(f);
      if (rules != null) {
        TaskContext task = f.task();
        rules.abandoned(task == null ? null : task.key());
      }
    }
  }

  private static @Nullable CallerRules rulesOf(Frame frame) {
    RequestBinding request = frame.request();
    if (request != null) {
      return request.rules();
    }
    TaskContext task = frame.task();
    return task == null ? null : task.rules();
  }
}
