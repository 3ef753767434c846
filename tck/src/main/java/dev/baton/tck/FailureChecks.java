package dev.baton.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.baton.TaskKey;
import dev.baton.store.TokenStoreException;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Backend failures (optional, needs {@code failureInjection()}): surface as
 * {@link TokenStoreException}, never as an empty result, and never carry the token.
 */
abstract class FailureChecks extends Checks {

  /** Saves an entry, starts an outage, runs {@code during}, ends the outage. */
  private void duringOutage(Consumer<TaskKey> during) throws Exception {
    FailureInjector injector = fixture().assumeFailureInjection();
    TaskKey key = fixture().key("outage");
    store().save(key, Samples.rich(), fixture().longTtl());
    try (FailureInjector.Outage outage = injector.begin(store())) {
      assertThat(outage).as("FailureInjector.begin returned null").isNotNull();
      during.accept(key);
    }
  }

  private static void assertStoreFailure(ThrowingCallable call, String operation) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).as(rule(
            operation + " during a backend outage throws TokenStoreException (it must not return"
                + " an empty or false result as if nothing were stored)",
            "that backend errors are mapped to TokenStoreException in one place and never"
                + " caught and turned into Optional.empty() or false"))
        .isInstanceOf(TokenStoreException.class);
  }

  @Test
  void load_whenBackendFails_throwsTokenStoreException() throws Exception {
    duringOutage(key -> assertStoreFailure(() -> store().load(key), "load"));
  }

  @Test
  void save_whenBackendFails_throwsTokenStoreException() throws Exception {
    duringOutage(key ->
        assertStoreFailure(() -> store().save(key, Samples.numbered(1), fixture().longTtl()),
            "save"));
  }

  @Test
  void delete_whenBackendFails_throwsTokenStoreException() throws Exception {
    duringOutage(key -> assertStoreFailure(() -> store().delete(key), "delete"));
  }

  @Test
  void touch_whenBackendFails_throwsTokenStoreException() throws Exception {
    fixture().assumeTouch();
    duringOutage(key ->
        assertStoreFailure(() -> store().touch(key, fixture().longTtl()), "touch"));
  }

  @Test
  void take_whenBackendFails_throwsTokenStoreException() throws Exception {
    fixture().assumeTake();
    duringOutage(key -> assertStoreFailure(() -> store().take(key), "take"));
  }

  @Test
  void storeErrors_neverContainTheToken() throws Exception {
    String token = Samples.richToken().token();
    duringOutage(key -> {
      Throwable thrown = catchThrowable(
          () -> store().save(key, Samples.rich(), fixture().longTtl()));
      for (Throwable t = thrown; t != null; t = t.getCause()) {
        assertThat(String.valueOf(t.getMessage()) + " " + t).as(rule(
                "a store error's message (and its causes') never contains the bearer token",
                "that exceptions name the operation and key only, never the value or the"
                    + " encoded snapshot"))
            .doesNotContain(token);
        if (t.getCause() == t) {
          break;
        }
      }
    });
  }

  @Test
  void store_afterOutageEnds_worksAgain() throws Exception {
    duringOutage(key -> {
      var unused = catchThrowable(() -> store().load(key)); // any outcome: only the outage counts
    });
    TaskKey key = fixture().key("after-outage");
    long deadline = System.nanoTime() + fixture().config.timeout.toNanos();
    @Nullable Throwable last = null;
    while (System.nanoTime() < deadline) {
      try {
        store().save(key, Samples.numbered(7), fixture().longTtl());
        assertThat(store().load(key)).contains(Samples.numbered(7));
        return;
      } catch (TokenStoreException e) {
        last = e;
        Fixture.sleepNanos(20_000_000L);
      }
    }
    throw new AssertionError(rule(
        "after an outage ends, the store works again within " + fixture().config.timeout,
        "that the store reconnects by itself and is not left in a failed state (or raise"
            + " baton.tck.timeout)"), last);
  }
}
