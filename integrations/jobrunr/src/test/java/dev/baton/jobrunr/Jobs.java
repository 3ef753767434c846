package dev.baton.jobrunr;

import dev.baton.AccessToken;
import dev.baton.Baton;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The jobs the in-JVM tests enqueue: static methods (JobRunr runs them without an IoC container)
 * that record which caller each run saw. Tests reset what they use.
 */
public final class Jobs {
  /** What a run saw when no token was current. */
  public static final String NONE = "<none>";

  /** Every run of every tag, in order: the subject it saw. */
  static final Map<String, List<String>> RUNS = new ConcurrentHashMap<>();
  static final Map<String, AtomicInteger> FAILURES_LEFT = new ConcurrentHashMap<>();
  static final Map<String, CountDownLatch> GATES = new ConcurrentHashMap<>();
  static volatile Runnable onFailure = () -> {};

  private Jobs() {}

  static String seen() {
    return Baton.currentToken().map(Jobs::subject).orElse(NONE);
  }

  static String subject(AccessToken token) {
    return String.valueOf(token.claims().get("sub"));
  }

  static List<String> runs(String tag) {
    return RUNS.getOrDefault(tag, List.of());
  }

  /** Records the caller. */
  public static void record(String tag) {
    RUNS.computeIfAbsent(tag, t -> new CopyOnWriteArrayList<>()).add(seen());
  }

  /** Records the caller, then fails while the tag has failures left. */
  public static void recordThenFail(String tag) {
    record(tag);
    AtomicInteger left = FAILURES_LEFT.get(tag);
    if (left != null && left.getAndDecrement() > 0) {
      onFailure.run();
      throw new IllegalStateException("planned failure of " + tag);
    }
  }

  /** Records the caller, then waits (at most 5 min) for the test to open the tag's gate. */
  public static void recordThenWait(String tag) throws InterruptedException {
    record(tag);
    CountDownLatch gate = GATES.computeIfAbsent(tag, t -> new CountDownLatch(1));
    if (!gate.await(5, TimeUnit.MINUTES)) {
      throw new IllegalStateException("gate of " + tag + " never opened");
    }
  }
}
