package dev.baton.store;

import java.net.URI;
import java.util.Set;

/**
 * Opens stores for URI schemes; registered with {@link java.util.ServiceLoader} (in
 * {@code META-INF/services} or a {@code provides} clause) and found by
 * {@link TokenSnapshotStores#open(URI)}.
 *
 * <p>Implementations must be thread-safe and have a public no-argument constructor.
 */
public interface TokenSnapshotStoreProvider {

  /** The URI schemes this provider opens, lower case (e.g. {@code memory}, {@code redis}). */
  Set<String> schemes();

  /**
   * Opens a store for {@code uri}, whose scheme is one of {@link #schemes()}.
   *
   * @throws IllegalArgumentException if the URI is malformed for this provider; the message must not
   *     contain the URI's password
   * @throws TokenStoreException if the backend cannot be reached
   */
  TokenSnapshotStore open(URI uri);
}
