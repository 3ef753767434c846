package dev.baton.tck;

import static dev.baton.tck.Checks.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.baton.TaskKey;
import dev.baton.store.TokenStoreException;
import dev.baton.TokenSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jspecify.annotations.Nullable;
import dev.baton.store.TokenSnapshotStore;
import org.junit.jupiter.api.Test;

/**
 * Backend failures (optional, needs {@code failureInjection()}): surface as
 * {@link TokenStoreException}, never as an empty result, and never carry the token.
 */
interface FailureChecks {

  // The checks reach the running check's fixture through the verification that implements this
  // interface; private, so that nothing here becomes API of the implementer's class.
  private Fixture fixture() {
    return Checks.fixtureOf(this);
  }

  private TokenSnapshotStore store() {
    return fixture().store();
  }


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
  default void load_whenBackendFails_throwsTokenStoreException() throws Exception {
    duringOutage(key -> assertStoreFailure(() -> store().load(key), "load"));
  }

  @Test
  default void save_whenBackendFails_throwsTokenStoreException() throws Exception {
    duringOutage(key ->
        assertStoreFailure(() -> store().save(key, Samples.numbered(1), fixture().longTtl()),
            "save"));
  }

  @Test
  default void delete_whenBackendFails_throwsTokenStoreException() throws Exception {
    duringOutage(key -> assertStoreFailure(() -> store().delete(key), "delete"));
  }

  @Test
  default void touch_whenBackendFails_throwsTokenStoreException() throws Exception {
    fixture().assumeTouch();
    duringOutage(key ->
        assertStoreFailure(() -> store().touch(key, fixture().longTtl()), "touch"));
  }

  @Test
  default void take_whenBackendFails_throwsTokenStoreException() throws Exception {
    fixture().assumeTake();
    duringOutage(key -> assertStoreFailure(() -> store().take(key), "take"));
  }

  @Test
  default void storeErrors_neverContainTheToken() throws Exception {
    List<TokenSnapshot> probes = Samples.leakProbes();
    var keys = new ArrayList<TaskKey>();
    for (int i = 0; i < probes.size(); i++) {
      TaskKey key = fixture().key("leak-probe-" + i);
      store().save(key, probes.get(i), fixture().longTtl());
      keys.add(key);
    }
    duringOutage(unused -> {
      for (int i = 0; i < probes.size(); i++) {
        TokenSnapshot probe = probes.get(i);
        TaskKey key = keys.get(i);
        var thrown = new LinkedHashMap<String, Throwable>();
        put(thrown, "save", catchThrowable(() -> store().save(key, probe, fixture().longTtl())));
        put(thrown, "saveAsync",
            failureOf(() -> store().saveAsync(key, probe, fixture().longTtl())));
        put(thrown, "saveAllAsync",
            failureOf(() -> store().saveAllAsync(List.of(key), probe, fixture().longTtl())));
        put(thrown, "load", catchThrowable(() -> store().load(key)));
        put(thrown, "delete", catchThrowable(() -> store().delete(key)));
        if (store().capabilities().touch()) {
          put(thrown, "touch", catchThrowable(() -> store().touch(key, fixture().longTtl())));
        }
        if (store().capabilities().take()) {
          put(thrown, "take", catchThrowable(() -> store().take(key)));
        }
        Map<String, String> forms = TokenForms.of(probe);
        thrown.forEach((operation, top) -> {
          String text = allText(top);
          forms.forEach((form, value) -> assertThat(text).as(rule(
                  "a store error's message (and its causes' and suppressed exceptions') never"
                      + " contains the bearer token, in any form: " + operation + " leaked it "
                      + form,
                  "that exceptions name the operation and key only, never the value, the encoded"
                      + " snapshot or the statement that carried it (hex, Base64, byte lists and"
                      + " URL-encoded forms count, of the token and of the value as stored)"))
              .doesNotContain(value));
        });
      }
    });
  }

  /** What {@code call} threw, or failed its stage with; null when the stage completed normally. */
  private @Nullable Throwable failureOf(Supplier<CompletionStage<Void>> call) {
    return catchThrowable(() -> {
      Throwable failed = StageOutcome.await(call.get(), fixture().config.timeout).failure();
      if (failed != null) {
        throw failed;
      }
    });
  }

  private static void put(Map<String, Throwable> thrown, String operation,
      @Nullable Throwable t) {
    if (t != null) {
      thrown.put(operation, t);
    }
  }

  /** The messages and strings of {@code t}, its causes and suppressed exceptions. */
  private static String allText(@Nullable Throwable t) {
    var out = new StringBuilder();
    var seen = new java.util.IdentityHashMap<Throwable, Boolean>();
    var todo = new java.util.ArrayDeque<Throwable>();
    if (t != null) {
      todo.add(t);
    }
    while (!todo.isEmpty()) {
      Throwable next = todo.poll();
      if (seen.put(next, Boolean.TRUE) != null) {
        continue;
      }
      out.append(next.getMessage()).append('\n').append(next).append('\n');
      if (next.getCause() != null) {
        todo.add(next.getCause());
      }
      todo.addAll(java.util.List.of(next.getSuppressed()));
    }
    return out.toString();
  }

  @Test
  default void store_afterOutageEnds_worksAgain() throws Exception {
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
