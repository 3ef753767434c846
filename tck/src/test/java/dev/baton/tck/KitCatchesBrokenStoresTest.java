package dev.baton.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

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
  /**
   * Every check of the kit, the properties among them: counted from the kit's {@code @Test}
   * methods, never written down by hand (the README states it, and {@link KitReadmeTest} checks
   * that every mention agrees).
   */
  static final int CHECKS = KitReadmeTest.countChecks();

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

  /** Passes every check but {@code notApplicable}, which are skipped, each with its reason. */
  private static void requireAllPassExcept(Class<?> verification, Map<String, String> notApplicable) {
    KitRun run = run(verification);
    Map<String, String> reasons = run.results().testEvents().aborted().stream()
        .collect(Collectors.toMap(KitRun::name, e -> e.getPayload(TestExecutionResult.class)
            .flatMap(TestExecutionResult::getThrowable).map(Throwable::getMessage).orElse("")));
    assertThat(reasons.keySet()).as(run.summary())
        .containsExactlyInAnyOrderElementsOf(notApplicable.keySet());
    notApplicable.forEach((check, reason) -> assertThat(reasons.get(check))
        .as("reason %s gives for skipping %s", verification.getSimpleName(), check)
        .contains(reason).endsWith("skipped"));
    requireAllPass(verification, notApplicable.size());
  }

  @Test
  void referenceStore_passesEveryCheck_noneSkipped() {
    requireAllPass(Verifications.Reference.class, 0);
  }

  @Test
  void referenceStoreOnRealTime_passesEveryCheck_skippingOnlyWhatRealTimeCannotShow() {
    requireAllPassExcept(Verifications.ReferenceOnRealTime.class, Map.of(
        "load_ttlOfOneGranularity_isPresentWhenSaved()", "not applicable on real time",
        "load_subMillisecondTtl_isPresentUntilJustBeforeItsDeadline_onEveryTry()",
        "granularity of PT0.001S"));
  }

  @Test
  void referenceStoreOnRealTimeInMicroseconds_passesTheSubMillisecondCheck() {
    requireAllPassExcept(Verifications.ReferenceOnRealTimeMicros.class, Map.of(
        "load_ttlOfOneGranularity_isPresentWhenSaved()", "not applicable on real time"));
  }

  @Test
  void referenceStoreWithSecondGranularity_passesEveryCheck_butTheSubMillisecondOne() {
    requireAllPassExcept(Verifications.ReferenceWithSecondGranularity.class, Map.of(
        "load_subMillisecondTtl_isPresentUntilJustBeforeItsDeadline_onEveryTry()",
        "granularity of PT1S"));
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
        .anyMatch(r -> r.startsWith("sealedValues_everyValueSample")
            && r.contains("createSealedStore"))
        .anyMatch(r -> r.startsWith("sealedValues_generatedSnapshots")
            && r.contains("createSealedStore"))
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
    requireTestFailure(run(c), "load_ttlOfOneGranularity_isPresentWhenSaved",
        "is readable at the instant it was saved");
    requireTestFailure(run(c),
        "load_subMillisecondTtl_isPresentUntilJustBeforeItsDeadline_onEveryTry",
        "is readable until one granularity before its deadline, on every try");
  }

  /**
   * Whole-millisecond deadlines on real time, declared precise to the microsecond: only the
   * repeated sub-millisecond check can tell, and on a real clock it is a matter of chance per try.
   * Runs that check alone {@value #CATCH_RATE_RUNS} times and prints the catch rate (the README
   * states it); every run must catch the store or say it could not time a try — never pass it.
   */
  @Test
  void millisecondDeadlinesOnRealTime_areCaughtByTheSubMillisecondCheck_measuredRate() {
    String check = "load_subMillisecondTtl_isPresentUntilJustBeforeItsDeadline_onEveryTry";
    int caught = 0;
    int inconclusive = 0;
    for (int i = 0; i < CATCH_RATE_RUNS; i++) {
      var results = EngineTestKit.engine("junit-jupiter")
          .selectors(selectMethod(Verifications.MillisecondDeadlinesOnRealTime.class, check))
          .execute().testEvents();
      assertThat(results.succeeded().count()).as("run %s passed the broken store", i).isZero();
      caught += (int) results.failed().count();
      inconclusive += (int) results.aborted().count();
    }
    System.out.println("[baton-tck self-test] whole-millisecond deadlines on real time (declared"
        + " 1us): caught in " + caught + " of " + CATCH_RATE_RUNS + " runs of " + check + ", "
        + inconclusive + " inconclusive (no try fast enough)");
    assertThat(caught + inconclusive).isEqualTo(CATCH_RATE_RUNS);
    assertThat(caught).as("the check must catch the store in most runs").isPositive();
  }

  static final int CATCH_RATE_RUNS = 20;

  /** Deliberately broken stores run by the kit's self-test (the README's table lists each). */
  static final int BROKEN_STORES = 30;

  @Test
  void keepsText_passesPlainValues_butFailsSealedOnes() {
    KitRun run = run(Verifications.KeepsText.class);
    requireTestFailure(run, "sealedValues_everyValueSample_loadsEqualToSaved", "the store threw");
    requireTestFailure(run, "sealedValues_generatedSnapshots_loadEqualToSaved", "sealed");
    assertThat(run.failed().map(KitRun::name)).as(run.summary())
        .allMatch(n -> n.startsWith("sealedValues_"));
  }

  @Test
  void rejectsLongestTtls_isCaught() {
    Class<?> c = Verifications.RejectsLongestTtls.class;
    requireTestFailure(run(c), "save_longestTtls_areStoredLoadableAndTouchable",
        "save with a TTL of Duration.ofMillis(Long.MAX_VALUE) stores the entry");
  }

  @Test
  void valueBytesOnLoad_isCaught() {
    Class<?> c = Verifications.LeaksValueBytesOnLoad.class;
    requireTestFailure(run(c), "storeErrors_neverContainTheToken", "load leaked it byte list");
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
  void hexValueInErrors_isCaught() {
    Class<?> c = Verifications.LeaksHexValueInErrors.class;
    requireTestFailure(run(c), "storeErrors_neverContainTheToken", "save leaked it hex");
  }

  @Test
  void base64SnapshotInCause_isCaught() {
    Class<?> c = Verifications.LeaksBase64SnapshotInCause.class;
    requireTestFailure(run(c), "storeErrors_neverContainTheToken", "save leaked it Base64@");
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
  void batchThatIgnoresTheTtl_isCaught() {
    Class<?> c = Verifications.BatchIgnoresTtl.class;
    requireTestFailure(run(c), "saveAllAsync_afterTtl_everyKeyIsEmpty",
        "gone once its TTL has elapsed");
  }

  @Test
  void batchThatSwallowsBackendFailures_isCaught() {
    Class<?> c = Verifications.BatchSwallowsFailures.class;
    requireTestFailure(run(c), "saveAllAsync_whenBackendFails_failsTheStageNamingEveryKey",
        "fails with BatchSaveException");
  }

  @Test
  void batchThatReadsTheCallersKeysLate_isCaught() {
    Class<?> c = Verifications.BatchReadsKeysLate.class;
    requireTestFailure(run(c), "saveAllAsync_keysChangedAfterTheCall_storesTheKeysGiven",
        "the keys its collection held at the call");
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
        Verifications.LikeMatchingKeys.class, Verifications.LeaksHexValueInErrors.class,
        Verifications.LeaksBase64SnapshotInCause.class, Verifications.Latin1Text.class,
        Verifications.ThrowsFromSaveAsync.class, Verifications.CompletesBeforeWriting.class,
        Verifications.LeaksValueBytesOnLoad.class, Verifications.KeepsText.class,
        Verifications.RejectsLongestTtls.class,
        Verifications.MillisecondDeadlinesOnRealTime.class, Verifications.BatchIgnoresTtl.class,
        Verifications.BatchSwallowsFailures.class, Verifications.BatchReadsKeysLate.class);
    for (Class<?> c : broken) {
      KitRun run = run(c);
      System.out.println("[baton-tck self-test] " + run.summary());
      assertThat(run.failures()).as(run.summary()).isPositive();
    }
    assertThat(broken).hasSize(BROKEN_STORES);
  }
}
