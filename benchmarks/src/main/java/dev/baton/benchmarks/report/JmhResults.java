package dev.baton.benchmarks.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Stream;

/** The results of one run: every JMH JSON file of a directory, read into {@link JmhResult}s. */
public final class JmhResults {
  private final List<JmhResult> results;

  public JmhResults(List<JmhResult> results) {
    this.results = List.copyOf(results);
  }

  /** Every {@code jmh-*.json} file in {@code dir}, in name order. */
  public static JmhResults readDirectory(Path dir) throws IOException {
    List<JmhResult> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.getFileName().toString().matches("jmh-.*[.]json"))
          .sorted().toList()) {
        all.addAll(read(Files.readString(file)));
      }
    }
    return new JmhResults(all);
  }

  /** The results in one JMH JSON document ({@code -rf json}). */
  public static List<JmhResult> read(String json) throws IOException {
    JsonNode root = new ObjectMapper().readTree(json);
    if (!root.isArray()) {
      throw new IOException("not a JMH JSON result: the top level is not an array");
    }
    List<JmhResult> out = new ArrayList<>();
    for (JsonNode node : root) {
      String full = text(node, "benchmark");
      String[] parts = full.split("[.]", -1);
      if (parts.length < 2) {
        throw new IOException("not a benchmark name: " + full);
      }
      String name = parts[parts.length - 2] + "." + parts[parts.length - 1];
      String mode = text(node, "mode");
      int threads = node.path("threads").asInt(1);
      Map<String, String> params = new LinkedHashMap<>();
      JsonNode paramNode = node.path("params");
      for (Map.Entry<String, JsonNode> e : paramNode.properties()) {
        params.put(e.getKey(), e.getValue().asText());
      }
      JsonNode primary = node.path("primaryMetric");
      String unit = text(primary, "scoreUnit");
      double factor = toCanonical(unit);
      double score = number(primary.path("score")) * factor;
      double error = number(primary.path("scoreError")) * factor;
      Map<String, Double> percentiles = new LinkedHashMap<>();
      JsonNode pct = primary.path("scorePercentiles");
      for (Map.Entry<String, JsonNode> e : pct.properties()) {
        percentiles.put(e.getKey(), number(e.getValue()) * factor);
      }
      if (!mode.equals("sample")) {
        percentiles.clear(); // JMH lists percentiles of the iteration scores for every mode
      }
      JsonNode alloc = node.path("secondaryMetrics").path("gc.alloc.rate.norm").path("score");
      OptionalDouble allocPerOp = alloc.isMissingNode() ? OptionalDouble.empty()
          : OptionalDouble.of(number(alloc));
      out.add(new JmhResult(name, mode, threads, params, score, error, percentiles, allocPerOp));
    }
    return out;
  }

  private static String text(JsonNode node, String field) throws IOException {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new IOException("JMH result without \"" + field + "\"");
    }
    return value.asText();
  }

  /** JMH writes "NaN" as a string when it has no error estimate. */
  private static double number(JsonNode node) {
    if (node.isNumber()) {
      return node.asDouble();
    }
    return node.isTextual() ? parseOrNaN(node.asText()) : Double.NaN;
  }

  private static double parseOrNaN(String text) {
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** The factor from {@code unit} to ns/op (times) or ops/s (rates). */
  static double toCanonical(String unit) throws IOException {
    return switch (unit) {
      case "ns/op" -> 1;
      case "us/op" -> 1e3;
      case "ms/op" -> 1e6;
      case "s/op" -> 1e9;
      case "ops/s" -> 1;
      case "ops/ms" -> 1e3;
      case "ops/us" -> 1e6;
      case "ops/ns" -> 1e9;
      default -> throw new IOException("unknown JMH unit: " + unit);
    };
  }

  public List<JmhResult> all() {
    return results;
  }

  /**
   * The result of {@code benchmark} in {@code mode} with {@code threads} threads and (a subset of)
   * these params; empty when the run did not measure it.
   */
  public Optional<JmhResult> find(String benchmark, String mode, int threads,
      Map<String, String> params) {
    return results.stream()
        .filter(r -> r.benchmark().equals(benchmark) && r.mode().equals(mode)
            && r.threads() == threads && r.params().entrySet().containsAll(params.entrySet()))
        .findFirst();
  }

  public Optional<JmhResult> find(String benchmark, String mode) {
    return find(benchmark, mode, 1, Map.of());
  }
}
