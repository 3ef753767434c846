package dev.baton.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.baton.codec.SealingKeyRing;
import dev.baton.store.StoreUriParameters;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenSnapshotStoreProvider;
import dev.baton.store.TokenStoreException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Opens PostgreSQL URIs for {@link dev.baton.store.TokenSnapshotStores#open(URI)}, with a HikariCP
 * pool that the store closes with itself:
 *
 * <ul>
 *   <li>{@code jdbc:postgresql://host[:port][,host2[:port2]]/database?user=...&password=...}, the
 *       driver's own URL form;
 *   <li>{@code postgresql://[user[:password]@]host[:port]/database}, the libpq form.
 * </ul>
 *
 * <p>Parameters are strict: an unknown one is an {@link IllegalArgumentException} naming it.
 * Baton's own: {@code sealingKeys} ({@code env:NAME} or {@code file:PATH}, see
 * {@link SealingKeyRing#fromReference}) or {@code sealing=none} (explicit opt-out, one of the two
 * is required), {@code table}, {@code createSchema} ({@code true}/{@code false}),
 * {@code queryTimeout}, {@code purgeInterval}, and the pool's {@code maximumPoolSize} (default
 * {@value #DEFAULT_POOL_SIZE}) and {@code connectionTimeout} (default 2 s). Durations are ISO-8601
 * ({@code PT2S}) or milliseconds. The PostgreSQL driver's parameters in {@link #DRIVER_PARAMETERS}
 * are passed to it by name.
 */
public final class PostgresStoreProvider implements TokenSnapshotStoreProvider {
  /** The pool size unless {@code maximumPoolSize} says otherwise. */
  public static final int DEFAULT_POOL_SIZE = 10;
  /** How long a caller waits for a pooled connection unless {@code connectionTimeout} says. */
  public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(2);

  /** Baton's own parameters. */
  public static final Set<String> STORE_PARAMETERS = Set.of("sealingKeys", "sealing", "table",
      "createSchema", "queryTimeout", "purgeInterval", "maximumPoolSize", "connectionTimeout");

  /** The PostgreSQL JDBC driver's parameters that are passed on, by name. */
  public static final Set<String> DRIVER_PARAMETERS = Set.of("user", "password",
      "ssl", "sslmode", "sslcert", "sslkey", "sslrootcert", "sslpassword", "sslNegotiation",
      "channelBinding", "gssEncMode", "connectTimeout", "socketTimeout", "loginTimeout",
      "cancelSignalTimeout", "tcpKeepAlive", "ApplicationName", "currentSchema", "options",
      "targetServerType", "loadBalanceHosts", "hostRecheckSeconds", "prepareThreshold",
      "assumeMinServerVersion");

  private static final Set<String> ALL_PARAMETERS;

  static {
    Set<String> all = new HashSet<>(STORE_PARAMETERS);
    all.addAll(DRIVER_PARAMETERS);
    ALL_PARAMETERS = Set.copyOf(all);
  }

  /** For {@link java.util.ServiceLoader}. */
  public PostgresStoreProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("jdbc", "postgresql");
  }

  @Override
  public TokenSnapshotStore open(URI uri) {
    String text = uri.toString();
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    String rest; // after "//": [userinfo@]hosts/database[?query]
    String shown;
    if (scheme.equals("jdbc")) {
      shown = "jdbc:postgresql";
      if (!text.regionMatches(true, 0, "jdbc:postgresql://", 0, 18)) {
        throw new IllegalArgumentException("jdbc store uri must be jdbc:postgresql://host[:port]"
            + "/database (no other database is supported)");
      }
      rest = text.substring(18);
    } else {
      shown = scheme;
      if (!text.regionMatches(true, scheme.length(), "://", 0, 3)) {
        throw new IllegalArgumentException("postgresql store uri must look like"
            + " postgresql://[user[:password]@]host[:port]/database");
      }
      rest = text.substring(scheme.length() + 3);
    }
    int q = rest.indexOf('?');
    String query = q < 0 ? "" : rest.substring(q + 1);
    String location = q < 0 ? rest : rest.substring(0, q);
    StoreUriParameters parameters = StoreUriParameters.parseQuery(shown, query, ALL_PARAMETERS,
        Set.of("password", "sslpassword", "sealingKeys"));

    String user = parameters.get("user").orElse(null);
    String password = parameters.get("password").orElse(null);
    int at = location.lastIndexOf('@');
    if (at >= 0) {
      if (scheme.equals("jdbc")) {
        throw new IllegalArgumentException("jdbc:postgresql store uri takes credentials as"
            + " ?user=...&password=..., not before '@'");
      }
      String userInfo = location.substring(0, at);
      location = location.substring(at + 1);
      int colon = userInfo.indexOf(':');
      if (user != null || (colon >= 0 && password != null)) {
        throw new IllegalArgumentException(
            "postgresql store uri gives credentials twice (before '@' and as parameters)");
      }
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      if (colon >= 0) {
        password = decode(userInfo.substring(colon + 1));
      }
    }
    int slash = location.indexOf('/');
    if (slash <= 0 || slash == location.length() - 1) {
      throw new IllegalArgumentException(shown + " store uri must name a host and a database: "
          + shown + "://host[:port]/database");
    }
    String hosts = location.substring(0, slash);
    if (!hosts.matches("[A-Za-z0-9._\\-\\[\\]:,]+")) {
      throw new IllegalArgumentException(shown + " store uri has a malformed host list");
    }

    JdbcTokenSnapshotStore.Builder builder = JdbcTokenSnapshotStore.builder();
    configureStore(shown, parameters, builder);

    HikariConfig pool = new HikariConfig();
    pool.setPoolName("baton-jdbc");
    pool.setDriverClassName("org.postgresql.Driver");
    pool.setJdbcUrl("jdbc:postgresql://" + hosts + "/" + location.substring(slash + 1));
    if (user != null) {
      pool.setUsername(user);
    }
    if (password != null) {
      pool.setPassword(password);
    }
    for (String name : parameters.names()) {
      if (DRIVER_PARAMETERS.contains(name) && !name.equals("user") && !name.equals("password")) {
        pool.addDataSourceProperty(name, parameters.get(name).orElseThrow());
      }
    }
    pool.setMaximumPoolSize(positiveInt(parameters, "maximumPoolSize", DEFAULT_POOL_SIZE));
    // Saturating: an ISO-8601 duration may hold more milliseconds than a long (then: wait "forever").
    pool.setConnectionTimeout(Math.max(250, JdbcTokenSnapshotStore.saturatedNanos(duration(
        parameters, "connectionTimeout", DEFAULT_CONNECTION_TIMEOUT)) / 1_000_000));
    HikariDataSource dataSource = openPool(pool);
    try {
      return builder.dataSource(dataSource).owning(dataSource).build();
    } catch (RuntimeException e) {
      dataSource.close();
      throw e;
    }
  }

  private static void configureStore(String shown, StoreUriParameters parameters,
      JdbcTokenSnapshotStore.Builder builder) {
    String sealing = parameters.get("sealing").orElse(null);
    String keys = parameters.get("sealingKeys").orElse(null);
    if (sealing != null && !sealing.equals("none")) {
      throw parameters.invalid("sealing", "accepts only 'none' (the explicit opt-out); to seal,"
          + " give sealingKeys=env:NAME|file:PATH");
    }
    if (sealing != null && keys != null) {
      throw new IllegalArgumentException(shown + " store uri sets both sealing=none and"
          + " sealingKeys; choose one");
    }
    if (keys != null) {
      builder.sealingKeys(SealingKeyRing.fromReference(keys));
    } else if (sealing != null) {
      builder.withoutSealing();
    } else {
      throw new IllegalArgumentException(shown + " store uri: "
          + JdbcTokenSnapshotStore.Builder.missingSealingMessage());
    }
    String table = parameters.get("table").orElse(null);
    if (table != null) {
      builder.table(table);
    }
    String createSchema = parameters.get("createSchema").orElse(null);
    if (createSchema != null) {
      if (!createSchema.equals("true") && !createSchema.equals("false")) {
        throw parameters.invalid("createSchema", "must be true or false");
      }
      builder.createSchema(Boolean.parseBoolean(createSchema));
    }
    if (parameters.contains("queryTimeout")) {
      builder.queryTimeout(duration(parameters, "queryTimeout", Duration.ZERO));
    }
    if (parameters.contains("purgeInterval")) {
      builder.purgeInterval(duration(parameters, "purgeInterval", Duration.ZERO));
    }
  }

  private static HikariDataSource openPool(HikariConfig config) {
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      SQLException sql = firstSqlException(e);
      if (sql != null) {
        TokenStoreException mapped = JdbcErrors.translate("connect", null, sql);
        throw new TokenStoreException("could not open a connection pool to PostgreSQL: "
            + mapped.getMessage(), mapped.getCause());
      }
      throw new TokenStoreException("could not open a connection pool to PostgreSQL ("
          + e.getClass().getSimpleName() + ")", JdbcErrors.redacted(e));
    }
  }

  private static @Nullable SQLException firstSqlException(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql) {
        return sql;
      }
    }
    return null;
  }

  private static String decode(String raw) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "postgresql store uri has a malformed percent-escape in its credentials");
    }
  }

  private static int positiveInt(StoreUriParameters parameters, String name, int otherwise) {
    String value = parameters.get(name).orElse(null);
    if (value == null) {
      return otherwise;
    }
    try {
      int n = Integer.parseInt(value);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw parameters.invalid(name, "must be a positive integer");
  }

  private static Duration duration(StoreUriParameters parameters, String name, Duration otherwise) {
    String value = parameters.get(name).orElse(null);
    if (value == null) {
      return otherwise;
    }
    try {
      Duration d = !value.isEmpty() && value.chars().allMatch(Character::isDigit)
          ? Duration.ofMillis(Long.parseLong(value))
          : Duration.parse(value);
      if (!d.isNegative()) {
        return d;
      }
    } catch (DateTimeParseException | NumberFormatException e) {
      // reported below
    }
    throw parameters.invalid(name, "must be an ISO-8601 duration (PT2S) or milliseconds");
  }

}
