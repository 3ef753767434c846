package dev.baton.store.memory;

import dev.baton.codec.JsonSnapshotCodec;
import dev.baton.codec.SealingKeyRing;
import dev.baton.codec.SealingSnapshotCodec;
import dev.baton.store.StoreUriParameters;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenSnapshotStoreProvider;
import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * Opens {@code memory:} URIs for {@link dev.baton.store.TokenSnapshotStores#open(URI)}, such as
 * {@code memory:local} (a URI needs something after the colon; the name is free and ignored).
 *
 * <p>Parameters, all optional, in any order, each at most once; any other parameter is refused
 * (see {@link StoreUriParameters}):
 * <ul>
 *   <li>{@code maximumSize}: the most entries held (default
 *       {@value MemoryTokenSnapshotStore#DEFAULT_MAXIMUM_SIZE});
 *   <li>{@code mode}: {@code object} (default, the snapshot itself) or {@code bytes} (values kept as
 *       versioned JSON, like a remote store);
 *   <li>{@code sealingKeys}: {@code env:NAME} or {@code file:PATH}, a key ring (see
 *       {@link SealingKeyRing#fromReference}) that seals every value; implies bytes mode, and
 *       refuses {@code mode=object};
 *   <li>{@code sealing=none}: say that values are not sealed (the default of this in-process store;
 *       accepted so that a URI written for a network store reads the same); refuses
 *       {@code sealingKeys}.
 * </ul>
 * Each {@code open} makes a new, empty store.
 */
public final class MemoryStoreProvider implements TokenSnapshotStoreProvider {
  /** Every parameter {@code memory:} URIs accept. */
  static final List<String> PARAMETERS = List.of("maximumSize", "mode", "sealing", "sealingKeys");
  private static final String NO_SEALING = "none";

  /** For {@link java.util.ServiceLoader}. */
  public MemoryStoreProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("memory");
  }

  @Override
  public TokenSnapshotStore open(URI uri) {
    StoreUriParameters parameters =
        StoreUriParameters.parse("memory", uri, PARAMETERS, List.of("sealingKeys"));
    MemoryTokenSnapshotStore.Builder builder = MemoryTokenSnapshotStore.builder();
    parameters.get("maximumSize").ifPresent(size -> builder.maximumSize(parseSize(parameters, size)));
    boolean bytes = false;
    if (parameters.get("mode").isPresent()) {
      switch (parameters.get("mode").get()) {
        case "object" -> bytes = false;
        case "bytes" -> bytes = true;
        default -> throw parameters.invalid("mode", "must be 'object' or 'bytes'");
      }
    }
    if (parameters.contains("sealing")
        && !parameters.get("sealing").get().equals(NO_SEALING)) {
      throw parameters.invalid("sealing", "can only be 'none' (to seal, give sealingKeys)");
    }
    if (parameters.contains("sealingKeys")) {
      if (parameters.contains("sealing")) {
        throw new IllegalArgumentException("memory store parameters sealingKeys and sealing=none"
            + " contradict each other: give one");
      }
      if (parameters.contains("mode") && !bytes) {
        throw new IllegalArgumentException("memory store parameter sealingKeys keeps values as"
            + " sealed bytes: drop mode=object (or use mode=bytes)");
      }
      builder.codec(SealingSnapshotCodec.wrap(JsonSnapshotCodec.create(),
          SealingKeyRing.fromReference(parameters.get("sealingKeys").get())));
    } else if (bytes) {
      builder.codec(JsonSnapshotCodec.create());
    }
    return builder.build();
  }

  private static long parseSize(StoreUriParameters parameters, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw parameters.invalid("maximumSize", "must be a whole number");
    }
  }
}
