package dev.baton.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The kit tests itself: correct stores pass every check (none silently skipped), and each
 * deliberately broken store fails — with the rule that names its bug.
 */
class KitCatchesBrokenStoresTest {
  /** Named checks, the three properties among them; the README's list must match. */
  static final int CHECKS = 94;

  private static final Map<Class<?>, KitRun> RUNS = new ConcurrentHashMap<>();

  /** The results of one verification class. */
  record KitRun(Class<?> verification, EngineExecutionResults results, Duration time) {
    Stream<Event> failed() {
      return results.testEvents().failed().stream();
    }

    long failures() {
      return failed().count();
    }

    String summary() {
      var t = results.testEvents();
      return verification.getSimpleName() + ": " + t.succeeded().count() + " passed, "
          + t.failed().count() + " failed, " + t.aborted().count() + " aborted, "
          + t.skipped().count() + " skipped in " + time.toMillis() + "ms; failed checks "
          + failed().map(KitRun::name).toList();
    }

    /** The check's method name. */
    static String name(Event e) {
      return e.getTestDescriptor().getLegacyReportingName();
    }

    static String message(Event e) {
      return e.getPayload(TestExecutionResult.class)
          .flatMap(TestExecutionResult::getThrowable)
          .map(t -> t.getClass().getSimpleName() + ": " + t.getMessage())
          .orElse("");
    }
  }

  static KitRun run(Class<?> verification) {
    return RUNS.computeIfAbsent(verification, c -> {
      long start = System.nanoTime();
      EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
          .selectors(selectClass(c))
          .execute();
      return new KitRun(c, results, Duration.ofNanos(System.nanoTime() - start));
    });
  }

  /**
   * Requires that the check named {@code check} failed, with a message containing
   * {@code messagePart} (the rule the kit states for it).
   */
  static void requireTestFailure(KitRun run, String check, String messagePart) {
    List<Event> matching = run.failed()
        .filter(e -> KitRun.name(e).startsWith(check))
        .toList();
    assertThat(matching)
        .as("%s must fail check %s; %s", run.verification().getSimpleName(), check, run.summary())
        .isNotEmpty();
    assertThat(matching.stream().map(KitRun::message).collect(Collectors.joining("\n")))
        .as("failure message of %s for %s", check, run.verification().getSimpleName())
        .contains(messagePart)
        .contains("if this fails, check")
        .contains("[" + FailureWording.storeName(run.verification()) + "]");
  }

  static void requireFailures(Class<?> verification) {
    KitRun run = run(verification);
    assertThat(run.failures()).as(run.summary()).isPositive();
  }

  static void requireModelFailure(Class<?> verification) {
    KitRun run = run(verification);
    assertThat(run.failed().map(KitRun::name))
        .as("the model-based property must catch %s; %s", verification.getSimpleName(),
            run.summary())
        .anyMatch(n -> n.startsWith("stateful_"));
  }

  // ---- correct stores ---------------------------------------------------------------------------

  private static void requireAllPass(Class<?> verification, int skipped) {
    KitRun run = run(verification);
    assertThat(run.failed().map(e -> KitRun.name(e) + " -> " + KitRun.message(e)))
        .as(run.summary()).isEmpty();
    assertThat(run.results().testEvents().succeeded().count()).as(run.summary())
        .isEqualTo(CHECKS - skipped);
    assertThat(run.results().testEvents().aborted().count()).as(run.summary())
        .isEqualTo(skipped);
    assertThat(CHECKS).isGreaterThanOrEqualTo(40);
  }

  @Test
  void referenceStore_passesEveryCheck_noneSkipped() {
    requireAllPass(Verifications.Reference.class, 0);
  }

  @Test
  void referenceStoreOnRealTime_passesEveryCheck_noneSkipped() {
    requireAllPass(Verifications.ReferenceOnRealTime.class, 0);
  }

  @Test
  void referenceStoreWithSecondGranularity_passesEveryCheck_noneSkipped() {
    requireAllPass(Verifications.ReferenceWithSecondGranularity.class, 0);
  }

  @Test
  void storeWithoutOptionalFeatures_skipsThoseChecksWithAReason_andPassesTheRest() {
    KitRun run = run(Verifications.ReferenceWithoutOptionalFeatures.class);
    List<String> reasons = run.results().testEvents().aborted().stream()
        .map(e -> KitRun.name(e) + ": " + e.getPayload(TestExecutionResult.class)
            .flatMap(TestExecutionResult::getThrowable).map(Throwable::getMessage).orElse(""))
        .toList();
    assertThat(reasons).as(run.summary())
        .anyMatch(r -> r.startsWith("take_concurrentTakers") && r.contains("does not declare take"))
        .anyMatch(r -> r.startsWith("touch_longerTtl") && r.contains("does not declare touch"))
        .anyMatch(r -> r.startsWith("save_oversizedSnapshot") && r.contains("no size limit"))
        .anyMatch(r -> r.startsWith("load_whenBackendFails") && r.contains("failureInjection()"))
        .allMatch(r -> r.contains("skipped"));
    long skipped = reasons.size();
    requireAllPass(Verifications.ReferenceWithoutOptionalFeatures.class, (int) skipped);
  }

