package dev.baton.spring.boot;

import dev.baton.store.TokenStoreException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a store that cannot be opened at startup into Spring Boot's "APPLICATION FAILED TO START"
 * report: what {@code baton.store} names (user info and parameter values removed), Baton's reason,
 * and what to do, instead of Baton's message several causes deep in a stack trace. The store's
 * message names parameters and servers, never a token, a password or a key.
 *
 * <p>Registered in {@code META-INF/spring.factories}; stateless.
 */
final class BatonStoreFailureAnalyzer extends AbstractFailureAnalyzer<StoreOpenException> {

  /** Created by Spring Boot. */
  BatonStoreFailureAnalyzer() {}

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, StoreOpenException cause) {
    Throwable reason = cause.getCause();
    String description =
        String.format(
            "Baton could not open its token snapshot store.%n%n    Property: baton.store%n"
                + "    Value: %s%n    Reason: %s",
            cause.store(),
            reason == null ? cause.getMessage() : reason.getMessage());
    return new FailureAnalysis(description, action(reason), cause);
  }

  private static String action(@Nullable Throwable reason) {
    if (reason instanceof TokenStoreException) {
      return "Make sure the store server baton.store names is running and reachable from this "
          + "application (host, port, TLS and credentials). Baton refuses to start without its "
          + "store rather than run jobs that cannot find their caller.";
    }
    return "Correct baton.store: the scheme (memory:, redis://, rediss://, redis-cluster://, with "
        + "that store's module on the class path) and its parameters, which are matched exactly "
        + "(sealingKeys, not sealingkeys), are listed in the store module's README. A sealingKeys "
        + "reference (env:NAME, file:PATH) must name a set variable or a readable file that holds "
        + "the key ring.";
  }
}
