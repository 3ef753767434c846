package dev.baton.spring.boot;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.CallerBinding;
import java.lang.ref.WeakReference;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;

/**
 * Spring Security's context as Baton sees it: on a thread that holds a Baton binding (a job that
 * Baton restored, whatever restored it: {@code @Async} and the wrapped executors, the task
 * scheduler, {@code baton.run(key, …)}, JobRunr, AMQP), {@link #getContext()} answers the job's
 * caller as an authenticated {@link Authentication} rebuilt from the snapshot
 * ({@link CallerAuthentications}), or an empty context when the job has no caller or its token has
 * expired (checked on every call). Anywhere else it is the application's strategy, unchanged.
 *
 * <p><b>Why the binding decides, not the thread-local.</b> A pool thread's own security context
 * belongs to whoever ran there last, and a worker process has none; the binding is what Baton
 * restored for exactly this job. So a job never sees an identity other than its caller's, and
 * nothing is written to the thread: when the job's binding is gone, so is the caller's context,
 * and the thread's own context is exactly what it was.
 *
 * <p><b>The request thread.</b> A bearer-authenticated request is bound to its caller too; there
 * the application's strategy already holds Spring's own authentication for the same token, and
 * that one is answered (the very object Spring built, with its details). Expiry rules there too: a
 * request whose token expires while it runs reads as unauthenticated from then on, as a job does.
 *
 * <p><b>Writes.</b> {@code setContext} and {@code clearContext} go to the application's strategy,
 * as always: inside a job they change the thread's own context, not whom the job acts as, which
 * is its caller while its binding lasts. They last no longer than the binding they were made
 * under: the thread's own context from before the first such write is kept, and the first call to
 * this strategy after that binding has ended (the next job on the pooled thread, or any code that
 * reads {@code SecurityContextHolder} there) puts it back before answering. So an authentication a
 * job sets and never clears is never seen by what runs on the thread after the job. Setting a context this strategy answered (what
 * {@code DelegatingSecurityContextRunnable} does to restore "the previous" context) clears the
 * thread's own instead, so the caller's authentication is never stored in a thread-local. The
 * context answered in a job is read-only: {@code getContext().setAuthentication(…)} there throws
 * {@code UnsupportedOperationException} rather than be silently lost.
 *
 * <p><b>Why not a core hook.</b> Every restore path (the executor wrappers, {@code run(key, …)},
 * JobRunr, AMQP, any future one) ends in a Baton binding on the job's thread, so reading the
 * binding covers them all with no change to core and nothing for an integration to call.
 *
 * <p>Authentications are cached per {@link AccessToken} instance (weakly, bounded), so repeated
 * checks in a job convert the token once. Thread-safe.
 */
public final class BatonSecurityContextHolderStrategy implements SecurityContextHolderStrategy {
  private static final int MAXIMUM_CACHED = 10_000;

  private final SecurityContextHolderStrategy delegate;
  private final CallerAuthentications authentications;
  private final Cache<AccessToken, Authentication> cache =
      Caffeine.newBuilder().weakKeys().maximumSize(MAXIMUM_CACHED).build();

  /**
   * The thread's own context from before the first write made under a binding, and that binding;
   * set only while such a write's binding may still be live. Static, as thread-locals should be:
   * the record names the strategy it was written through.
   */
  private static final ThreadLocal<Replaced> REPLACED = new ThreadLocal<>();