  // ---- broken stores ----------------------------------------------------------------------------

  @Test
  void ignoresTtl_isCaught() {
    Class<?> c = Verifications.IgnoresTtl.class;
    requireFailures(c);
    requireTestFailure(run(c), "load_afterTtl_isEmpty",
        "an entry is gone once its TTL has elapsed");
    requireModelFailure(c);
  }

  @Test
  void expiresEarly_isCaught() {
    Class<?> c = Verifications.ExpiresEarly.class;
    requireFailures(c);
    requireTestFailure(run(c), "load_beforeTtl_isPresent", "readable until its TTL has elapsed");
    requireModelFailure(c);
  }

  @Test
  void keepsFirstValueOnOverwrite_isCaught() {
    Class<?> c = Verifications.KeepsFirstValue.class;
    requireFailures(c);
    requireTestFailure(run(c), "save_twice_loadReturnsTheLatest",
        "a second save to a key replaces");
    requireModelFailure(c);
  }

  @Test
  void leaksAcrossScopes_isCaught() {
    Class<?> c = Verifications.LeaksAcrossScopes.class;
    requireFailures(c);
    requireTestFailure(run(c), "sameTaskId_inDifferentScopes_areSeparateEntries",
        "one caller cannot read another's snapshot");
    requireModelFailure(c);
  }

  @Test
  void collidingKeyEncoding_isCaught() {
    Class<?> c = Verifications.CollidingKeys.class;
    requireFailures(c);
    requireTestFailure(run(c), "keys_differingOnlyBySeparatorPlacement_neverCollide",
        "name different entries");
    requireModelFailure(c);
  }

  @Test
  void caseInsensitiveKeys_isCaught() {
    Class<?> c = Verifications.CaseInsensitiveKeys.class;
    requireFailures(c);
    requireTestFailure(run(c), "keys_differingOnlyByCase_neverCollide", "in letter case");
  }

  @Test
  void valueAfterDelete_isCaught() {
    Class<?> c = Verifications.ValueAfterDelete.class;
    requireFailures(c);
    requireTestFailure(run(c), "delete_existing_returnsTrueThenLoadIsEmpty",
        "after delete, load is empty");
    requireModelFailure(c);
  }

  @Test
  void sharedMutableValue_isCaught() {
    Class<?> c = Verifications.SharedMutableValue.class;
    requireFailures(c);
    requireTestFailure(run(c), "save_toOneKey_leavesOtherKeysUnchanged", "do not share a mutable");
  }

  @Test
  void swallowsStoreErrors_isCaught() {
    Class<?> c = Verifications.SwallowsErrors.class;
    requireFailures(c);
    requireTestFailure(run(c), "load_whenBackendFails_throwsTokenStoreException",
        "must not return an empty or false result");
  }

  @Test
  void truncatesClaims_isCaught() {
    Class<?> c = Verifications.TruncatesClaims.class;
    requireFailures(c);
    requireTestFailure(run(c), "load_snapshotOfHalfTheSizeLimit_roundTrips", "are not truncated");
    requireModelFailure(c);
  }

  @Test
  void nonAtomicTake_isCaught() {
    Class<?> c = Verifications.NonAtomicTake.class;
    requireFailures(c);
    requireTestFailure(run(c), "take_concurrentTakers_exactlyOneGetsTheSnapshot",
        "exactly one gets the snapshot");
  }

  @Test
  void touchThatIgnoresTtl_isCaught() {
    Class<?> c = Verifications.TouchIgnoresTtl.class;
    requireFailures(c);
    requireTestFailure(run(c), "touch_longerTtl_keepsEntryPastOriginalExpiry",
        "touch extends the TTL");
    requireModelFailure(c);
  }

  @Test
  void lenientArguments_isCaught() {
    Class<?> c = Verifications.LenientArguments.class;
    requireFailures(c);
    requireTestFailure(run(c), "save_zeroTtl_throwsIaeAndStoresNothing",
        "save with a zero TTL throws IllegalArgumentException");
    requireTestFailure(run(c), "save_oversizedSnapshot_throwsIaeAndStoresNothing",
        "larger than maxSnapshotBytes()");
  }

  @Test
  void ignoresClose_isCaught() {
    Class<?> c = Verifications.IgnoresClose.class;
    requireFailures(c);
    requireTestFailure(run(c), "load_afterClose_throwsIse", "on a closed store throws");
  }

