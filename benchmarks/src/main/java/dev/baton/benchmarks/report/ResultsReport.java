package dev.baton.benchmarks.report;

import dev.baton.benchmarks.report.Target.Direction;
import dev.baton.benchmarks.report.Target.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Turns one run's outputs into {@code RESULTS.md}: a table per benchmark with each score, its error
 * and its ratio to each peer, and the targets of issues 17, 23, 27 and 28 marked met, missed or not
 * evaluated, and the measured cost of delegation (issue 29, which sets no limit).
 * Every figure comes from the run's outputs; nothing is filled in.
 *
 * <p>Ratios are Baton ÷ peer of the table's figure: of times (ns/op, lower is better) in the time
 * tables, of rates (ops/s, higher is better) in the throughput tables; each table's header says
 * which.
 */
public final class ResultsReport {
  /** "Today" for {@code currentToken()} in issue 17 was 45–51 ns; the target is half of 45 ns. */
  static final double CURRENT_TOKEN_LIMIT_NS = 22.5;

  static final String PROPAGATION = "PropagationBenchmark.";
  static final String CURRENT = "CurrentTokenBenchmark.";
  static final String CODEC = "CodecBenchmark.";
  static final String MEMORY = "MemoryStoreBenchmark.";
  static final String REDIS = "RedisBenchmark.";
  static final String BATCH = "RedisBatchBenchmark.";
  static final String JOBRUNR = "JobRunrBenchmark.";
  static final String AMQP = "AmqpBenchmark.";
  static final String DELEGATION = "DelegationBenchmark.";

  /** Issues 23 and 27: Baton's cost in JobRunr's and in Spring AMQP's path ≤ 1.1× without it. */
  static final double INTEGRATION_LIMIT = 1.1;

  private final RunOutputs run;
  private final JmhResults jmh;
  private final Map<String, String> notes;
  private final List<Target> targets = new ArrayList<>();
  private final StringBuilder body = new StringBuilder();

  private ResultsReport(RunOutputs run, Map<String, String> notes) {
    this.run = run;
    this.jmh = run.jmh();
    this.notes = Map.copyOf(notes);
  }

  /** Evaluates every section of the report for {@code run}. */
  public static ResultsReport of(RunOutputs run) {
    return of(run, Map.of());
  }

  /**
   * Evaluates every section of the report for {@code run}; {@code notes} (target id to text,
   * written by hand from profiles) are printed under the missed targets they name, marked as notes,
   * never as figures of the run.
   */
  public static ResultsReport of(RunOutputs run, Map<String, String> notes) {
    ResultsReport report = new ResultsReport(run, notes);
    report.propagation();
    report.currentToken();
    report.codec();
    report.memoryStore();
    report.redis();
    report.issue28();
    report.jobRunr();
    report.amqp();
    report.delegation();
    return report;
  }

  /** Every target, in the order of the issue. */
  public List<Target> targets() {
    return List.copyOf(targets);
  }

