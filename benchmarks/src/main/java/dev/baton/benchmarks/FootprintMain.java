package dev.baton.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.AccessToken;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.codec.JsonSnapshotCodec;
import dev.baton.codec.SealingSnapshotCodec;
import dev.baton.codec.SnapshotCodec;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The figures of issue 17 that are sizes, not times, written as {@code key=value} lines (a
 * properties file) for the report writer: the fixture's shape, the token's JSON and the stored
 * bytes, and the memory store's heap per entry with {@code N} snapshots in it, measured as the heap
 * in use after a full GC with the store filled minus before (the same JVM, nothing else running).
 *
 * <p>Heap per entry is measured in object mode (each entry its own {@link TokenSnapshot} of one
 * caller's token: many tasks of one caller; the token itself is shared, so the payload is 0) and in
 * bytes mode with the JSON codec (each entry its own encoded value: the payload is its length). The
 * sealing codec's entries differ from the JSON codec's only by their longer value (the size
 * figures state both), so they are not filled again: that would double the run's longest step.
 *
 * <p>Usage: {@code FootprintMain <entries> <output file>}; run with a heap large enough for the
 * entries (the runner passes {@code -Xmx4g} for a million).
 */
public final class FootprintMain {
  private static final Duration TTL = Duration.ofHours(1);

  private FootprintMain() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: FootprintMain <entries> <output file>");
    }
    int entries = Integer.parseInt(args[0]);
    if (entries <= 0) {
      throw new IllegalArgumentException("entries must be positive: " + entries);
    }
    Map<String, String> out = new LinkedHashMap<>();
    TokenSnapshot snapshot = Fixtures.snapshot();
    AccessToken token = snapshot.accessToken().orElseThrow();
    TaskKey sample = new TaskKey("caller:bench", "3f2b8c1e-9a7d-4e65-b0c4-2d1f6e8a9b70");
    JsonSnapshotCodec json = JsonSnapshotCodec.create();
    SealingSnapshotCodec sealed = SealingSnapshotCodec.wrap(JsonSnapshotCodec.create(),
        Fixtures.keyRing());
    out.put("fixture.jwt.chars", String.valueOf(token.token().length()));
    out.put("fixture.scopes", String.valueOf(token.scopes().size()));
    out.put("fixture.claims", String.valueOf(token.claims().size()));
    out.put("size.token.json.bytes", String.valueOf(
        new ObjectMapper().writeValueAsBytes(CodecBenchmark.tokenAsMap(token)).length));
    int jsonBytes = json.encode(sample, snapshot).length;
    int sealedBytes = sealed.encode(sample, snapshot).length;
    out.put("size.stored.json.bytes", String.valueOf(jsonBytes));
    out.put("size.stored.sealed.bytes", String.valueOf(sealedBytes));

    out.put("heap.entries", String.valueOf(entries));
    out.put("heap.object.bytesPerEntry", fmt(heapPerEntry(entries, null, snapshot)));
    out.put("heap.object.payloadBytes", "0");
    out.put("heap.json.bytesPerEntry", fmt(heapPerEntry(entries, json, snapshot)));
    out.put("heap.json.payloadBytes", String.valueOf(jsonBytes));

    StringBuilder text = new StringBuilder();
    out.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    Files.writeString(Path.of(args[1]), text, StandardCharsets.UTF_8);
    PrintStream console = System.out;
    console.print(text);
  }

  private static String fmt(double value) {
    return String.format(java.util.Locale.ROOT, "%.1f", value);
  }

  /** Heap in use with {@code entries} snapshots saved, minus before, per entry. */
  private static double heapPerEntry(int entries, @Nullable SnapshotCodec codec,
      TokenSnapshot snapshot) {
    AccessToken token = snapshot.accessToken().orElseThrow();
    TaskKey[] keys = new TaskKey[entries];
    for (int i = 0; i < entries; i++) {
      keys[i] = TaskKey.random(token); // the keys exist either way: a task holds its key
    }
    long before = usedAfterGc();
    MemoryTokenSnapshotStore.Builder builder =
        MemoryTokenSnapshotStore.builder().maximumSize(entries * 2L);
    if (codec != null) {
      builder.codec(codec);
    }
    MemoryTokenSnapshotStore store = builder.build();
    Instant now = Instant.now();
    for (TaskKey key : keys) {
      store.save(key, TokenSnapshot.of(token, now), TTL);
    }
    store.estimatedSize(); // Caffeine's pending maintenance runs now, not during the GC below
    long after = usedAfterGc();
    if (store.estimatedSize() != entries || store.load(keys[entries - 1]).isEmpty()) {
      throw new IllegalStateException("the store does not hold every snapshot: "
          + store.estimatedSize() + " of " + entries);
    }
    store.close();
    return (after - before) / (double) entries;
  }

  private static long usedAfterGc() {
    Runtime runtime = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 2; i++) {
      System.gc();
      used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
    }
    return used;
  }
}
