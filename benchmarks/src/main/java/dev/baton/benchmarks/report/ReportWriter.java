package dev.baton.benchmarks.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes {@code RESULTS.md} and its chart from one run's outputs ({@link RunOutputs}): the last
 * step of {@code benchmarks/run}.
 *
 * <p>Usage: {@code ReportWriter <results dir> <RESULTS.md> [<target notes>]}; the chart is written
 * to {@code <results dir>/ratios.png} and linked relative to the Markdown file. The optional notes
 * file (properties: target id = why it is limited) is kept by hand from profiles.
 */
public final class ReportWriter {
  private ReportWriter() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2 && args.length != 3) {
      throw new IllegalArgumentException(
          "usage: ReportWriter <results dir> <RESULTS.md> [<target notes>]");
    }
    Path results = Path.of(args[0]);
    Path markdown = Path.of(args[1]).toAbsolutePath();
    RunOutputs outputs = RunOutputs.readDirectory(results);
    java.util.Map<String, String> notes = java.util.Map.of();
    if (args.length == 3) {
      Path notesFile = Path.of(args[2]);
      if (!Files.isRegularFile(notesFile)) {
        throw new IllegalArgumentException("no target notes file: " + notesFile);
      }
      notes = RunOutputs.properties(notesFile);
    }
    ResultsReport report = ResultsReport.of(outputs, notes);
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