  /** The target with {@code id}. */
  public Target target(String id) {
    return targets.stream().filter(t -> t.id().equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no target " + id));
  }

  // ------------------------------------------------------------------ 1. propagation

  private void propagation() {
    section("1. In-process propagation");
    body.append("The same task wrapped by each system and run (a) on the calling thread, average"
        + " time per wrap + run, and (b) on a pool: batches of 1,000 `execute` calls waited for,"
        + " tasks per second. Every pool task checks that it saw its caller. B/op is `-prof gc`'s"
        + " allocation per task.\n\n");
    String[][] rows = {
        {"callerThreadBaton", "Baton `CallerBinding.capture().wrapRunnable(task)`"},
        {"callerThreadMicrometer", "Micrometer `ContextSnapshot.wrap` (1 accessor)"},
        {"callerThreadSpring", "Spring Security `DelegatingSecurityContextRunnable`"},
        {"callerThreadOtel", "OpenTelemetry `Context.wrap`"},
        {"callerThreadBare", "bare task (nothing propagated)"}};
    body.append("**(a) On the calling thread** (time: Baton ÷ row, below 1 = Baton faster)\n\n");
    List<Optional<JmhResult>> results = new ArrayList<>();
    for (String[] row : rows) {
      results.add(jmh.find(PROPAGATION + row[0], "avgt"));
    }
    table(rows, results, "ns/op");
    targets.add(fastestPeer("1.calling-thread", "Baton on the calling thread no slower than the"
        + " fastest peer (time ratio)", results.get(0), results.subList(1, 4), rows));

    for (String executor : List.of("platform8", "virtual")) {
      String label = executor.equals("virtual") ? "a virtual thread per task"
          : "a fixed pool of 8 platform threads";
      body.append("**(b) On ").append(label).append("** (`executor=").append(executor)
          .append("`; rate: Baton ÷ row, below 1 = Baton slower)\n\n");
      String[][] poolRows = {
          {"poolBaton", "Baton `baton.wrap(pool)`"},
          {"poolMicrometer", "Micrometer `ContextExecutorService.wrap`"},
          {"poolSpring", "Spring Security `DelegatingSecurityContextExecutorService`"},
          {"poolOtel", "OpenTelemetry `Context.taskWrapping`"},
          {"poolBare", "bare pool (unwrapped task)"}};
      List<Optional<JmhResult>> pool = new ArrayList<>();
      for (String[] row : poolRows) {
        pool.add(jmh.find(PROPAGATION + row[0], "thrpt", 1, Map.of("executor", executor)));
      }
      String idPrefix = "1.pool-" + executor;
      if (pool.get(0).isEmpty()) {
        String why = executor.equals("virtual")
            ? run.machineFact("virtual.threads", "not measured in this run")
            : "not measured in this run";
        body.append(why).append("\n\n");
        targets.add(Target.notEvaluated(idPrefix + "-fastest", "Baton on " + label
            + " no slower than the fastest peer (rate ratio)", Direction.AT_LEAST, 1, "x", why,
            true));
        targets.add(Target.notEvaluated(idPrefix + "-bare", "Baton on " + label
            + " ≥ 0.9× the unwrapped task rate", Direction.AT_LEAST, 0.9, "x", why, true));
        continue;
      }
      table(poolRows, pool, "tasks/s");
      targets.add(fastestPeer(idPrefix + "-fastest", "Baton on " + label
          + " no slower than the fastest peer (rate ratio)", pool.get(0), pool.subList(1, 4),
          poolRows));
      targets.add(ratioTarget(idPrefix + "-bare", "Baton on " + label
          + " ≥ 0.9× the unwrapped task rate", pool.get(0), pool.get(4), Direction.AT_LEAST, 0.9));
    }
  }

  /** Baton against the best of its peers: the lowest time or the highest rate. */
  private Target fastestPeer(String id, String what, Optional<JmhResult> baton,
      List<Optional<JmhResult>> peers, String[][] rows) {
    Optional<JmhResult> best = Optional.empty();
    String bestName = "";
    for (int i = 0; i < peers.size(); i++) {
      Optional<JmhResult> peer = peers.get(i);
      if (peer.isEmpty()) {
        return Target.notEvaluated(id, what, baton.map(ResultsReport::direction)
            .orElse(Direction.AT_MOST), 1, "x", "peer " + rows[i + 1][0] + " was not measured",
            true);
      }
      JmhResult p = peer.get();
      if (best.isEmpty() || (p.isRate() ? p.score() > best.get().score()
          : p.score() < best.get().score())) {
        best = peer;
        bestName = rows[i + 1][1];
      }
    }
    Direction direction = baton.map(ResultsReport::direction).orElse(Direction.AT_MOST);
    Target t = ratioTarget(id, what + "; fastest peer: " + bestName, baton, best, direction, 1);
    return t;
  }

  private static Direction direction(JmhResult r) {
    return r.isRate() ? Direction.AT_LEAST : Direction.AT_MOST;
  }

  // ------------------------------------------------------------------ 2. currentToken

  private void currentToken() {
    section("2. `Baton.currentToken()`");
    body.append("Average time per call (time: row ÷ `ThreadLocal.get()` and row ÷"
        + " `Clock.millis()`).\n\n");
    String[][] rows = {
        {"inTaskScope", "`Baton.currentToken()` in a task scope"},
        {"inRequestScope", "`Baton.currentToken()` in a request binding"},
        {"outsideScope", "`Baton.currentToken()` with no binding"},
        {"threadLocalPeer", "`ThreadLocal.get()`"},
        {"clockMillisPeer", "`Clock.millis()` (system clock)"},
        {"clockInstantPeer", "`Clock.instant()` (system clock)"},
        {"nanoTimePeer", "`System.nanoTime()`"}};
    Map<String, Optional<JmhResult>> found = new LinkedHashMap<>();
    for (String[] row : rows) {
      found.put(row[0], jmh.find(CURRENT + row[0], "avgt"));
    }
    Optional<JmhResult> threadLocal = found.getOrDefault("threadLocalPeer", Optional.empty());
    Optional<JmhResult> millis = found.getOrDefault("clockMillisPeer", Optional.empty());
    body.append("| what | ns/op | B/op | ÷ `ThreadLocal.get()` | ÷ `Clock.millis()` |\n");
    body.append("|---|---:|---:|---:|---:|\n");
    for (String[] row : rows) {
      Optional<JmhResult> r = found.getOrDefault(row[0], Optional.empty());
      body.append("| ").append(row[1]).append(" | ").append(scoreCell(r)).append(" | ")
          .append(allocCell(r)).append(" | ")
          .append(ratioCell(r, threadLocal)).append(" | ")
          .append(ratioCell(r, millis)).append(" |\n");
    }
    body.append('\n');
    for (String scope : List.of("inTaskScope", "inRequestScope")) {
      Optional<JmhResult> r = found.getOrDefault(scope, Optional.empty());
      String what = "`currentToken()` " + (scope.equals("inTaskScope") ? "in a task scope"
          : "in a request binding") + " ≤ half of today's 45 ns";
      targets.add(r.map(x -> Target.evaluate("2." + scope, what, x.score(), x.error(),
              Direction.AT_MOST, CURRENT_TOKEN_LIMIT_NS, "ns", false))
          .orElseGet(() -> Target.notEvaluated("2." + scope, what, Direction.AT_MOST,
              CURRENT_TOKEN_LIMIT_NS, "ns", "not measured in this run", false)));
    }
  }

  // ------------------------------------------------------------------ 3. codec

  private void codec() {
    section("3. Codec");
    body.append("Average time per round trip (encode, then decode) of the snapshot (time: row ÷"
        + " Jackson's `Map` round trip).\n\n");
    String[][] rows = {
        {"roundTripJson", "Baton JSON codec round trip"},
        {"roundTripSealed", "Baton sealing codec round trip (XAES-256-GCM)"},
        {"roundTripJacksonPeer", "Jackson databind `Map` round trip"},
        {"decodeJson", "Baton JSON decode alone"},
        {"decodeJacksonPeer", "Jackson databind `Map` decode alone"}};
    List<Optional<JmhResult>> results = new ArrayList<>();
    for (String[] row : rows) {
      results.add(jmh.find(CODEC + row[0], "avgt"));
    }
    body.append("| what | ns/op | B/op | ÷ Jackson round trip |\n|---|---:|---:|---:|\n");
    for (int i = 0; i < rows.length; i++) {
      Optional<JmhResult> peer = i >= 3 ? results.get(4) : results.get(2);
      body.append("| ").append(rows[i][1]).append(" | ").append(scoreCell(results.get(i)))
          .append(" | ").append(allocCell(results.get(i))).append(" | ")
          .append(ratioCell(results.get(i), peer)).append(i >= 3 ? " (÷ Jackson decode)" : "")
          .append(" |\n");
    }
    body.append('\n');
    targets.add(ratioTarget("3.json-vs-jackson", "JSON encode + decode ≤ 1.0× Jackson's Map round"
        + " trip", results.get(0), results.get(2), Direction.AT_MOST, 1.0));

    String sealingWhat = "sealing adds ≤ 3 µs per round trip (sealed − JSON round trip)";
    if (results.get(0).isPresent() && results.get(1).isPresent()) {
      JmhResult json = results.get(0).get();
      JmhResult sealed = results.get(1).get();
      double cost = sealed.score() - json.score();
      double error = sumOfErrors(sealed.error(), json.error());
      body.append("Sealing cost: ").append(fmt(cost)).append(" ± ").append(fmt(error))
          .append(" ns per round trip.\n\n");
      targets.add(Target.evaluate("3.sealing-cost", sealingWhat, cost, error, Direction.AT_MOST,
          3000, "ns", false));
    } else {
      targets.add(Target.notEvaluated("3.sealing-cost", sealingWhat, Direction.AT_MOST, 3000,
          "ns", "a round trip was not measured", false));
    }

    double tokenJson = run.footprintNumber("size.token.json.bytes");
    double storedJson = run.footprintNumber("size.stored.json.bytes");
    double storedSealed = run.footprintNumber("size.stored.sealed.bytes");
    body.append("Sizes (from `FootprintMain`): the token's JSON ").append(fmtBytes(tokenJson))
        .append(", stored by the JSON codec ").append(fmtBytes(storedJson)).append(" (")
        .append(fmtRatio(storedJson / tokenJson)).append("), sealed ").append(fmtBytes(storedSealed))
        .append(" (").append(fmtRatio(storedSealed / tokenJson)).append(").\n\n");
    for (String[] kind : new String[][] {{"sealed", "sealed"}, {"json", "JSON codec"}}) {
      double stored = kind[0].equals("sealed") ? storedSealed : storedJson;
      String what = "stored bytes (" + kind[1] + ") ≤ 1.15× the token's JSON";
      targets.add(Target.evaluate("3.size-" + kind[0], what, stored / tokenJson, Double.NaN,
          Direction.AT_MOST, 1.15, "x", false));
    }
  }

  // ------------------------------------------------------------------ 4. memory store

  private void memoryStore() {
    section("4. Memory store");
    body.append("Average time per save + load (object mode) vs raw Caffeine put + getIfPresent of"
        + " the same object (time: row ÷ Caffeine).\n\n");
    String[][] rows = {
        {"saveLoadStore", "`MemoryTokenSnapshotStore` save + load"},
        {"putGetCaffeinePeer", "raw Caffeine put + getIfPresent"},
        {"putGetCaffeinePerEntryTtlPeer",
            "raw Caffeine with a TTL per entry, as the store (`expireVariably().put` + getIfPresent)"}};
    List<Optional<JmhResult>> results = List.of(jmh.find(MEMORY + rows[0][0], "avgt"),
        jmh.find(MEMORY + rows[1][0], "avgt"), jmh.find(MEMORY + rows[2][0], "avgt"));
    body.append("| what | ns/op | B/op | ÷ Caffeine |\n|---|---:|---:|---:|\n");
    for (int i = 0; i < rows.length; i++) {
      body.append("| ").append(rows[i][1]).append(" | ").append(scoreCell(results.get(i)))
          .append(" | ").append(allocCell(results.get(i))).append(" | ")
          .append(ratioCell(results.get(i), results.get(1))).append(" |\n");
    }
    body.append('\n');
    targets.add(ratioTarget("4.save-load", "save + load ≤ 1.5× raw Caffeine put + getIfPresent",
        results.get(0), results.get(1), Direction.AT_MOST, 1.5));

    double entries = run.footprintNumber("heap.entries");
    body.append("Heap per entry with ").append(Double.isNaN(entries) ? "(not measured)"
        : String.format(Locale.ROOT, "%,.0f", entries)).append(" snapshots (heap after a full GC,"
        + " filled minus empty, ÷ entries; the task keys are counted):\n\n");
    body.append("| mode | payload | heap per entry | overhead |\n|---|---:|---:|---:|\n");
    for (String[] mode : new String[][] {{"object", "object mode (token shared by the entries)"},
        {"json", "bytes mode, JSON codec"}}) {
      double perEntry = run.footprintNumber("heap." + mode[0] + ".bytesPerEntry");
      double payload = run.footprintNumber("heap." + mode[0] + ".payloadBytes");
      body.append("| ").append(mode[1]).append(" | ").append(fmtBytes(payload)).append(" | ")
          .append(fmtBytes(perEntry)).append(" | ").append(fmtBytes(perEntry - payload))
          .append(" |\n");
      String what = "heap per entry (" + mode[0] + " mode) ≤ payload + 200 B";
      if (!Double.isNaN(entries) && entries < 1_000_000) {
        what += " (measured at " + String.format(Locale.ROOT, "%,.0f", entries)
            + " entries, not 1,000,000)";
      }
      targets.add(Target.evaluate("4.heap-" + mode[0], what, perEntry - payload, Double.NaN,
          Direction.AT_MOST, 200, "B over payload", false));
    }
    body.append('\n');
  }

  // ------------------------------------------------------------------ 5. redis

  private void redis() {
    section("5. Redis store");
    body.append("Capture + restore + cleanup per operation against `redis-server` on loopback,"
        + " production defaults (sealed), beside raw Lettuce doing the same commands with the same"
        + " bytes on one shared connection. Throughput (rate: Baton ÷ peer) and sampled time"
        + " (p50 / p99).\n\n");
    String[][] rows = {
        {"batonLoad", "Baton, `RestoreMode.LOAD` (SET PX, GET, DEL)"},
        {"batonLoadPlain", "Baton, `RestoreMode.LOAD`, plain codec (not sealed)"},
        {"rawLoadPeer", "raw Lettuce SET PX, GET, DEL"},
        {"batonTake", "Baton, `RestoreMode.TAKE` (SET PX, GETDEL)"},
        {"batonTakePlain", "Baton, `RestoreMode.TAKE`, plain codec (not sealed)"},
        {"rawTakePeer", "raw Lettuce SET PX, GETDEL"}};
    for (int threads : new int[] {1, 8}) {
      body.append("**").append(threads).append(threads == 1 ? " thread" : " threads")
          .append("**\n\n");
      body.append("| what | ops/s | p50 µs | p99 µs | B/op | Baton ÷ raw (rate) |\n")
          .append("|---|---:|---:|---:|---:|---:|\n");
      Map<String, Optional<JmhResult>> rate = new LinkedHashMap<>();
      for (String[] row : rows) {
        rate.put(row[0], jmh.find(REDIS + row[0], "thrpt", threads, Map.of()));
      }
      for (String[] row : rows) {
        Optional<JmhResult> r = rate.getOrDefault(row[0], Optional.empty());
        Optional<JmhResult> sample = jmh.find(REDIS + row[0], "sample", threads, Map.of());
        Optional<JmhResult> peer = rate.getOrDefault(
            row[0].contains("Load") ? "rawLoadPeer" : "rawTakePeer", Optional.empty());
        body.append("| ").append(row[1]).append(" | ").append(scoreCell(r)).append(" | ")
            .append(sample.map(s -> fmt(s.percentile("50.0") / 1000)).orElse("–")).append(" | ")
            .append(sample.map(s -> fmt(s.percentile("99.0") / 1000)).orElse("–")).append(" | ")
            .append(allocCell(r)).append(" | ")
            .append(row[0].startsWith("baton") ? ratioCell(r, peer) : "").append(" |\n");
      }
      Optional<JmhResult> load = rate.getOrDefault("batonLoad", Optional.empty());
      Optional<JmhResult> take = rate.getOrDefault("batonTake", Optional.empty());
      body.append("\nTAKE ÷ LOAD (rate): ").append(ratioCell(take, load))
          .append(" — GETDEL saves the DEL round trip.\n\n");
      for (String mode : List.of("Load", "Take")) {
        targets.add(ratioTarget("5.redis-" + mode.toLowerCase(Locale.ROOT) + "-t" + threads,
            "Baton " + mode.toUpperCase(Locale.ROOT) + " at " + threads + " thread"
                + (threads == 1 ? "" : "s") + " ≥ 0.9× raw Lettuce's rate",
            rate.getOrDefault("baton" + mode, Optional.empty()),
            rate.getOrDefault("raw" + mode + "Peer", Optional.empty()), Direction.AT_LEAST, 0.9));
      }
    }

    body.append("**Pipelined batch capture** (batches of 1,000 keys waited for together:"
        + " `baton.captureAllAsync(keys)`, the caller encoded once, sealed per key on more than one"
        + " thread, one flush per 256 SETs; beside it `baton.captureAsync(key)` per key) vs `")
        .append(run.machineFact("redis.benchmark.command", "redis-benchmark"))
        .append("`\n\n");
    Optional<JmhResult> batch = batchRate("captureAllAsyncBatch", "sealed");
    OptionalDouble rps = run.redisBenchmarkSetRps();
    body.append("| what | sealed, keys/s | plain codec, keys/s |\n|---|---:|---:|\n")
        .append("| `captureAllAsync` batch | ").append(scoreCell(batch)).append(" | ")
        .append(scoreCell(batchRate("captureAllAsyncBatch", "plain"))).append(" |\n")
        .append("| `captureAsync` per key | ")
        .append(scoreCell(batchRate("captureAsyncBatch", "sealed"))).append(" | ")
        .append(scoreCell(batchRate("captureAsyncBatch", "plain"))).append(" |\n")
        .append("| `redis-benchmark` SET | ")
        .append(rps.isPresent() ? fmt(rps.getAsDouble()) : "– (did not run)")
        .append(" | |\n\n");
    String what = "pipelined batch capture ≥ 0.8× redis-benchmark -P 16 (same value size)";
    if (batch.isEmpty()) {
      targets.add(Target.notEvaluated("5.batch", what, Direction.AT_LEAST, 0.8, "x",
          run.machineFact("redis.batch", "RedisBatchBenchmark was not in this build"), true));
    } else if (rps.isEmpty()) {
      targets.add(Target.notEvaluated("5.batch", what, Direction.AT_LEAST, 0.8, "x",
          "redis-benchmark did not run", true));
    } else {
      JmhResult b = batch.get();
      targets.add(Target.evaluate("5.batch", what, b.score() / rps.getAsDouble(),
          b.error() / rps.getAsDouble(), Direction.AT_LEAST, 0.8, "x", true));
    }
  }

  // ------------------------------------------------------------------ issue 28

  /** Issue 28's limit on allocation per Redis capture + run + delete: 8 KiB. */
  static final double REDIS_ALLOC_LIMIT_BYTES = 8 * 1024;

  /**
   * The targets of issue 28, from the figures the sections above read (no table of their own):
   * ids start with {@code 28.} and are listed under their own heading.
   */
  private void issue28() {
    Optional<JmhResult> baton = jmh.find(PROPAGATION + "callerThreadBaton", "avgt");
    Optional<JmhResult> otel = jmh.find(PROPAGATION + "callerThreadOtel", "avgt");
    Optional<JmhResult> millis = jmh.find(CURRENT + "clockMillisPeer", "avgt");
    String what = "Baton wrap + run + read on the calling thread ≤ OpenTelemetry + one clock read"
        + " (`Clock.millis()` row) + 5 ns";
    if (baton.isPresent() && otel.isPresent() && millis.isPresent()) {
      double limit = otel.get().score() + millis.get().score() + 5;
      targets.add(Target.evaluate("28.calling-thread", what, baton.get().score(),
          baton.get().error(), Direction.AT_MOST, limit, "ns", false));
    } else {
      targets.add(Target.notEvaluated("28.calling-thread", what, Direction.AT_MOST, Double.NaN,
          "ns", "Baton, OpenTelemetry or the clock read was not measured", false));
    }
    targets.add(ratioTarget("28.pool-platform8-otel", "Baton on a fixed pool of 8 ≥ 0.8×"
            + " OpenTelemetry's task rate",
        jmh.find(PROPAGATION + "poolBaton", "thrpt", 1, Map.of("executor", "platform8")),
        jmh.find(PROPAGATION + "poolOtel", "thrpt", 1, Map.of("executor", "platform8")),
        Direction.AT_LEAST, 0.8));
    for (String mode : List.of("Load", "Take")) {
      Optional<JmhResult> raw = jmh.find(REDIS + "raw" + mode + "Peer", "thrpt", 8, Map.of());
      String upper = mode.toUpperCase(Locale.ROOT);
      targets.add(ratioTarget("28.redis-" + mode.toLowerCase(Locale.ROOT) + "-t8-plain",
          "Baton " + upper + " at 8 threads, plain codec, ≥ 0.9× raw Lettuce's rate",
          jmh.find(REDIS + "baton" + mode + "Plain", "thrpt", 8, Map.of()), raw,
          Direction.AT_LEAST, 0.9));
      targets.add(ratioTarget("28.redis-" + mode.toLowerCase(Locale.ROOT) + "-t8-sealed",
          "Baton " + upper + " at 8 threads, sealed (reported beside the plain row), ≥ 0.9× raw"
              + " Lettuce's rate",
          jmh.find(REDIS + "baton" + mode, "thrpt", 8, Map.of()), raw, Direction.AT_LEAST, 0.9));
    }
    targets.add(ratioTarget("28.json-vs-jackson", "JSON encode + decode ≤ 1.05× Jackson's Map"
            + " round trip", jmh.find(CODEC + "roundTripJson", "avgt"),
        jmh.find(CODEC + "roundTripJacksonPeer", "avgt"), Direction.AT_MOST, 1.05));
    targets.add(ratioTarget("28.decode-vs-jackson", "JSON decode ≤ 1.0× Jackson's Map decode"
            + " (every validation kept)", jmh.find(CODEC + "decodeJson", "avgt"),
        jmh.find(CODEC + "decodeJacksonPeer", "avgt"), Direction.AT_MOST, 1.0));
    for (String[] row : new String[][] {
        {"LoadPlain", "LOAD, plain codec"}, {"TakePlain", "TAKE, plain codec"},
        {"Load", "LOAD, sealed"}, {"Take", "TAKE, sealed"}}) {
      String id = "28.redis-alloc-" + row[0].toLowerCase(Locale.ROOT);
      String allocWhat = "Redis capture + run + delete (" + row[1] + ", 1 thread) ≤ 8 KB"
          + " allocated per operation (`-prof gc`)";
      OptionalDouble alloc = jmh.find(REDIS + "baton" + row[0], "thrpt", 1, Map.of())
          .map(JmhResult::allocBytesPerOp).orElse(OptionalDouble.empty());
      targets.add(alloc.isPresent()
          ? Target.evaluate(id, allocWhat, alloc.getAsDouble(), Double.NaN, Direction.AT_MOST,
              REDIS_ALLOC_LIMIT_BYTES, "B", false)
          : Target.notEvaluated(id, allocWhat, Direction.AT_MOST, REDIS_ALLOC_LIMIT_BYTES, "B",
              "not measured with -prof gc in this run", false));
    }
    OptionalDouble rps = run.redisBenchmarkSetRps();
    for (String[] row : new String[][] {{"sealed", "28.batch"}, {"plain", "28.batch-plain"}}) {
      Optional<JmhResult> batch = batchRate("captureAllAsyncBatch", row[0]);
      String batchWhat = "pipelined batch capture (`captureAllAsync`, " + row[0] + ") ≥ 0.5×"
          + " redis-benchmark -P 16 (same value size)";
      if (batch.isEmpty() || rps.isEmpty()) {
        targets.add(Target.notEvaluated(row[1], batchWhat, Direction.AT_LEAST, 0.5, "x",
            batch.isEmpty() ? "RedisBatchBenchmark was not measured"
                : "redis-benchmark did not run", true));
      } else {
        targets.add(Target.evaluate(row[1], batchWhat, batch.get().score() / rps.getAsDouble(),
            batch.get().error() / rps.getAsDouble(), Direction.AT_LEAST, 0.5, "x", true));
      }
    }
  }

  /** A batch capture rate of {@link #BATCH}{@code method} on a sealed or plain store. */
  private Optional<JmhResult> batchRate(String method, String sealing) {
    return jmh.all().stream()
        .filter(r -> r.benchmark().equals(BATCH + method) && r.isRate()
            && sealing.equals(r.params().get("sealing")))
        .findFirst();
  }


  // ------------------------------------------------------------------ 6. JobRunr (issue 23)

  private void jobRunr() {
    section("6. JobRunr (issue 23)");
    body.append("Batches of 1,000 jobs enqueued from a request thread and run by a"
        + " `BackgroundJobServer` in the same JVM (JobRunr's in-memory storage, poll interval"
        + " 200 ms, 4 workers), waited for; the score is per job, enqueue to end of run. With"
        + " Baton, `BatonJobFilter` on a memory store captures every job at creation, restores it"
        + " around its run and deletes the snapshot at the final state; every job checks it ran as"
        + " its caller. The time includes the waits for JobRunr's polls, the same in both"
        + " variants; the allocation per job does not depend on them (time and B/job: Baton ÷"
        + " plain).\n\n");
    Optional<JmhResult> plain = jmh.find(JOBRUNR + "enqueueAndProcess", "avgt", 1,
        Map.of("variant", "plain"));
    Optional<JmhResult> baton = jmh.find(JOBRUNR + "enqueueAndProcess", "avgt", 1,
        Map.of("variant", "baton"));
    body.append("| what | µs per job | B/job | Baton ÷ plain (time) | Baton ÷ plain (B/job) |\n")
        .append("|---|---:|---:|---:|---:|\n");
    body.append("| JobRunr alone | ").append(microsCell(plain)).append(" | ")
        .append(allocCell(plain)).append(" | | |\n");
    body.append("| JobRunr with `BatonJobFilter` (memory store) | ").append(microsCell(baton))
        .append(" | ").append(allocCell(baton)).append(" | ").append(ratioCell(baton, plain))
        .append(" | ").append(allocRatioCell(baton, plain)).append(" |\n\n");
    targets.add(ratioTarget("23.enqueue-run", "enqueue + run through JobRunr with"
            + " `BatonJobFilter` ≤ 1.1× JobRunr alone (time per job, in-memory storage)", baton,
        plain, Direction.AT_MOST, INTEGRATION_LIMIT));

    body.append("The creation half alone, which no poll paces: one job enqueued from a request"
        + " thread with no job server running (JobRunr's filters and in-memory storage), then"
        + " deleted with its snapshot so that both stay the same size. With Baton this is where"
        + " the caller is captured.\n\n");
    Optional<JmhResult> plainCreate = jmh.find(JOBRUNR + "enqueueAndDelete", "avgt", 1,
        Map.of("variant", "plain"));
    Optional<JmhResult> batonCreate = jmh.find(JOBRUNR + "enqueueAndDelete", "avgt", 1,
        Map.of("variant", "baton"));
    body.append("| what | µs per job | B/job | Baton ÷ plain (time) | Baton ÷ plain (B/job) |\n")
        .append("|---|---:|---:|---:|---:|\n");
    body.append("| JobRunr alone | ").append(microsCell(plainCreate)).append(" | ")
        .append(allocCell(plainCreate)).append(" | | |\n");
    body.append("| JobRunr with `BatonJobFilter` (memory store) | ")
        .append(microsCell(batonCreate)).append(" | ").append(allocCell(batonCreate))
        .append(" | ").append(ratioCell(batonCreate, plainCreate)).append(" | ")
        .append(allocRatioCell(batonCreate, plainCreate)).append(" |\n\n");
    targets.add(ratioTarget("23.enqueue", "the creation half (enqueue, then delete) with"
            + " `BatonJobFilter` ≤ 1.1× JobRunr alone (time per job, no poll in it)", batonCreate,
        plainCreate, Direction.AT_MOST, INTEGRATION_LIMIT));
  }

  // ------------------------------------------------------------------ 7. RabbitMQ (issue 27)

  private void amqp() {
    section("7. RabbitMQ (issue 27)");
    body.append("One message published by a `RabbitTemplate` and consumed by a"
        + " `SimpleMessageListenerContainer` on the real broker, the publisher waiting for the"
        + " listener: average time per message, end to end. With Baton, `BatonMessagePostProcessor`"
        + " captures the publisher's caller and `BatonListenerAdvice` restores it around the"
        + " listener, which checks it; `store=memory` is Baton's own work, `store=redis` adds the"
        + " sealed store's SET, GET and DEL on the runner's `redis-server`. Each store's trial"
        + " measures the plain row beside it in the same JVM (time and B/op: Baton ÷ the plain row"
        + " of the same trial).\n\n");
    body.append("| what | µs per message | B/op | Baton ÷ plain (time) | Baton ÷ plain (B/op) |\n")
        .append("|---|---:|---:|---:|---:|\n");
    for (String[] store : new String[][] {{"memory", "memory store"},
        {"redis", "Redis store, sealed"}}) {
      Optional<JmhResult> plain = jmh.find(AMQP + "springAmqp", "avgt", 1,
          Map.of("store", store[0]));
      Optional<JmhResult> baton = jmh.find(AMQP + "springAmqpWithBaton", "avgt", 1,
          Map.of("store", store[0]));
      body.append("| plain Spring AMQP (").append(store[0]).append(" trial) | ")
          .append(microsCell(plain)).append(" | ").append(allocCell(plain)).append(" | | |\n");
      body.append("| Spring AMQP with Baton, ").append(store[1]).append(" | ")
          .append(microsCell(baton)).append(" | ").append(allocCell(baton)).append(" | ")
          .append(ratioCell(baton, plain)).append(" | ").append(allocRatioCell(baton, plain))
          .append(" |\n");
      String what = store[0].equals("memory")
          ? "publish + consume through RabbitMQ with Baton (memory store) ≤ 1.1× plain Spring AMQP"
          : "publish + consume through RabbitMQ with Baton on the Redis store (sealed; reported"
              + " beside the memory row) ≤ 1.1× plain Spring AMQP";
      targets.add(ratioTarget("27.publish-consume-" + store[0], what, baton, plain,
          Direction.AT_MOST, INTEGRATION_LIMIT));
    }
    body.append('\n');
  }

  // ------------------------------------------------------------------ 8. delegation (issue 29)

  private void delegation() {
    section("8. Delegation (issue 29)");
    body.append("`capture` with a `TokenExchangeDelegation` (RFC 8693) against a real Spring"
        + " Authorization Server on a loopback port in the same JVM (one token-exchange request per"
        + " capture: HTTP, client authentication, token lookup, JWT signing; the actor token"
        + " cached), beside the same `capture` without delegation (the memory store's write"
        + " alone). The server shares the machine's cores with the benchmark thread; a remote"
        + " authorization server adds its network round trip. See “Cost of delegation (issue"
        + " 29)” above for the difference.\n\n");
    body.append("| what | µs/op | B/op |\n|---|---:|---:|\n");
    for (String[] row : DELEGATION_ROWS) {
      Optional<JmhResult> r = jmh.find(DELEGATION + row[0], "avgt");
      body.append("| ").append(row[1]).append(" | ").append(microsCell(r)).append(" | ")
          .append(allocCell(r)).append(" |\n");
    }
    body.append('\n');
  }

  private static final String[][] DELEGATION_ROWS = {
      {"captureWithoutDelegation", "`capture` without delegation"},
      {"captureWithDelegation", "`capture` with token exchange"}};

  /** The summary of issue 29 under the target tables: the measured cost, no limit. */
  private void delegationCost(StringBuilder md) {
    Optional<JmhResult> without = jmh.find(DELEGATION + DELEGATION_ROWS[0][0], "avgt");
    Optional<JmhResult> with = jmh.find(DELEGATION + DELEGATION_ROWS[1][0], "avgt");
    md.append("## Cost of delegation (issue 29)\n\n");
    if (without.isEmpty() || with.isEmpty()) {
      md.append("Not measured in this run (`DelegationBenchmark` has no result).\n\n");
      return;
    }
    md.append("A capture with token exchange against a Spring Authorization Server on loopback,"
        + " beside the same capture without (section 8). The issue sets no limit: the figure is"
        + " the cost.\n\n");
    md.append("| what | µs/op | B/op |\n|---|---:|---:|\n");
    for (int i = 0; i < DELEGATION_ROWS.length; i++) {
      Optional<JmhResult> r = i == 0 ? without : with;
      md.append("| ").append(DELEGATION_ROWS[i][1]).append(" | ").append(microsCell(r))
          .append(" | ").append(allocCell(r)).append(" |\n");
    }
    JmhResult a = with.get();
    JmhResult b = without.get();
    double cost = a.score() - b.score();
    double error = sumOfErrors(a.error(), b.error());
    OptionalDouble allocA = a.allocBytesPerOp();
    OptionalDouble allocB = b.allocBytesPerOp();
    md.append("| the exchange's cost (with − without) | ").append(fmt(cost / 1000))
        .append(Double.isNaN(error) ? "" : " ± " + fmt(error / 1000)).append(" | ")
        .append(allocA.isPresent() && allocB.isPresent()
            ? fmt(allocA.getAsDouble() - allocB.getAsDouble()) : "–")
        .append(" |\n\n");
    String note = notes.get(DELEGATION_NOTE);
    if (note != null) {
      md.append("What the cost is (a note kept by hand in `target-notes.properties`, from a profile"
          + " of an earlier run: a reason, not a figure of this run): ").append(note)
          .append("\n\n");
    }
  }

  /** The key of the hand-kept note on the cost of delegation (issue 29 sets no target). */
  static final String DELEGATION_NOTE = "29.delegation-cost";

  // ------------------------------------------------------------------ helpers

  /** Baton ÷ peer of their scores, with the error of the ratio. */
  private static Target ratioTarget(String id, String what, Optional<JmhResult> baton,
      Optional<JmhResult> peer, Direction direction, double limit) {
    if (baton.isEmpty() || peer.isEmpty()) {
      return Target.notEvaluated(id, what, direction, limit, "x",
          (baton.isEmpty() ? "Baton's" : "the peer's") + " benchmark was not measured", true);
    }
    double ratio = baton.get().score() / peer.get().score();
    return Target.evaluate(id, what, ratio, ratioError(baton.get(), peer.get()), direction, limit,
        "x", true);
  }

  /** The ratio's half-width, from the relative errors of both (NaN when either has none). */
  static double ratioError(JmhResult a, JmhResult b) {
    double ratio = a.score() / b.score();
    double ra = a.error() / a.score();
    double rb = b.error() / b.score();
    return ratio * Math.sqrt(ra * ra + rb * rb);
  }

  private static double sumOfErrors(double a, double b) {
    return a + b;
  }

  private void section(String title) {
    body.append("## ").append(title).append("\n\n");
  }

  private void table(String[][] rows, List<Optional<JmhResult>> results, String unit) {
    body.append("| what | ").append(unit).append(" | B/op | Baton ÷ row |\n|---|---:|---:|---:|\n");
    for (int i = 0; i < rows.length; i++) {
      body.append("| ").append(rows[i][1]).append(" | ").append(scoreCell(results.get(i)))
          .append(" | ").append(allocCell(results.get(i))).append(" | ")
          .append(i == 0 ? "1" : ratioCell(results.get(0), results.get(i))).append(" |\n");
    }
    body.append('\n');
  }

  private static String scoreCell(Optional<JmhResult> r) {
    if (r.isEmpty()) {
      return "– (not measured)";
    }
    JmhResult x = r.get();
    return Double.isNaN(x.error()) ? fmt(x.score()) : fmt(x.score()) + " ± " + fmt(x.error());
  }

  /** A time score (held in ns) in microseconds, with its error. */
  private static String microsCell(Optional<JmhResult> r) {
    if (r.isEmpty()) {
      return "– (not measured)";
    }
    JmhResult x = r.get();
    return Double.isNaN(x.error()) ? fmt(x.score() / 1000)
        : fmt(x.score() / 1000) + " ± " + fmt(x.error() / 1000);
  }

  /** Baton's allocation per operation ÷ the peer's ({@code -prof gc}; no error: JMH gives none). */
  private static String allocRatioCell(Optional<JmhResult> a, Optional<JmhResult> b) {
    OptionalDouble x = a.map(JmhResult::allocBytesPerOp).orElse(OptionalDouble.empty());
    OptionalDouble y = b.map(JmhResult::allocBytesPerOp).orElse(OptionalDouble.empty());
    return x.isPresent() && y.isPresent() ? fmtRatio(x.getAsDouble() / y.getAsDouble()) : "–";
  }

  private static String allocCell(Optional<JmhResult> r) {
    return r.flatMap(x -> x.allocBytesPerOp().isPresent()
        ? Optional.of(fmt(x.allocBytesPerOp().getAsDouble())) : Optional.empty()).orElse("–");
  }

  private static String ratioCell(Optional<JmhResult> a, Optional<JmhResult> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return "–";
    }
    double ratio = a.get().score() / b.get().score();
    double error = ratioError(a.get(), b.get());
    return Double.isNaN(error) ? fmtRatio(ratio) : fmtRatio(ratio) + " ± " + fmt(error);
  }

