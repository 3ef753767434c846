package dev.baton.store.memory;

import dev.baton.codec.JsonSnapshotCodec;
import dev.baton.codec.SealingKeyRing;
import dev.baton.codec.SealingSnapshotCodec;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenSnapshotStoreProvider;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Opens {@code memory:} URIs for {@link dev.baton.store.TokenSnapshotStores#open(URI)}, such as
 * {@code memory:local} (a URI needs something after the colon; the name is free and ignored).
 *
 * <p>Parameters, all optional: {@code memory:local?maximumSize=10000&mode=bytes}. {@code mode} is
 * {@code object} (default) or {@code bytes} (values kept as versioned JSON, like a remote store).
 * {@code sealingKeys=env:NAME} (or {@code file:PATH}) keeps values sealed with that key ring (see
 * {@link SealingKeyRing#fromReference}), which implies bytes mode.
 * Each {@code open} makes a new, empty store.
 */
public final class MemoryStoreProvider implements TokenSnapshotStoreProvider {

  /** For {@link java.util.ServiceLoader}. */
  public MemoryStoreProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("memory");
  }

  @Override
  public TokenSnapshotStore open(URI uri) {
    MemoryTokenSnapshotStore.Builder builder = MemoryTokenSnapshotStore.builder();
    String part = uri.getRawSchemeSpecificPart();
    int query = part == null ? -1 : part.indexOf('?');
    if (query >= 0) {
      for (String parameter : part.substring(query + 1).split("&", -1)) { // -1: empty ones too
        if (parameter.isEmpty()) {
          continue;
        }
        int eq = parameter.indexOf('=');
        String name = eq < 0 ? parameter : parameter.substring(0, eq);
        String value = eq < 0 ? "" : parameter.substring(eq + 1);
        switch (name) {
          case "maximumSize" -> builder.maximumSize(parseSize(value));
          case "mode" -> {
            switch (value.toLowerCase(Locale.ROOT)) {
              case "object" -> { }
              case "bytes" -> builder.codec(JsonSnapshotCodec.create());
              default -> throw new IllegalArgumentException(
                  "memory store mode must be 'object' or 'bytes', was '" + value + "'");
            }
          }
          case "sealingKeys" -> builder.codec(SealingSnapshotCodec.wrap(
              JsonSnapshotCodec.create(), SealingKeyRing.fromReference(value)));
          default -> throw new IllegalArgumentException("unknown memory store parameter '" + name
              + "' (known: maximumSize, mode, sealingKeys)");
        }
      }
    }
    return builder.build();
  }

  private static long parseSize(String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("maximumSize must be a number, was '" + value + "'", e);
    }
  }
}
