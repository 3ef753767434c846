package dev.baton.benchmarks.report;

import dev.baton.benchmarks.report.Target.Verdict;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The report's chart: for each evaluated target that compares Baton with a peer, Baton's cost
 * relative to the peer's (a rate ratio is inverted: 1 = the same, above 1 = Baton slower) beside
 * the most the target allows. Drawn headless with XChart.
 */
final class RatioChart {
  private RatioChart() {}

  /**
   * Writes the chart of {@code targets} as a PNG to {@code png}; a quick run's chart says in its
   * title that it is not for reading.
   */
  static void write(List<Target> targets, Path png, boolean quick) throws IOException {
    System.setProperty("java.awt.headless", "true");
    List<String> labels = new ArrayList<>();
    List<Double> measured = new ArrayList<>();
    List<Double> limits = new ArrayList<>();
    for (Target t : targets) {
      if (t.peerRatio() && t.verdict() != Verdict.NOT_EVALUATED) {
        labels.add(t.id());
        measured.add(t.costRatio());
        limits.add(t.costLimit());
      }
    }
    CategoryChart chart = new CategoryChartBuilder().width(1100).height(520)
        .title((quick ? "QUICK RUN, NOT FOR READING: " : "")
            + "Baton's cost ÷ peer's cost (1 = same, above 1 = Baton slower)")
        .xAxisTitle("target").yAxisTitle("cost ratio").build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setXAxisLabelRotation(30);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    if (labels.isEmpty()) {
      labels.add("(no peer ratio measured)");
      measured.add(0.0);
      limits.add(0.0);
    }
    chart.addSeries("measured", labels, measured);
    chart.addSeries("target (at most)", labels, limits);
    String name = png.toString();
    String base = name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
    BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
  }
}
