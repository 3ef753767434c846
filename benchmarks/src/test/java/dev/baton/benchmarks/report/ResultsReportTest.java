package dev.baton.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.baton.benchmarks.report.Target.Verdict;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report writer on a small committed JMH sample ({@code report/jmh-sample.json}) whose figures
 * are chosen so that every ratio and verdict can be worked out by hand. No timing is measured here.
 */
class ResultsReportTest {
  private static final Map<String, String> FOOTPRINT = Map.ofEntries(
      Map.entry("fixture.jwt.chars", "1015"), Map.entry("fixture.scopes", "5"),
      Map.entry("fixture.claims", "10"), Map.entry("size.token.json.bytes", "1600"),
      Map.entry("size.stored.json.bytes", "1680"), Map.entry("size.stored.sealed.bytes", "1900"),
      Map.entry("heap.entries", "1000000"), Map.entry("heap.object.bytesPerEntry", "180.0"),
      Map.entry("heap.object.payloadBytes", "0"), Map.entry("heap.json.bytesPerEntry", "1950.0"),
      Map.entry("heap.json.payloadBytes", "1680"));
  private static final Map<String, String> MACHINE = Map.of("mode", "full",
      "virtual.threads", "N/A: JDK 17 has no virtual threads", "cpu", "Test CPU");

  private static String sample() throws IOException {
    try (InputStream in = ResultsReportTest.class.getResourceAsStream("/report/jmh-sample.json")) {
      return new String(Objects.requireNonNull(in, "sample").readAllBytes(),
          StandardCharsets.UTF_8);
    }
  }

  private static ResultsReport report(Map<String, String> machine, OptionalDouble redisRps)
      throws IOException {
    return ResultsReport.of(new RunOutputs(new JmhResults(JmhResults.read(sample())), machine,
        FOOTPRINT, redisRps));
  }

  private static ResultsReport report() throws IOException {
    return report(MACHINE, OptionalDouble.of(100_000));
  }

  @Test
  void scores_areConvertedToNanosPerOpAndOpsPerSecond() throws IOException {
    JmhResults results = new JmhResults(JmhResults.read(sample()));

    assertThat(results.find("CodecBenchmark.roundTripJson", "avgt").orElseThrow().score())
        .isEqualTo(4000.0);
    assertThat(results.find("RedisBenchmark.batonLoad", "thrpt").orElseThrow().score())
        .isCloseTo(19_000.0, within(1e-6));
    assertThat(results.find("RedisBenchmark.batonLoad", "sample").orElseThrow()
        .percentile("99.0")).isEqualTo(90_000.0);
  }

  @Test
  void callingThreadTarget_comparesBatonWithTheFastestPeer() throws IOException {
    Target t = report().target("1.calling-thread");

    assertThat(t.measured()).isEqualTo(40.0 / 50.0); // Spring Security is the fastest peer
    assertThat(t.what()).contains("Spring Security");
    assertThat(t.verdict()).isEqualTo(Verdict.MET);
  }

  @Test
  void poolTargets_areRateRatios_missedBelowTheLimit() throws IOException {
    ResultsReport report = report();

    assertThat(report.target("1.pool-platform8-fastest").measured()).isEqualTo(0.8);
    assertThat(report.target("1.pool-platform8-fastest").verdict()).isEqualTo(Verdict.MISSED);
    assertThat(report.target("1.pool-platform8-bare").measured()).isEqualTo(0.8);
    assertThat(report.target("1.pool-platform8-bare").verdict()).isEqualTo(Verdict.MISSED);
  }

  @Test
  void virtualThreads_notMeasured_areNotEvaluatedWithTheRecordedReason() throws IOException {
    Target t = report().target("1.pool-virtual-bare");

    assertThat(t.verdict()).isEqualTo(Verdict.NOT_EVALUATED);
    assertThat(t.measured()).isNaN();
    assertThat(t.note()).isEqualTo("N/A: JDK 17 has no virtual threads");
  }

  @Test
  void currentTokenTarget_isHalfOfToday_absoluteNanos() throws IOException {
    ResultsReport report = report();

    assertThat(report.target("2.inTaskScope").verdict()).isEqualTo(Verdict.MET);
    assertThat(report.target("2.inRequestScope").verdict()).isEqualTo(Verdict.MISSED);
    assertThat(report.target("2.inRequestScope").limit()).isEqualTo(22.5);
  }

