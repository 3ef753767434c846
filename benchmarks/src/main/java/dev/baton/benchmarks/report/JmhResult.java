package dev.baton.benchmarks.report;

import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One benchmark's result as JMH's JSON output states it, with its score converted to one of two
 * units: nanoseconds per operation for the time modes ({@code avgt}, {@code sample}), operations
 * per second for {@code thrpt}.
 *
 * @param benchmark the class's simple name and the method, e.g. {@code CodecBenchmark.roundTripJson}
 * @param mode JMH's short mode name: {@code thrpt}, {@code avgt}, {@code sample} or {@code ss}
 * @param threads benchmark threads
 * @param params the {@code @Param} values, empty when none
 * @param score the score in ns/op (time modes) or ops/s (throughput)
 * @param error JMH's 99.9% confidence half-width in the same unit; NaN when JMH gave none
 * @param percentiles for {@code sample}: percentile ("50.0", "99.0", ...) to ns/op; else empty
 * @param allocBytesPerOp {@code -prof gc}'s {@code gc.alloc.rate.norm}, when profiled
 */
public record JmhResult(String benchmark, String mode, int threads, Map<String, String> params,
    double score, double error, Map<String, Double> percentiles, OptionalDouble allocBytesPerOp) {

  public JmhResult {
    Objects.requireNonNull(benchmark, "benchmark");
    Objects.requireNonNull(mode, "mode");
    params = Map.copyOf(params);
    percentiles = Map.copyOf(percentiles);
    Objects.requireNonNull(allocBytesPerOp, "allocBytesPerOp");
  }

  /** Whether the score is a rate (higher is better) rather than a time. */
  public boolean isRate() {
    return mode.equals("thrpt");
  }

  /** The percentile of a {@code sample} result in ns/op; NaN when it has none. */
  public double percentile(String which) {
    Double value = percentiles.get(which);
    return value == null ? Double.NaN : value;
  }
}
