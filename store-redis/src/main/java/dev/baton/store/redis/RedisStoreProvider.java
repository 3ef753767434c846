package dev.baton.store.redis;

import dev.baton.codec.SealingKeyRing;
import dev.baton.store.StoreUriParameters;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenSnapshotStoreProvider;
import io.lettuce.core.RedisURI;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Opens Redis URIs for {@link dev.baton.store.TokenSnapshotStores#open(URI)}.
 *
 * <ul>
 *   <li>{@code redis://[user:password@]host:port[/database]} and {@code rediss://...} (TLS): a
 *       standalone server, as Lettuce's {@link RedisURI} reads it;
 *   <li>{@code redis-cluster://[user:password@]host1:port1,host2:port2} and
 *       {@code rediss-cluster://...}: a Redis Cluster, from these seed nodes.
 * </ul>
 *
 * <p>Query parameters, in any order, each at most once; any other parameter is refused with an
 * {@link IllegalArgumentException} naming it (see {@link StoreUriParameters}):
 * <ul>
 *   <li>{@code sealingKeys=env:NAME} or {@code sealingKeys=file:PATH}: seal values at rest with the
 *       key ring there (see {@link SealingKeyRing#fromReference}). <b>Either this or
 *       {@code sealing=none} is required</b>: a network store is sealed unless the URI says
 *       otherwise in words;
 *   <li>{@code sealing=none}: store tokens in plain text, on purpose (logged at {@code WARNING} when
 *       the store opens);
 *   <li>{@code keyPrefix} (default {@value RedisTokenSnapshotStore#DEFAULT_KEY_PREFIX});
 *   <li>{@code commandTimeout}: an ISO-8601 duration such as {@code PT2S}, or milliseconds; bounds
 *       connecting and every command;
 *   <li>Lettuce's own parameters, passed through unchanged: {@code database}, {@code db},
 *       {@code clientName}, {@code libraryName}, {@code libraryVersion}, {@code verifyPeer}.
 *       Lettuce's {@code timeout} is refused: use {@code commandTimeout}.
 * </ul>
 */
public final class RedisStoreProvider implements TokenSnapshotStoreProvider {
  private static final String CLUSTER = "redis-cluster";
  private static final String CLUSTER_TLS = "rediss-cluster";
  /**
   * Lettuce's {@link RedisURI} parameters that Baton passes through, by name, on purpose. Not
   * {@code sentinelMasterId} (no Sentinel scheme here) nor {@code timeout} (see below).
   */
  static final List<String> LETTUCE_PARAMETERS = List.of("database", "db", "clientName",
      "libraryName", "libraryVersion", "verifyPeer");
  /** Baton's own parameters. */
  static final List<String> BATON_PARAMETERS =
      List.of("sealingKeys", "sealing", "keyPrefix", "commandTimeout");
  /**
   * Lettuce's parameters that Baton refuses with a message of their own (never listed as known):
   * Baton's commandTimeout replaces timeout.
   */
  static final Map<String, String> REFUSED_PARAMETERS = Map.of("timeout", "it is Lettuce's;"
      + " Baton bounds connecting and every command by commandTimeout: use commandTimeout=PT2S"
      + " (or milliseconds) instead");

  /** For {@link java.util.ServiceLoader}. */
  public RedisStoreProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("redis", "rediss", CLUSTER, CLUSTER_TLS);
  }

  @Override
  public TokenSnapshotStore open(URI uri) {
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    // Check the shape before cutting: "redis:x" is shorter than "redis://".
    if (!uri.toString().regionMatches(true, uri.getScheme().length(), "://", 0, 3)) {
      throw new IllegalArgumentException(scheme + " store uri must look like " + scheme
          + "://host:port");
    }
    if (uri.getRawFragment() != null) {
      throw new IllegalArgumentException(scheme + " store uri must not have a #fragment");
    }
    String raw = uri.toString().substring(uri.getScheme().length() + 3);
    String query = "";
    int q = raw.indexOf('?');
    if (q >= 0) {
      query = raw.substring(q + 1);
      raw = raw.substring(0, q);
    }
    RedisTokenSnapshotStore.Builder builder = RedisTokenSnapshotStore.builder();
    String lettuceQuery = applyParameters(scheme, query, builder);
    requireDatabaseOnce(scheme, raw, lettuceQuery);
    String suffix = lettuceQuery.isEmpty() ? "" : "?" + lettuceQuery;
    if (scheme.equals(CLUSTER) || scheme.equals(CLUSTER_TLS)) {
      String nodeScheme = scheme.equals(CLUSTER) ? "redis://" : "rediss://";
      String userInfo = "";
      int at = raw.lastIndexOf('@');
      if (at >= 0) {
        userInfo = raw.substring(0, at + 1);
        raw = raw.substring(at + 1);
      }
      List<String> seeds = new ArrayList<>();
      for (String node : raw.split(",", -1)) { // -1: empty parts too, skipped below
        if (!node.isBlank()) {
          requireHostAndPort(scheme, nodeScheme + node.strip());
          seeds.add(nodeScheme + userInfo + node.strip() + suffix);
        }
      }
      return builder.cluster(seeds).build();
    }
    requireHostAndPort(scheme, scheme + "://" + raw);
    return builder.uri(scheme + "://" + raw + suffix).build();
  }

  /**
   * Lettuce reads an authority it cannot parse, such as {@code host:notaport}, as a host name
   * (with the default port) and would try to resolve it; refuse such URIs up front. The message
   * never quotes the URI, which may hold a password.
   */
  private static void requireHostAndPort(String scheme, String node) {
    URI parsed;
    try {
      parsed = new URI(node);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(scheme + " store uri is malformed (" + e.getReason()
          + "); expected " + scheme + "://[user:password@]host[:port]");
    }
    int port = parsed.getPort();
    if (parsed.getHost() == null || port == 0 || port > 65535) {
      throw new IllegalArgumentException(scheme + " store uri must name a host and an optional"
          + " port from 1 to 65535: " + scheme + "://[user:password@]host[:port]");
    }
  }

  /**
   * Lettuce reads {@code /N}, {@code database=N} and {@code db=N} into one setting and silently
   * lets the last one it reads win; like any parameter given twice, the database is refused when
   * the URI gives it more than once, even with equal values (strict configuration: which of two
   * databases a store writes to must never depend on how Lettuce happens to order them).
   */
  private static void requireDatabaseOnce(String scheme, String authorityAndPath, String query) {
    int given = 0;
    int slash = authorityAndPath.indexOf('/', authorityAndPath.lastIndexOf('@') + 1);
    if (slash >= 0 && slash < authorityAndPath.length() - 1) {
      given++;
    }
    for (String pair : query.split("&", -1)) { // empty pairs match nothing below
      if (pair.startsWith("db=") || pair.startsWith("database=")) {
        given++;
      }
    }
    if (given > 1) {
      throw new IllegalArgumentException(scheme + " store uri gives the database more than once"
          + " (as /N, database= or db=, which are one setting); give it once");
    }
  }

  static String hostAndPort(RedisURI uri) {
    return uri.getHost() + ":" + uri.getPort();
  }

  /**
   * Applies Baton's parameters to {@code builder} and returns Lettuce's, still encoded, for its URI.
   * Sealing is settled here, before connecting: sealingKeys, or sealing=none, or a refusal.
   */
  private static String applyParameters(
      String scheme, String query, RedisTokenSnapshotStore.Builder builder) {
    List<String> known = new ArrayList<>(BATON_PARAMETERS);
    known.addAll(LETTUCE_PARAMETERS);
    StoreUriParameters parameters = StoreUriParameters.parseQuery(
        scheme, query, known, List.of("sealingKeys"), REFUSED_PARAMETERS);
    parameters.get("keyPrefix").ifPresent(builder::keyPrefix);
    parameters.get("commandTimeout")
        .ifPresent(value -> builder.commandTimeout(parseDuration(parameters, value)));
    Optional<String> sealing = parameters.get("sealing");
    Optional<String> sealingKeys = parameters.get("sealingKeys");
    if (sealing.isPresent() && !sealing.get().equals(RedisTokenSnapshotStore.NO_SEALING)) {
      throw parameters.invalid("sealing", "can only be 'none' (to seal, give sealingKeys)");
    }
    if (sealing.isPresent() && sealingKeys.isPresent()) {
      throw new IllegalArgumentException(scheme + " store parameters sealingKeys and sealing=none"
          + " contradict each other: give one");
    }
    if (sealingKeys.isPresent()) {
      builder.sealingKeys(SealingKeyRing.fromReference(sealingKeys.get()));
    } else if (sealing.isPresent()) {
      builder.withoutSealing();
    } else {
      throw new IllegalArgumentException(RedisTokenSnapshotStore.sealingRequired(true));
    }
    List<String> lettuce = new ArrayList<>();
    for (String name : LETTUCE_PARAMETERS) {
      parameters.rawValue(name).ifPresent(value -> lettuce.add(name + "=" + value));
    }
    return String.join("&", lettuce);
  }

  private static Duration parseDuration(StoreUriParameters parameters, String value) {
    Duration duration;
    try {
      duration = value.chars().allMatch(Character::isDigit) && !value.isEmpty()
          ? Duration.ofMillis(Long.parseLong(value))
          : Duration.parse(value);
    } catch (DateTimeParseException | NumberFormatException e) {
      throw parameters.invalid("commandTimeout",
          "must be a positive ISO-8601 duration (PT2S) or milliseconds");
    }
    if (duration.isNegative() || duration.isZero()) {
      throw parameters.invalid("commandTimeout",
          "must be a positive ISO-8601 duration (PT2S) or milliseconds");
    }
    return duration;
  }
}