  /** A figure with as many digits as it needs: 1,234 / 123 / 12.3 / 1.23. */
  static String fmt(double x) {
    if (Double.isNaN(x) || Double.isInfinite(x)) {
      return "–";
    }
    double abs = Math.abs(x);
    if (abs >= 100) {
      return String.format(Locale.ROOT, "%,.0f", x);
    }
    if (abs >= 10) {
      return String.format(Locale.ROOT, "%.1f", x);
    }
    return String.format(Locale.ROOT, "%.2f", x);
  }

  static String fmtRatio(double x) {
    return Double.isNaN(x) || Double.isInfinite(x) ? "–"
        : String.format(Locale.ROOT, "%.2f", x);
  }

  private static String fmtBytes(double x) {
    return Double.isNaN(x) ? "– (not measured)" : String.format(Locale.ROOT, "%,.0f B", x);
  }

  // ------------------------------------------------------------------ the document

  /** The whole Markdown document; {@code chartPath} is the PNG's path relative to it. */
  public String markdown(String chartPath) {
    StringBuilder md = new StringBuilder();
    boolean quick = run.machineFact("mode", "").equals("quick");
    md.append("# Baton benchmark results\n\n");
    if (quick) {
      md.append("> **QUICK RUN — a smoke test of the pipeline, NOT FOR READING.** Warm-up and"
          + " measurement were cut to a fraction of a second and the heap figure uses fewer"
          + " entries: these numbers say that every benchmark runs, not how fast anything is."
          + " Run `benchmarks/run` without `--quick` for figures.\n\n");
    }
    md.append("Written by `benchmarks/run` (`ReportWriter`) from the outputs of one run in"
        + " [`results/`](results/); every figure below comes from them. Error bars are JMH's"
        + " 99.9% confidence half-widths; a ratio's error combines both relative errors.\n\n");
    md.append("| | |\n|---|---|\n");
    String[][] facts = {
        {"date", "Date (UTC)"}, {"mode", "Run mode"}, {"cpu", "CPU"}, {"cores", "Cores"},
        {"memory", "Memory"}, {"os", "OS"}, {"jdk", "JDK"}, {"jmh.settings", "JMH settings"},
        {"redis", "Redis"}, {"rabbitmq", "RabbitMQ"}, {"load.before", "Load average before"},
        {"load.after", "Load average after"}, {"duration", "Duration"},
        {"virtual.threads", "Virtual threads"},
        {"failures", "Groups with a failed benchmark (figures missing)"}, {"note", "Note"}};
    for (String[] fact : facts) {
      md.append("| ").append(fact[1]).append(" | ")
          .append(run.machineFact(fact[0], "not recorded")).append(" |\n");
    }
    md.append("| Payload | ").append(payloadLine()).append(" |\n\n");
    for (String issue : List.of("17", "23", "27", "28")) {
      targetTable(md, "Targets of issue " + issue, targets.stream()
          .filter(t -> issueOf(t.id()).equals(issue)).toList());
    }
    delegationCost(md);
    List<Target> explained = targets.stream()
        .filter(t -> (t.verdict() != Verdict.MET || !t.note().isEmpty())
            && notes.containsKey(t.id())).toList();
    if (!explained.isEmpty()) {
      md.append("\n**What limits the targets not met or not resolved** (notes kept by hand in"
          + " `target-notes.properties`, from profiles of earlier runs: reasons, not figures of"
          + " this run)\n\n");
      for (Target t : explained) {
        md.append("- `").append(t.id()).append("`: ").append(notes.get(t.id())).append('\n');
      }
    }
    md.append("\n![Baton's cost relative to each peer, and the target](").append(chartPath)
        .append(")\n\nThe chart shows, for each target that compares Baton with a peer, Baton's"
            + " cost relative to the peer's (1 = the same, above 1 = Baton slower; a rate ratio is"
            + " inverted) beside the most the target allows.\n\n");
    md.append(body);
    return md.toString();
  }

