package dev.baton.benchmarks.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes {@code RESULTS.md} and its chart from one run's outputs ({@link RunOutputs}): the last
 * step of {@code benchmarks/run}.
 *
 * <p>Usage: {@code ReportWriter <results dir> <RESULTS.md>}; the chart is written to
 * {@code <results dir>/ratios.png} and linked relative to the Markdown file.
 */
public final class ReportWriter {
  private ReportWriter() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: ReportWriter <results dir> <RESULTS.md>");
    }
    Path results = Path.of(args[0]);
    Path markdown = Path.of(args[1]).toAbsolutePath();
    RunOutputs outputs = RunOutputs.readDirectory(results);
    ResultsReport report = ResultsReport.of(outputs);
    Path chart = results.resolve("ratios.png").toAbsolutePath();
    RatioChart.write(report.targets(), chart, outputs.machineFact("mode", "").equals("quick"));
    Path parent = markdown.getParent();
    String link = (parent == null ? chart : parent.relativize(chart)).toString()
        .replace('\\', '/');
    Files.writeString(markdown, report.markdown(link), StandardCharsets.UTF_8);
    long missed = report.targets().stream()
        .filter(t -> t.verdict() == Target.Verdict.MISSED).count();
    long open = report.targets().stream()
        .filter(t -> t.verdict() == Target.Verdict.NOT_EVALUATED).count();
    System.out.println("wrote " + markdown + " and " + chart + ": " + report.targets().size()
        + " targets, " + missed + " missed, " + open + " not evaluated");
  }
}