  @Test
  void sealingCost_isSealedMinusJsonRoundTrip_withBothErrors() throws IOException {
    Target t = report().target("3.sealing-cost");

    assertThat(t.measured()).isEqualTo(5000.0);
    assertThat(t.error()).isEqualTo(700.0);
    assertThat(t.verdict()).isEqualTo(Verdict.MISSED);
  }

  @Test
  void codecAndSizeTargets_useTheSameRunsFigures() throws IOException {
    ResultsReport report = report();

    assertThat(report.target("3.json-vs-jackson").measured()).isEqualTo(0.8);
    assertThat(report.target("3.json-vs-jackson").verdict()).isEqualTo(Verdict.MET);
    assertThat(report.target("3.size-sealed").measured()).isEqualTo(1900.0 / 1600.0);
    assertThat(report.target("3.size-sealed").verdict()).isEqualTo(Verdict.MISSED);
    assertThat(report.target("3.size-json").verdict()).isEqualTo(Verdict.MET);
  }

  @Test
  void memoryTargets_ratioToCaffeine_andHeapOverPayload() throws IOException {
    ResultsReport report = report();

    assertThat(report.target("4.save-load").measured()).isEqualTo(3.0);
    assertThat(report.target("4.save-load").verdict()).isEqualTo(Verdict.MISSED);
    assertThat(report.target("4.heap-object").measured()).isEqualTo(180.0);
    assertThat(report.target("4.heap-object").verdict()).isEqualTo(Verdict.MET);
    assertThat(report.target("4.heap-json").measured()).isEqualTo(270.0);
    assertThat(report.target("4.heap-json").verdict()).isEqualTo(Verdict.MISSED);
  }

  @Test
  void redisTarget_metButLimitWithinError_saysItIsNotResolved() throws IOException {
    Target t = report().target("5.redis-load-t1");

    assertThat(t.measured()).isCloseTo(0.95, within(1e-9));
    assertThat(t.verdict()).isEqualTo(Verdict.MET);
    assertThat(t.note()).contains("within the error interval");
  }

  @Test
  void targetsWithoutTheirBenchmark_areNotEvaluated_neverGivenAFigure() throws IOException {
    ResultsReport report = report();

    for (String id : new String[] {"5.redis-take-t1", "5.redis-load-t8", "5.batch"}) {
      assertThat(report.target(id).verdict()).as(id).isEqualTo(Verdict.NOT_EVALUATED);
      assertThat(report.target(id).measured()).as(id).isNaN();
    }
    assertThat(report.markdown("results/ratios.png"))
        .contains("not evaluated: RedisBatchBenchmark was not in this build");
  }

  @Test
  void quickRun_isLabelledNotForReading() throws IOException {
    String quick = report(Map.of("mode", "quick"), OptionalDouble.empty())
        .markdown("results/ratios.png");
    String full = report().markdown("results/ratios.png");

    assertThat(quick).contains("NOT FOR READING");
    assertThat(full).doesNotContain("NOT FOR READING");
  }

  @Test
  void targetNotes_arePrintedUnderTargetsNotMet_only() throws IOException {
    RunOutputs run = new RunOutputs(new JmhResults(JmhResults.read(sample())), MACHINE, FOOTPRINT,
        OptionalDouble.empty());
    String md = ResultsReport.of(run, Map.of("4.save-load", "checkSize on every save",
        "2.inTaskScope", "a note on a met target")).markdown("results/ratios.png");

    assertThat(md).contains("- `4.save-load`: checkSize on every save")
        .doesNotContain("a note on a met target");
  }

  @Test
  void jobRunrTarget_isBatonOverPlainTimePerJob_limitWithinErrorIsNotResolved() throws IOException {
    Target t = report().target("23.enqueue-run");

    assertThat(t.measured()).isCloseTo(1.05, within(1e-9));
    assertThat(t.limit()).isEqualTo(1.1);
    assertThat(t.verdict()).isEqualTo(Verdict.MET);
    assertThat(t.note()).contains("within the error interval");
  }

  @Test
  void amqpTarget_memoryStore_missedAboveTheLimit_redisNotMeasured_notEvaluated()
      throws IOException {
    ResultsReport report = report();

    assertThat(report.target("27.publish-consume-memory").measured()).isCloseTo(1.2,
        within(1e-9));
    assertThat(report.target("27.publish-consume-memory").verdict()).isEqualTo(Verdict.MISSED);
    assertThat(report.target("27.publish-consume-memory").note()).isEmpty();
    assertThat(report.target("27.publish-consume-redis").verdict())
        .isEqualTo(Verdict.NOT_EVALUATED);
    assertThat(report.target("27.publish-consume-redis").measured()).isNaN();
  }

