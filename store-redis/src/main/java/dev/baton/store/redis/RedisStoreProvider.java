package dev.baton.store.redis;

import dev.baton.codec.JsonSnapshotCodec;
import dev.baton.codec.SealingKeyRing;
import dev.baton.codec.SealingSnapshotCodec;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenSnapshotStoreProvider;
import io.lettuce.core.RedisURI;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * Baton's own query parameters, removed before Lettuce sees the URI: {@code keyPrefix} (default
 * {@value RedisTokenSnapshotStore#DEFAULT_KEY_PREFIX}), {@code commandTimeout} (an ISO-8601
 * duration such as {@code PT2S}, or milliseconds) and {@code sealingKeys} ({@code env:NAME} or
 * {@code file:PATH}: seal values at rest with that key ring, see
 * {@link SealingKeyRing#fromReference}). Other parameters go to Lettuce.
 */
public final class RedisStoreProvider implements TokenSnapshotStoreProvider {
  private static final String CLUSTER = "redis-cluster";
  private static final String CLUSTER_TLS = "rediss-cluster";

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
    String raw = uri.toString().substring(uri.getScheme().length() + 3);
    RedisTokenSnapshotStore.Builder builder = RedisTokenSnapshotStore.builder();
    String query = "";
    int q = raw.indexOf('?');
    if (q >= 0) {
      query = keepLettuceParameters(raw.substring(q + 1), builder);
      raw = raw.substring(0, q);
    }
    String suffix = query.isEmpty() ? "" : "?" + query;
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

  static String hostAndPort(RedisURI uri) {
    return uri.getHost() + ":" + uri.getPort();
  }

  private static String keepLettuceParameters(String query, RedisTokenSnapshotStore.Builder builder) {
    List<String> kept = new ArrayList<>();
    for (String parameter : query.split("&", -1)) { // -1: empty names too, skipped below
      int eq = parameter.indexOf('=');
      String name = eq < 0 ? parameter : parameter.substring(0, eq);
      String value = eq < 0 ? "" : URLDecoder.decode(parameter.substring(eq + 1),
          StandardCharsets.UTF_8);
      switch (name) {
        case "keyPrefix" -> builder.keyPrefix(value);
        case "commandTimeout" -> builder.commandTimeout(parseDuration(value));
        case "sealingKeys" -> builder.codec(SealingSnapshotCodec.wrap(
            JsonSnapshotCodec.create(), SealingKeyRing.fromReference(value)));
        case "" -> { }
        default -> kept.add(parameter);
      }
    }
    return String.join("&", kept);
  }

  private static Duration parseDuration(String value) {
    try {
      return value.chars().allMatch(Character::isDigit) && !value.isEmpty()
          ? Duration.ofMillis(Long.parseLong(value))
          : Duration.parse(value);
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new IllegalArgumentException(
          "commandTimeout must be an ISO-8601 duration (PT2S) or milliseconds, was '" + value + "'");
    }
  }
}
