package dev.baton.store;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.TreeSet;

/** Opens a {@link TokenSnapshotStore} from configuration, by URI scheme. */
public final class TokenSnapshotStores {
  private TokenSnapshotStores() {}

  /**
   * Opens the store that {@code uri} names, through the first {@link TokenSnapshotStoreProvider} on
   * the class path or module path that handles its scheme. For example {@code memory:local} (module
   * {@code baton-store-memory}) or {@code redis://127.0.0.1:6379} (module {@code baton-store-redis}).
   *
   * @throws NullPointerException if {@code uri} is null
   * @throws IllegalArgumentException if the URI has no scheme, or no provider handles it (the message
   *     lists the schemes that are available)
   * @throws TokenStoreException if the provider cannot reach its backend
   */
  public static TokenSnapshotStore open(URI uri) {
    Objects.requireNonNull(uri, "uri");
    String scheme = uri.getScheme();
    if (scheme == null) {
      throw new IllegalArgumentException("store uri must have a scheme, such as memory: or redis:");
    }
    String wanted = scheme.toLowerCase(Locale.ROOT);
    var available = new TreeSet<String>();
    for (TokenSnapshotStoreProvider provider :
        ServiceLoader.load(TokenSnapshotStoreProvider.class, TokenSnapshotStores.class.getClassLoader())) {
      if (provider.schemes().contains(wanted)) {
        return provider.open(uri);
      }
      available.addAll(provider.schemes());
    }
    throw new IllegalArgumentException(
        "no TokenSnapshotStoreProvider for scheme '" + wanted + "' (available: " + available
            + "); add the store module, e.g. baton-store-redis, to the class path");
  }
}
