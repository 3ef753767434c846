package dev.baton.micrometer;

import dev.baton.Baton;
import dev.baton.CallerBinding;
import dev.baton.Scope;
import io.micrometer.context.ThreadLocalAccessor;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Carries Baton's caller through Micrometer context propagation: Reactor's automatic context
 * propagation, Spring's {@code ContextPropagatingTaskDecorator}, {@code ContextExecutorService},
 * {@code ContextScheduledExecutorService} and {@code ContextSnapshot.wrap}.
 *
 * <p>Registered through {@code META-INF/services/io.micrometer.context.ThreadLocalAccessor} (and
 * {@code provides} in the module descriptor), so {@code ContextRegistry.getInstance()} finds it with
 * no code. Its key is {@link #KEY}; its value is a {@link CallerBinding}.
 *
 * <ul>
 *   <li>{@link #getValue()} is {@link CallerBinding#current()}: {@code null} when the thread holds
 *       no Baton binding, so a snapshot taken there carries no Baton value.
 *   <li>{@link #setValue(CallerBinding)} installs the binding with {@link CallerBinding#install()},
 *       whatever the thread held; {@link #setValue()} installs {@link CallerBinding#none()}, an
 *       explicit "no caller" that hides whatever the thread held (used by snapshots built with
 *       {@code clearMissing(true)}).
 *   <li>{@link #restore(CallerBinding)} and {@link #restore()} close the scope the matching
 *       {@code setValue} opened, which restores exactly what the thread held before it. The value
 *       passed to {@code restore} is not installed: a {@link Scope} restores by itself, exactly,
 *       and installing a value would open a binding nobody closes.
 * </ul>
 *
 * <p><b>Pairing.</b> Context propagation always pairs a {@code setValue} with one {@code restore} on
 * the same thread, last set first restored. The accessor keeps, per thread, the scopes it opened
 * and each {@code restore} releases the most recent unreleased one. The per-thread list is removed
 * when empty, so a pooled thread keeps nothing. Baton scopes compose with these by Baton's own
 * rules (see {@link Scope}): a Baton scope opened inside a restored value and left open is unwound
 * by the {@code restore}; a Baton scope that encloses a propagated value and is closed first unwinds
 * it, and the later {@code restore} then changes nothing. Either way the thread ends exactly as it
 * was before the outermost scope.
 *
 * <p><b>Errors.</b> If an {@code Error} (such as {@link StackOverflowError}) strikes while a scope is
 * closed, Baton has already ended the binding when its close began: nothing answers from it again,
 * and the next Baton entry point on the thread clears it. If the Error strikes in this accessor's
 * bookkeeping before that close, the scope stays released but open, and the next {@code setValue}
 * or {@code restore} on the thread closes it before anything else.
 *
 * <p><b>An expired caller.</b> {@code setValue} installs with {@link CallerBinding#install()}, so a
 * caller whose token has expired by then is handled by the policy of the Baton that bound it: under
 * {@code FAIL}, {@code setValue} throws {@link dev.baton.RestoreFailedException} and the thread is
 * left as it was, so a task wrapped by context propagation does not run; under
 * {@code RUN_UNAUTHENTICATED} it runs with no caller.
 *
 * <p><b>Unpaired restore.</b> A {@code restore} on a thread where this accessor opened nothing
 * changes nothing and is logged at {@code WARNING}: it cannot be undone exactly, and installing the
 * given value would leave the thread bound.
 *
 * <p>Expiry is still checked on every read: the binding carries the token, and
 * {@link Baton#currentToken()} checks it each time it is read.
 *
 * <p>Stateless apart from the per-thread scopes; thread-safe. {@link #toString()} never shows a
 * token.
 */
public final class BatonThreadLocalAccessor implements ThreadLocalAccessor<CallerBinding> {
  /** The key under which Baton's caller travels in snapshots and Reactor contexts. */
  public static final String KEY = "dev.baton.caller";

  private static final System.Logger LOGGER =
      System.getLogger(BatonThreadLocalAccessor.class.getName());

  /** The scopes this accessor opened on the thread, oldest first. */
  private static final ThreadLocal<ArrayList<Opened>> OPENED = new ThreadLocal<>();

  /** A scope opened by {@code setValue}; {@code released} once its {@code restore} was called. */
  private static final class Opened {
    final Scope scope;
    boolean released;

    Opened(Scope scope) {
      this.scope = scope;
    }
  }

  /** An accessor; instances are interchangeable (the state is per thread, shared). */
  public BatonThreadLocalAccessor() {}

  /** {@link #KEY}. */
  @Override
  public Object key() {
    return KEY;
  }

  /** {@link CallerBinding#current()}: what the thread acts as, or {@code null} when unbound. */
  @Override
  public @Nullable CallerBinding getValue() {
    return CallerBinding.current();
  }

  /**
   * Installs {@code value} on the current thread until the matching {@code restore}.
   *
   * @throws NullPointerException if {@code value} is null
   */
  @Override
  public void setValue(CallerBinding value) {
    Objects.requireNonNull(value, "value");
    open(value);
  }

  /** Installs {@link CallerBinding#none()} until the matching {@code restore}. */
  @Override
  public void setValue() {
    open(CallerBinding.none());
  }

  /**
   * Closes the scope opened by the matching {@code setValue}; {@code previousValue} is what the
   * thread held before it, which the close restores exactly.
   *
   * @throws NullPointerException if {@code previousValue} is null
   */
  @Override
  public void restore(CallerBinding previousValue) {
    Objects.requireNonNull(previousValue, "previousValue");
    release();
  }

  /** Closes the scope opened by the matching {@code setValue}; the thread was unbound before it. */
  @Override
  public void restore() {
    release();
  }

  private static void open(CallerBinding binding) {
    ArrayList<Opened> before = OPENED.get();
    if (before != null) {
      // Released scopes whose close an Error cut short: close them before installing anything.
      closeReleased(before);
    }
    Scope scope = binding.install();
    try {
      ArrayList<Opened> opened = OPENED.get();
      if (opened == null) {
        opened = new ArrayList<>(4);
        OPENED.set(opened);
      }
      opened.add(new Opened(scope));
    } catch (Throwable t) {
      // Not recorded, so no restore would ever close it: undo now, and keep no empty list.
      scope.close();
      ArrayList<Opened> opened = OPENED.get();
      if (opened != null) {
        dropIfEmpty(opened);
      }
      throw t;
    }
  }

  private static void release() {
    ArrayList<Opened> opened = OPENED.get();
    int i = opened == null ? -1 : opened.size() - 1;
    while (i >= 0 && opened.get(i).released) {
      i--;
    }
    if (i < 0) {
      LOGGER.log(Level.WARNING, "Baton ThreadLocalAccessor.restore without a matching setValue on"
          + " this thread; nothing was changed");
      if (opened != null) {
        closeReleased(opened);
      }
      return;
    }
    opened.get(i).released = true;
    closeReleased(opened);
  }

  /** Closes released scopes from the most recent; stops at the first one still in use. */
  private static void closeReleased(List<Opened> opened) {
    for (int last = opened.size() - 1; last >= 0 && opened.get(last).released; last--) {
      // Close first, forget second: an Error in close leaves it listed, and the next restore
      // closes it again (Baton scopes can be closed again after an Error).
      opened.get(last).scope.close();
      opened.remove(last);
    }
    dropIfEmpty(opened);
  }

  private static void dropIfEmpty(List<Opened> opened) {
    if (opened.isEmpty()) {
      OPENED.remove();
    }
  }

  @Override
  public String toString() {
    return "BatonThreadLocalAccessor[" + KEY + "]";
  }
}
