package dev.baton.benchmarks.report;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Properties;

/**
 * Everything one run of {@code benchmarks/run} wrote to its results directory:
 *
 * <ul>
 *   <li>{@code jmh-*.json}: JMH's results ({@code -rf json});
 *   <li>{@code machine.properties}: the machine, JDK, date and settings, recorded by the runner;
 *   <li>{@code footprint.properties}: {@code FootprintMain}'s sizes and heap per entry;
 *   <li>{@code redis-benchmark.csv}: {@code redis-benchmark --csv}'s output for the pipelined SET.
 * </ul>
 *
 * <p>A missing file leaves its figures out (their targets are then not evaluated); a malformed one
 * is an error.
 *
 * @param jmh the JMH results
 * @param machine the runner's record of the machine and settings
 * @param footprint the size figures
 * @param redisBenchmarkSetRps requests per second of {@code redis-benchmark}'s SET, when it ran
 */
public record RunOutputs(JmhResults jmh, Map<String, String> machine,
    Map<String, String> footprint, OptionalDouble redisBenchmarkSetRps) {

  public RunOutputs {
    Objects.requireNonNull(jmh, "jmh");
    machine = Map.copyOf(machine);
    footprint = Map.copyOf(footprint);
    Objects.requireNonNull(redisBenchmarkSetRps, "redisBenchmarkSetRps");
  }

  /** Reads the outputs in {@code dir}. */
  public static RunOutputs readDirectory(Path dir) throws IOException {
    return new RunOutputs(JmhResults.readDirectory(dir),
        properties(dir.resolve("machine.properties")),
        properties(dir.resolve("footprint.properties")),
        redisBenchmarkRps(dir.resolve("redis-benchmark.csv")));
  }

  static Map<String, String> properties(Path file) throws IOException {
    if (!Files.exists(file)) {
      return Map.of();
    }
    Properties p = new Properties();
    p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
    Map<String, String> out = new LinkedHashMap<>();
    for (String name : p.stringPropertyNames()) {
      out.put(name, p.getProperty(name));
    }
    return out;
  }

  static OptionalDouble redisBenchmarkRps(Path file) throws IOException {
    if (!Files.exists(file)) {
      return OptionalDouble.empty();
    }
    return parseRedisBenchmarkCsv(Files.readString(file, StandardCharsets.UTF_8));
  }

  /**
   * The "rps" of the SET line of {@code redis-benchmark --csv} output
   * ({@code "test","rps",...} then {@code "SET","123456.79",...}).
   */
  static OptionalDouble parseRedisBenchmarkCsv(String csv) throws IOException {
    for (String line : csv.split("\n", -1)) {
      if (line.startsWith("\"SET\"")) {
        String[] fields = line.split(",", -1);
        if (fields.length < 2) {
          throw new IOException("redis-benchmark SET line without rps: " + line);
        }
        try {
          return OptionalDouble.of(Double.parseDouble(fields[1].replace("\"", "").trim()));
        } catch (NumberFormatException e) {
          throw new IOException("redis-benchmark SET rps is not a number: " + line, e);
        }
      }
    }
    throw new IOException("redis-benchmark output has no SET line");
  }

  /** A footprint figure, or NaN when the run did not record it. */
  double footprintNumber(String key) {
    String value = footprint.get(key);
    return value == null ? Double.NaN : Double.parseDouble(value);
  }

  /** A machine fact, or {@code fallback}. */
  String machineFact(String key, String fallback) {
    return machine.getOrDefault(key, fallback);
  }
}