  @Test
  void millisecondDeadlines_isCaught() {
    Class<?> c = Verifications.MillisecondDeadlines.class;
    requireTestFailure(run(c), "load_unalignedTtl_isPresentJustBeforeAndGoneJustAfterItsDeadline",
        "readable until one granularity before its TTL, at any precision");
    requireTestFailure(run(c), "load_ttlOfOneGranularity_isPresentWhenSavedAndGoneAfterIt",
        "is readable at the instant it was saved");
  }

  @Test
  void staleReadOnceOnRealTime_isCaught() {
    Class<?> c = Verifications.StaleReadOnceOnRealTime.class;
    requireTestFailure(run(c), "load_afterTtl_isEmpty", "a single load");
  }

  @Test
  void hashedKeys_isCaught() {
    Class<?> c = Verifications.HashedKeys.class;
    requireTestFailure(run(c), "keys_withEqualStringHashCodes_neverCollide",
        "String.hashCode() is equal");
  }

  @Test
  void likeMatchingKeys_isCaught() {
    Class<?> c = Verifications.LikeMatchingKeys.class;
    requireTestFailure(run(c), "keys_differingOnlyByEscapedForm_neverCollide",
        "in a character versus its escaped form");
  }

  @Test
  void hexTokenInErrors_isCaught() {
    Class<?> c = Verifications.LeaksHexTokenInErrors.class;
    requireTestFailure(run(c), "storeErrors_neverContainTheToken", "found it hex");
  }

  @Test
  void base64SnapshotInCause_isCaught() {
    Class<?> c = Verifications.LeaksBase64SnapshotInCause.class;
    requireTestFailure(run(c), "storeErrors_neverContainTheToken", "found it Base64@");
  }

  @Test
  void latin1Text_isCaught() {
    Class<?> c = Verifications.Latin1Text.class;
    requireTestFailure(run(c), "load_unicodeText_roundTripsExactly", "loads unchanged");
  }

  @Test
  void saveAsyncThatThrowsBackendFailures_isCaught() {
    Class<?> c = Verifications.ThrowsFromSaveAsync.class;
    requireTestFailure(run(c), "saveAsync_whenBackendFails_failsTheStageWithTokenStoreException",
        "saveAsync during a backend outage does not throw");
  }

  @Test
  void saveAsyncThatCompletesBeforeTheWriteIsVisible_isCaught() {
    Class<?> c = Verifications.CompletesBeforeWriting.class;
    requireTestFailure(run(c), "saveAsync_whenStageCompletes_loadReturnsTheSnapshot",
        "once the stage of saveAsync has completed, load returns the snapshot saved");
    requireTestFailure(run(c), "saveAsync_beforeTtl_isPresent", "readable until its TTL");
  }

  @Test
  void storeThatThrows_failureStartsWithTheRule_andKeepsTheStoresException() {
    KitRun run = run(Verifications.ThrowsOnTouch.class);
    requireTestFailure(run, "touch_liveEntry_returnsTrue", "the store threw");
    assertThat(run.failed().filter(e -> KitRun.name(e).startsWith("touch_liveEntry_returnsTrue"))
            .map(KitRun::message))
        .singleElement().asString()
        .startsWith("AssertionError: check touch_liveEntry_returnsTrue: touch, live entry, returns"
            + " true [Verifications$ThrowsOnTouch]: the store threw"
            + " java.lang.UnsupportedOperationException: touch is not implemented yet");
  }

  /** Prints which checks caught which store: the table in the README comes from here. */
  @Test
  void everyBrokenStore_failsAtLeastOneCheck() {
    List<Class<?>> broken = List.of(Verifications.IgnoresTtl.class,
        Verifications.ExpiresEarly.class, Verifications.KeepsFirstValue.class,
        Verifications.LeaksAcrossScopes.class, Verifications.CollidingKeys.class,
        Verifications.CaseInsensitiveKeys.class, Verifications.ValueAfterDelete.class,
        Verifications.SharedMutableValue.class, Verifications.SwallowsErrors.class,
        Verifications.TruncatesClaims.class, Verifications.NonAtomicTake.class,
        Verifications.TouchIgnoresTtl.class, Verifications.LenientArguments.class,
        Verifications.IgnoresClose.class, Verifications.MillisecondDeadlines.class,
        Verifications.StaleReadOnceOnRealTime.class, Verifications.HashedKeys.class,
        Verifications.LikeMatchingKeys.class, Verifications.LeaksHexTokenInErrors.class,
        Verifications.LeaksBase64SnapshotInCause.class, Verifications.Latin1Text.class,
        Verifications.ThrowsFromSaveAsync.class, Verifications.CompletesBeforeWriting.class);
    for (Class<?> c : broken) {
      KitRun run = run(c);
      System.out.println("[baton-tck self-test] " + run.summary());
      assertThat(run.failures()).as(run.summary()).isPositive();
    }
    assertThat(broken).hasSize(23);
  }
}