  /**
   * The issue a target belongs to: ids of later issues start with the issue's number ({@code 28.},
   * {@code 23.}, {@code 27.}); the sections' own ids (1. to 5.) are issue 17's.
   */
  static String issueOf(String id) {
    String prefix = id.substring(0, Math.max(0, id.indexOf('.')));
    return prefix.length() >= 2 ? prefix : "17";
  }

  private static void targetTable(StringBuilder md, String title, List<Target> rows) {
    if (rows.isEmpty()) {
      return;
    }
    md.append("## ").append(title).append("\n\n");
    md.append("| target | figure | limit | verdict |\n|---|---:|---:|---|\n");
    for (Target t : rows) {
      md.append("| ").append(t.what()).append(" | ")
          .append(t.verdict() == Verdict.NOT_EVALUATED ? "–"
              : (t.unit().equals("x") ? fmtRatio(t.measured()) : fmt(t.measured()))
                  + (Double.isNaN(t.error()) ? "" : " ± " + fmt(t.error()))
                  + (t.unit().equals("x") ? "×" : " " + t.unit()))
          .append(" | ").append(t.direction().symbol).append(' ')
          .append(t.unit().equals("x") ? fmtRatio(t.limit()) + "×" : fmt(t.limit()) + " "
              + t.unit())
          .append(" | ").append(verdictText(t)).append(" |\n");
    }
    md.append('\n');
  }

  private String payloadLine() {
    String chars = run.footprint().getOrDefault("fixture.jwt.chars", "?");
    String scopes = run.footprint().getOrDefault("fixture.scopes", "?");
    String claims = run.footprint().getOrDefault("fixture.claims", "?");
    return "one RS256-shaped JWT of " + chars + " characters, " + scopes + " scopes, " + claims
        + " claims (`Fixtures`), the same for Baton and every peer";
  }

  private static String verdictText(Target t) {
    return switch (t.verdict()) {
      case MET -> "**met**" + (t.note().isEmpty() ? "" : " (" + t.note() + ")");
      case MISSED -> "**MISSED**" + (t.note().isEmpty() ? "" : " (" + t.note() + ")");
      case NOT_EVALUATED -> "not evaluated: " + t.note();
    };
  }
}