  BatonSecurityContextHolderStrategy(
      SecurityContextHolderStrategy delegate, CallerAuthentications authentications) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.authentications = Objects.requireNonNull(authentications, "authentications");
  }

  /** The application's strategy, which answers wherever no Baton binding is. */
  public SecurityContextHolderStrategy delegate() {
    return delegate;
  }

  @Override
  public SecurityContext getContext() {
    settle();
    return Baton.isBound() ? callersContext(delegate::getContext) : delegate.getContext();
  }

  /**
   * {@inheritDoc}
   *
   * <p>The application's deferred context is taken now (Spring's filters wrap it in a new deferred
   * context, which must not reach this one again); whether the thread is in a job is decided when
   * the context is read.
   */
  @Override
  public Supplier<SecurityContext> getDeferredContext() {
    settle();
    Supplier<SecurityContext> own = delegate.getDeferredContext();
    return () -> Baton.isBound() ? callersContext(own) : own.get();
  }

  private SecurityContext callersContext(Supplier<SecurityContext> own) {
    Optional<AccessToken> caller = Baton.currentToken();
    if (caller.isEmpty()) {
      return new CallerSecurityContext();
    }
    AccessToken token = caller.get();
    SecurityContext context = own.get();
    if (isFor(context.getAuthentication(), token)) {
      return context;
    }
    return new CallerSecurityContext(cache.get(token, authentications::of));
  }

  @Override
  public void setContext(SecurityContext context) {
    Objects.requireNonNull(context, "context");
    beforeWrite();
    if (context instanceof CallerSecurityContext) {
      delegate.clearContext();
    } else {
      delegate.setContext(context);
    }
  }

  @Override
  public void setDeferredContext(Supplier<SecurityContext> deferredContext) {
    Objects.requireNonNull(deferredContext, "deferredContext");
    beforeWrite();
    delegate.setDeferredContext(deferredContext);
  }

  @Override
  public void clearContext() {
    beforeWrite();
    delegate.clearContext();
  }

  @Override
  public SecurityContext createEmptyContext() {
    return delegate.createEmptyContext();
  }

  /**
   * Puts the thread's own context back if a write replaced it under a binding that the thread no
   * longer acts as. One thread-local read when nothing was written under a binding.
   */
  private void settle() {
    Replaced r = REPLACED.get();
    if (r != null && !r.isUnder(CallerBinding.current())) {
      REPLACED.remove();
      r.strategy().setDeferredContext(r.own());
    }
  }

  /** Keeps the thread's own context before the first write under the current binding. */
  private void beforeWrite() {
    settle();
    CallerBinding binding = CallerBinding.current();
    if (binding != null && REPLACED.get() == null) {
      REPLACED.set(
          new Replaced(new WeakReference<>(binding), delegate, delegate.getDeferredContext()));
    }
  }

  /**
   * The thread's own context in the application's strategy, and the binding under which a write
   * replaced it. The binding is held weakly, so that a pooled thread's record never keeps a
   * caller's token reachable after the job; once collected, the own context is put back at the
   * next call, which a job cannot tell apart: inside a job, reads answer its caller whatever the
   * thread's own context holds.
   */
  private record Replaced(WeakReference<CallerBinding> binding,
      SecurityContextHolderStrategy strategy, Supplier<SecurityContext> own) {
    boolean isUnder(@Nullable CallerBinding current) {
      CallerBinding made = binding.get();
      return made != null && made.equals(current);
    }
  }

  /** Whether {@code authentication} is Spring's own, for the caller's bearer token. */
  private static boolean isFor(@Nullable Authentication authentication, AccessToken caller) {
    return authentication instanceof AbstractOAuth2TokenAuthenticationToken<?> bearer
        && bearer.isAuthenticated()
        && bearer.getToken().getTokenValue().equals(caller.token());
  }

  /** A context this strategy answered; {@link #setContext} recognizes it. */
  static final class CallerSecurityContext extends SecurityContextImpl {
    private static final long serialVersionUID = 1L;

    /** An empty context: the job has no caller, or its token has expired. */
    CallerSecurityContext() {}

    CallerSecurityContext(Authentication authentication) {
      super(authentication);
    }

    @Override
    public void setAuthentication(@Nullable Authentication authentication) {
      throw new UnsupportedOperationException(
          "a job's security context is its caller's; set a new context with "
              + "SecurityContextHolder.setContext instead");
    }
  }
}