  @Test
  void targetsOfEachIssue_areListedUnderTheirOwnHeading() throws IOException {
    String md = report().markdown("results/ratios.png");

    String issue17 = md.substring(md.indexOf("## Targets of issue 17"),
        md.indexOf("## Targets of issue 23"));
    String issue23 = md.substring(md.indexOf("## Targets of issue 23"),
        md.indexOf("## Targets of issue 27"));
    String issue27 = md.substring(md.indexOf("## Targets of issue 27"),
        md.indexOf("## Targets of issue 28"));
    assertThat(issue17).doesNotContain("JobRunr").doesNotContain("RabbitMQ");
    assertThat(issue23).contains("| 1.05 ± 0.07× | ≤ 1.10× | **met** (the limit is within the"
        + " error interval: not resolved by this run) |");
    assertThat(issue27).contains("| 1.20 ± 0.03× | ≤ 1.10× | **MISSED** |");
  }

  @Test
  void delegationCost_isWithMinusWithout_inTimeAndAllocation() throws IOException {
    String md = report().markdown("results/ratios.png");

    assertThat(md).contains("## Cost of delegation (issue 29)")
        .contains("| `capture` with token exchange | 20,000 ± 1,000 | 2,000,000 |")
        .contains("| `capture` without delegation | 0.40 ± 0.02 | 168 |")
        .contains("| the exchange's cost (with − without) | 20,000 ± 1,000 | 1,999,832 |");
  }

  @Test
  void delegationCost_printsItsHandKeptNote_onlyWhenThereIsOne() throws IOException {
    RunOutputs run = new RunOutputs(new JmhResults(JmhResults.read(sample())), MACHINE, FOOTPRINT,
        OptionalDouble.empty());

    assertThat(ResultsReport.of(run, Map.of("29.delegation-cost", "BCrypt client secret check"))
        .markdown("results/ratios.png")).contains("a reason, not a figure of this run):"
            + " BCrypt client secret check");
    assertThat(ResultsReport.of(run).markdown("results/ratios.png"))
        .doesNotContain("a reason, not a figure of this run):");
  }

  @Test
  void delegationCost_notMeasured_saysSo_withNoFigure() throws IOException {
    RunOutputs run = new RunOutputs(new JmhResults(JmhResults.read(sample()).stream()
        .filter(r -> !r.benchmark().startsWith("DelegationBenchmark.")).toList()), MACHINE,
        FOOTPRINT, OptionalDouble.empty());

    assertThat(ResultsReport.of(run).markdown("results/ratios.png"))
        .contains("Not measured in this run (`DelegationBenchmark` has no result).")
        .doesNotContain("the exchange's cost");
  }

  @Test
  void targetsWithoutANote_printNoNoteLine() throws IOException {
    RunOutputs run = new RunOutputs(new JmhResults(JmhResults.read(sample())), MACHINE, FOOTPRINT,
        OptionalDouble.empty());
    String md = ResultsReport.of(run, Map.of("4.save-load", "checkSize on every save"))
        .markdown("results/ratios.png");

    assertThat(md).contains("- `4.save-load`:").doesNotContain("- `27.publish-consume-memory`")
        .doesNotContain("- `23.enqueue-run`");
  }

  @Test
  void redisBenchmarkCsv_givesTheSetLinesRate() throws IOException {
    String csv = "\"test\",\"rps\",\"avg_latency_ms\"\n\"SET\",\"123456.79\",\"0.500\"\n";

    assertThat(RunOutputs.parseRedisBenchmarkCsv(csv)).hasValue(123456.79);
    assertThatThrownBy(() -> RunOutputs.parseRedisBenchmarkCsv("\"GET\",\"1\"\n"))
        .isInstanceOf(IOException.class).hasMessageContaining("no SET line");
  }

  @Test
  void reportWriter_writesMarkdownLinkingItsPngChart(@TempDir Path dir) throws Exception {
    Path results = Files.createDirectories(dir.resolve("results"));
    Files.writeString(results.resolve("jmh-sample.json"), sample());
    Files.writeString(results.resolve("machine.properties"), "mode=full\ncpu=Test CPU\n");
    Path markdown = dir.resolve("RESULTS.md");

    ReportWriter.main(new String[] {results.toString(), markdown.toString()});

    assertThat(Files.readString(markdown)).contains("](results/ratios.png)")
        .contains("| CPU | Test CPU |");
    byte[] png = Files.readAllBytes(results.resolve("ratios.png"));
    assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
  }
}
