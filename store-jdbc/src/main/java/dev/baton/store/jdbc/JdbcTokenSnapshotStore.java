package dev.baton.store.jdbc;

import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.codec.JsonSnapshotCodec;
import dev.baton.codec.SealingKeyRing;
import dev.baton.codec.SealingSnapshotCodec;
import dev.baton.codec.SnapshotCodec;
import dev.baton.store.BatchSaveException;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenStoreException;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TokenSnapshotStore} on PostgreSQL through plain JDBC, over a {@link DataSource} you
 * supply (a connection pool such as HikariCP), in one table:
 *
 * <pre>{@code
 * CREATE TABLE IF NOT EXISTS baton_snapshots (
 *   task_key   text COLLATE "C" PRIMARY KEY,  -- TaskKey.encoded(), compared byte for byte
 *   snapshot   bytea NOT NULL,                -- the codec's bytes (sealed by default)
 *   expires_at timestamptz NOT NULL)          -- computed by the database from its own clock
 * CREATE INDEX IF NOT EXISTS baton_snapshots_expires_at ON baton_snapshots (expires_at)
 * }</pre>
 * ({@link #schema(String)} gives these statements for any table name, for migration tools.)
 *
 * <p><b>Time.</b> Every deadline is computed and compared by the database,
 * {@code clock_timestamp() + ttl}, so application and database clocks never have to agree. TTLs are
 * rounded up to whole microseconds (PostgreSQL's timestamp resolution) and capped at
 * {@link #MAX_TTL}. Expired rows are never returned; {@code save} deletes them at most once per
 * {@linkplain Builder#purgeInterval purge interval}, and {@link #purgeExpired()} does it on demand.
 *
 * <p><b>Operations.</b> Each is one statement in autocommit (or committed at once when the
 * connection is not in autocommit): {@code save} is an upsert ({@code INSERT ... ON CONFLICT DO
 * UPDATE}), {@code take} is {@code DELETE ... RETURNING} (atomic: of concurrent takers one gets the
 * snapshot), {@code touch} is one {@code UPDATE} of a live row.
 *
 * <p><b>Values</b> are bytes from a {@link SnapshotCodec}, sealed ({@link SealingSnapshotCodec},
 * AES-GCM bound to the task key) unless the builder is told {@link Builder#withoutSealing()} in
 * words. A value that does not decode, or was copied from another key's row, is a
 * {@link dev.baton.codec.SnapshotDecodeException}, never another caller's snapshot.
 *
 * <p><b>Failures</b> are {@link TokenStoreException}s naming the operation, the task key and the
 * SQLState; database messages (which can quote row values) are withheld. The store holds no
 * connection between operations, so it recovers as soon as the pool hands out working connections
 * again.
 *
 * <p>Thread-safe. Build one per application and share it; {@link #close()} does not close a
 * {@code DataSource} you supplied.
 */
public final class JdbcTokenSnapshotStore implements TokenSnapshotStore {
  /** The default table name. */
  public static final String DEFAULT_TABLE = "baton_snapshots";
  /** The default bound on each statement. */
  public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(5);
  /** The default minimum time between two purges of expired rows by {@code save}. */
  public static final Duration DEFAULT_PURGE_INTERVAL = Duration.ofMinutes(1);
  /**
   * The longest TTL kept as given, 200,000 years (of 365.2425 days); longer TTLs are stored as
   * this. PostgreSQL's limits set it: a {@code timestamptz} reaches the year 294276, so
   * {@code clock_timestamp() + MAX_TTL} stays representable for any database clock before the
   * year 94,000; and the whole hours passed to {@code make_interval} (1,753,164,000) fit its
   * {@code int} parameter (an {@code interval} itself reaches about 178,000,000 years).
   */
  public static final Duration MAX_TTL = Duration.ofDays(73_048_500);

  private static final System.Logger LOGGER =
      System.getLogger(JdbcTokenSnapshotStore.class.getName());
  /** A table name, optionally schema-qualified; lower case so that quoting never changes it. */
  private static final Pattern TABLE_NAME =
      Pattern.compile("([a-z_][a-z0-9_]{0,62}\\.)?[a-z_][a-z0-9_]{0,47}");
  /**
   * The database computes every deadline: whole hours, whole seconds and microseconds, each an
   * integer (no fraction of a second passes through floating point, which could round it down).
   */
  private static final String EXPIRY = "clock_timestamp() + make_interval(hours => ?, secs => ?)"
      + " + ? * interval '1 microsecond'";

  private final DataSource dataSource;
  private final SnapshotCodec codec;
  private final boolean sealed;
  private final String table;
  private final int queryTimeoutSeconds;
  private final long purgeIntervalNanos;
  private final @Nullable AutoCloseable owned;
  private final AtomicLong nextPurge;
  private final String saveSql;
  private final String saveAllSql;
  private final String loadSql;
  private final String deleteSql;
  private final String takeSql;
  private final String touchSql;
  private final String purgeSql;
  private volatile boolean closed;

  private JdbcTokenSnapshotStore(Builder b, DataSource dataSource, SnapshotCodec codec,
      boolean sealed) {
    this.dataSource = dataSource;
    this.codec = codec;
    this.sealed = sealed;
    this.table = b.table;
    // Rounded up to whole seconds; saturating, so a timeout of "forever" (Long.MAX_VALUE seconds
    // plus nanos) stays the longest int rather than overflowing into 0 (no timeout) or below.
    this.queryTimeoutSeconds = (int) Math.min(Integer.MAX_VALUE, b.queryTimeout.getSeconds()
        + (b.queryTimeout.getNano() > 0 && b.queryTimeout.getSeconds() < Long.MAX_VALUE ? 1 : 0));
    this.purgeIntervalNanos = saturatedNanos(b.purgeInterval);
    this.owned = b.owned;
    this.nextPurge = new AtomicLong(System.nanoTime());
    String t = quoted(table);
    this.saveSql = "INSERT INTO " + t + " (task_key, snapshot, expires_at) VALUES (?, ?, " + EXPIRY
        + ") ON CONFLICT (task_key) DO UPDATE"
        + " SET snapshot = EXCLUDED.snapshot, expires_at = EXCLUDED.expires_at";
    // One statement per chunk of a batch: the keys and values go as two arrays. (Not a JDBC
    // statement batch: PostgreSQL's driver names a failed batch entry by its statement with the
    // values bound, and that text reaches logs, such as HikariCP's warning for a broken connection.)
    this.saveAllSql = "INSERT INTO " + t + " (task_key, snapshot, expires_at) SELECT k, s, " + EXPIRY
        + " FROM unnest(?::text[], ?::bytea[]) AS batch(k, s) ON CONFLICT (task_key) DO UPDATE"
        + " SET snapshot = EXCLUDED.snapshot, expires_at = EXCLUDED.expires_at";
    this.loadSql = "SELECT snapshot FROM " + t
        + " WHERE task_key = ? AND expires_at > clock_timestamp()";
    this.deleteSql = "DELETE FROM " + t + " WHERE task_key = ?"
        + " RETURNING expires_at > clock_timestamp()";
    this.takeSql = "DELETE FROM " + t + " WHERE task_key = ?"
        + " RETURNING snapshot, expires_at > clock_timestamp()";
    this.touchSql = "UPDATE " + t + " SET expires_at = " + EXPIRY
        + " WHERE task_key = ? AND expires_at > clock_timestamp()";
    this.purgeSql = "DELETE FROM " + t + " WHERE expires_at <= clock_timestamp()";
  }

  /** A builder; {@link Builder#dataSource} is required, and sealing keys or an explicit opt-out. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The statements that create the store's table and index if they are missing, for users who
   * manage their schema with a migration tool (then build with {@code createSchema(false)}).
   *
   * @param table a table name as {@link Builder#table} accepts it
   * @return the statements, in order
   * @throws IllegalArgumentException if {@code table} is not a valid name
   */
  public static List<String> schema(String table) {
    String t = quoted(requireTableName(table));
    String index = quoted(table.substring(table.indexOf('.') + 1) + "_expires_at");
    return List.of(
        "CREATE TABLE IF NOT EXISTS " + t + " (task_key text COLLATE \"C\" PRIMARY KEY,"
            + " snapshot bytea NOT NULL, expires_at timestamptz NOT NULL)",
        "CREATE INDEX IF NOT EXISTS " + index + " ON " + t + " (expires_at)");
  }

  @Override
  public void save(TaskKey key, TokenSnapshot snapshot, Duration ttl) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(snapshot, "snapshot");
    TokenSnapshotStore.requirePositiveTtl(ttl);
    checkOpen();
    byte[] value = codec.encode(key, snapshot); // IllegalArgumentException when too large
    boolean purge = purgeDue();
    run("save", key, c -> {
      try (PreparedStatement s = prepare(c, saveSql)) {
        s.setString(1, key.encoded());
        s.setBytes(2, value);
        setTtl(s, 3, ttl);
        s.executeUpdate();
      }
      return null;
    });
    if (purge) {
      purgeQuietly();
    }
  }

  /** After a save, on its own: a slow or failed purge must not fail (or roll back) a save. */
  private void purgeQuietly() {
    try {
      run("purge", null, this::purgeWith);
    } catch (TokenStoreException e) {
      LOGGER.log(Level.WARNING, "purging expired rows from " + table + " failed; the next"
          + " purge retries: " + e.getMessage());
    }
  }

  /** Keys per statement of {@link #saveAllAsync}. */
  static final int BATCH_CHUNK = 256;

  /**
   * Writes every key's row as {@link #save} does, {@value #BATCH_CHUNK} keys per statement: one
   * upsert whose keys and values are two arrays, so one round trip where a save per key waits for
   * each reply in turn. Like {@link #saveAsync}, this store writes before it returns: the stage is
   * already complete. See {@link TokenSnapshotStore#saveAllAsync} for the contract: all stored, or
   * a {@link BatchSaveException} naming each key that failed.
   *
   * <p>The JSON is written once for the batch ({@link SnapshotCodec#encoderFor}) and, on a sealed
   * store, sealed once per key, since the task key is the associated data that binds a value to
   * its key. A key given twice is written once (a statement may not upsert one row twice). A
   * statement that fails stores none of its keys, and each is reported with that failure (a
   * {@link TokenStoreException} naming no value); the other statements' keys are stored. Argument
   * errors, an oversized snapshot and a closed store throw at once, before anything is written.
   */
  @Override
  public CompletionStage<Void> saveAllAsync(
      Collection<TaskKey> keys, TokenSnapshot snapshot, Duration ttl) {
    List<TaskKey> given = List.copyOf(keys);
    List<TaskKey> batch = List.copyOf(new LinkedHashSet<>(given));
    Objects.requireNonNull(snapshot, "snapshot");
    TokenSnapshotStore.requirePositiveTtl(ttl);
    checkOpen();
    if (batch.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    Function<TaskKey, byte[]> values = codec.encoderFor(snapshot);
    // The first value now: a snapshot over the size limit throws here, with nothing written.
    byte[] first = values.apply(batch.get(0));
    boolean purge = purgeDue();
    var failures = new LinkedHashMap<TaskKey, Throwable>();
    for (int from = 0; from < batch.size(); from += BATCH_CHUNK) {
      List<TaskKey> chunk = batch.subList(from, Math.min(batch.size(), from + BATCH_CHUNK));
      String[] taskKeys = new String[chunk.size()];
      byte[][] snapshots = new byte[chunk.size()][];
      for (int i = 0; i < chunk.size(); i++) {
        taskKeys[i] = chunk.get(i).encoded();
        snapshots[i] = from == 0 && i == 0 ? first : values.apply(chunk.get(i));
      }
      try {
        run("batch save of " + chunk.size() + " tasks", null, c -> {
          try (PreparedStatement s = prepare(c, saveAllSql)) {
            setTtl(s, 1, ttl);
            s.setArray(4, c.createArrayOf("text", taskKeys));
            s.setArray(5, c.createArrayOf("bytea", snapshots));
            s.executeUpdate();
          }
          return null;
        });
      } catch (TokenStoreException | IllegalStateException e) {
        // IllegalStateException: closed by another thread during the batch.
        for (TaskKey key : chunk) {
          failures.put(key, e);
        }
      }
    }
    if (purge) {
      purgeQuietly();
    }
    return failures.isEmpty()
        ? CompletableFuture.completedFuture(null)
        : CompletableFuture.failedFuture(new BatchSaveException(given.size(), failures));
  }

  @Override
  public Optional<TokenSnapshot> load(TaskKey key) {
    Objects.requireNonNull(key, "key");
    checkOpen();
    byte[] value = run("load", key, c -> {
      try (PreparedStatement s = prepare(c, loadSql)) {
        s.setString(1, key.encoded());
        try (ResultSet rows = s.executeQuery()) {
          return rows.next() ? rows.getBytes(1) : null;
        }
      }
    });
    return value == null ? Optional.empty() : Optional.of(codec.decode(key, value));
  }

  @Override
  public boolean delete(TaskKey key) {
    Objects.requireNonNull(key, "key");
    checkOpen();
    // The row goes even when expired (nothing should keep a token longer than needed); only a
    // live one counts as removed.
    Boolean live = run("delete", key, c -> {
      try (PreparedStatement s = prepare(c, deleteSql)) {
        s.setString(1, key.encoded());
        try (ResultSet rows = s.executeQuery()) {
          return rows.next() && rows.getBoolean(1);
        }
      }
    });
    return Boolean.TRUE.equals(live);
  }

  @Override
  public boolean touch(TaskKey key, Duration ttl) {
    Objects.requireNonNull(key, "key");
    TokenSnapshotStore.requirePositiveTtl(ttl);
    checkOpen();
    Integer updated = run("touch", key, c -> {
      try (PreparedStatement s = prepare(c, touchSql)) {
        setTtl(s, 1, ttl);
        s.setString(4, key.encoded());
        return s.executeUpdate();
      }
    });
    return updated != null && updated > 0;
  }

  @Override
  public Optional<TokenSnapshot> take(TaskKey key) {
    Objects.requireNonNull(key, "key");
    checkOpen();
    byte[] value = run("take", key, c -> {
      try (PreparedStatement s = prepare(c, takeSql)) {
        s.setString(1, key.encoded());
        try (ResultSet rows = s.executeQuery()) {
          return rows.next() && rows.getBoolean(2) ? rows.getBytes(1) : null;
        }
      }
    });
    return value == null ? Optional.empty() : Optional.of(codec.decode(key, value));
  }

  @Override
  public Capabilities capabilities() {
    return Capabilities.ALL;
  }

  /**
   * Deletes every expired row now (for a scheduled job; {@code save} also does it once per purge
   * interval).
   *
   * @return the number of rows deleted
   * @throws TokenStoreException if the database fails
   * @throws IllegalStateException if the store is closed
   */
  public long purgeExpired() {
    checkOpen();
    Long purged = run("purge", null, this::purgeWith);
    return purged == null ? 0 : purged;
  }

  /** Whether values are sealed at rest (false only after {@link Builder#withoutSealing()}). */
  public boolean isSealed() {
    return sealed;
  }

  /** The table this store uses, as configured (unquoted). */
  public String table() {
    return table;
  }

  /**
   * Marks the store closed; closes the pool only if the store opened it itself (URI provider).
   * Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (owned != null) {
      try {
        owned.close();
      } catch (Exception e) {
        LOGGER.log(Level.WARNING, "closing the connection pool of " + this + " failed: " + e);
      }
    }
  }

  @Override
  public String toString() {
    return "JdbcTokenSnapshotStore[table=" + table + ", "
        + (sealed ? "sealed" : "NOT sealed (sealing=none)") + ", closed=" + closed + "]";
  }

  // ---- internals --------------------------------------------------------------------------------

  @FunctionalInterface
  private interface SqlCall<T> {
    @Nullable T call(Connection connection) throws SQLException;
  }

  private <T> @Nullable T run(String operation, @Nullable TaskKey key, SqlCall<T> call) {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      try {
        T result = call.call(c);
        if (!autoCommit) {
          c.commit();
        }
        return result;
      } catch (SQLException | RuntimeException e) {
        if (!autoCommit) {
          rollbackQuietly(c);
        }
        throw e;
      }
    } catch (SQLException e) {
      if (closed) {
        throw new IllegalStateException("store is closed", JdbcErrors.translate(operation, key, e));
      }
      throw JdbcErrors.translate(operation, key, e);
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // The connection is broken; the pool discards it. The original failure is what matters.
    }
  }

  private PreparedStatement prepare(Connection c, String sql) throws SQLException {
    PreparedStatement s = c.prepareStatement(sql);
    s.setQueryTimeout(queryTimeoutSeconds);
    return s;
  }

  /** Sets {@code ttl}, rounded up to whole microseconds and capped, at three parameters. */
  private static void setTtl(PreparedStatement s, int index, Duration ttl) throws SQLException {
    Duration capped = ttl.compareTo(MAX_TTL) > 0 ? MAX_TTL : ttl;
    s.setInt(index, (int) (capped.getSeconds() / 3600));
    // Integers below 2^53 are exact as doubles: the products below are exact, nothing rounds.
    s.setDouble(index + 1, (double) (capped.getSeconds() % 3600));
    // Integer division on purpose: whole microseconds, rounded up.
    int micros = (capped.getNano() + 999) / 1000; // nanos < 10^9: no overflow
    s.setDouble(index + 2, (double) micros);
  }

  private boolean purgeDue() {
    long now = System.nanoTime(); // housekeeping only: deadlines live on the database's clock
    long due = nextPurge.get();
    return now - due >= 0 && nextPurge.compareAndSet(due, now + purgeIntervalNanos);
  }

  private Long purgeWith(Connection c) throws SQLException {
    try (PreparedStatement s = prepare(c, purgeSql)) {
      return s.executeLargeUpdate();
    }
  }

  private void createSchema() {
    run("create schema", null, c -> {
      try (Statement s = c.createStatement()) {
        for (String ddl : schema(table)) {
          try {
            s.execute(ddl);
          } catch (SQLException e) {
            // Two stores creating the table at once: one wins, the other sees a duplicate.
            if (!"23505".equals(e.getSQLState()) && !"42P07".equals(e.getSQLState())) {
              throw e;
            }
            if (!c.getAutoCommit()) {
              c.rollback();
            }
          }
        }
      }
      return null;
    });
  }

  private void checkSchema() {
    run("check schema", null, c -> {
      try (PreparedStatement s = prepare(c, "SELECT task_key, snapshot, expires_at FROM "
          + quoted(table) + " WHERE false")) {
        s.executeQuery().close();
      }
      return null;
    });
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("store is closed");
    }
  }

  private static String requireTableName(String table) {
    Objects.requireNonNull(table, "table");
    if (!TABLE_NAME.matcher(table).matches()) {
      throw new IllegalArgumentException("table must be [schema.]name in lower case letters,"
          + " digits and '_', not starting with a digit, the name at most 48 characters");
    }
    return table;
  }

  /** {@code d} in nanoseconds, or {@link Long#MAX_VALUE} when longer than that (about 292 years). */
  static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }

  private static String quoted(String name) {
    // Safe: names are validated against TABLE_NAME, which admits no quote.
    int dot = name.indexOf('.');
    return dot < 0 ? '"' + name + '"'
        : '"' + name.substring(0, dot) + "\".\"" + name.substring(dot + 1) + '"';
  }

  /**
   * Configures a {@link JdbcTokenSnapshotStore}. Not thread-safe.
   *
   * <p>Sealing is the default that must be chosen: set {@link #sealingKeys} (or a sealing
   * {@link #codec}), or opt out with {@link #withoutSealing()}; {@link #build()} refuses neither.
   */
  public static final class Builder {
    private @Nullable DataSource dataSource;
    private String table = DEFAULT_TABLE;
    private boolean createSchema = true;
    private Duration queryTimeout = DEFAULT_QUERY_TIMEOUT;
    private Duration purgeInterval = DEFAULT_PURGE_INTERVAL;
    private SnapshotCodec codec = JsonSnapshotCodec.create();
    private @Nullable SealingKeyRing sealingKeys;
    private boolean unsealed;
    private @Nullable AutoCloseable owned;

    private Builder() {}

    /** Where connections come from (a pool); required. The store never closes it. */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      return this;
    }

    /**
     * The table; defaults to {@link #DEFAULT_TABLE}.
     *
     * @throws IllegalArgumentException unless it is {@code [schema.]name} in lower-case ASCII
     *     letters, digits and {@code _}, not starting with a digit (name at most 48 characters,
     *     schema at most 63)
     */
    public Builder table(String table) {
      this.table = requireTableName(table);
      return this;
    }

    /**
     * Whether {@link #build()} creates the table and index when missing (default true). When
     * false, it checks that the table exists; create it with {@link #schema(String)}.
     */
    public Builder createSchema(boolean createSchema) {
      this.createSchema = createSchema;
      return this;
    }

    /**
     * The bound on each statement, rounded up to whole seconds (JDBC's unit); defaults to
     * {@link #DEFAULT_QUERY_TIMEOUT}.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder queryTimeout(Duration queryTimeout) {
      Objects.requireNonNull(queryTimeout, "queryTimeout");
      if (queryTimeout.isNegative() || queryTimeout.isZero()) {
        throw new IllegalArgumentException("queryTimeout must be positive: " + queryTimeout);
      }
      this.queryTimeout = queryTimeout;
      return this;
    }

    /**
     * The minimum time between two purges of expired rows by {@code save}; defaults to
     * {@link #DEFAULT_PURGE_INTERVAL}. Zero purges on every save.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder purgeInterval(Duration purgeInterval) {
      Objects.requireNonNull(purgeInterval, "purgeInterval");
      if (purgeInterval.isNegative()) {
        throw new IllegalArgumentException("purgeInterval must not be negative: " + purgeInterval);
      }
      this.purgeInterval = purgeInterval;
      return this;
    }

    /**
     * How snapshots become bytes; defaults to {@link JsonSnapshotCodec#create()}. With
     * {@link #sealingKeys}, this is the codec that gets sealed. A {@link SealingSnapshotCodec}
     * here counts as sealed.
     */
    public Builder codec(SnapshotCodec codec) {
      this.codec = Objects.requireNonNull(codec, "codec");
      return this;
    }

    /** Seals values at rest with these keys (AES-GCM, bound to the task key). */
    public Builder sealingKeys(SealingKeyRing keys) {
      this.sealingKeys = Objects.requireNonNull(keys, "keys");
      return this;
    }

    /**
     * Stores tokens unsealed, in plain JSON readable by anyone who can read the table. An explicit
     * opt-out: the store logs one WARNING when built.
     */
    public Builder withoutSealing() {
      this.unsealed = true;
      return this;
    }

    /** A resource the store closes with itself (the provider's pool). */
    Builder owning(AutoCloseable resource) {
      this.owned = resource;
      return this;
    }

    /**
     * Creates (or checks) the table and returns the store.
     *
     * @throws IllegalStateException if no data source was set; if neither sealing keys (or a
     *     sealing codec) nor {@link #withoutSealing()} was chosen; or if both were
     * @throws TokenStoreException if the database cannot be reached, or the table is missing and
     *     {@code createSchema(false)} was set
     */
    public JdbcTokenSnapshotStore build() {
      DataSource ds = dataSource;
      if (ds == null) {
        throw new IllegalStateException("set dataSource(...)");
      }
      boolean sealedCodec = codec instanceof SealingSnapshotCodec || sealingKeys != null;
      if (sealedCodec && unsealed) {
        throw new IllegalStateException("withoutSealing() contradicts the sealing keys or sealing"
            + " codec that were also set; choose one");
      }
      if (!sealedCodec && !unsealed) {
        throw new IllegalStateException(missingSealingMessage());
      }
      SealingKeyRing keys = sealingKeys;
      SnapshotCodec chosen = keys != null && !(codec instanceof SealingSnapshotCodec)
          ? SealingSnapshotCodec.wrap(codec, keys) : codec;
      JdbcTokenSnapshotStore store = new JdbcTokenSnapshotStore(this, ds, chosen, sealedCodec);
      try {
        if (createSchema) {
          store.createSchema();
        } else {
          store.checkSchema();
        }
      } catch (RuntimeException e) {
        store.close();
        throw e;
      }
      if (unsealed) {
        LOGGER.log(Level.WARNING, "JDBC store on table " + table + " is NOT sealed (explicit"
            + " opt-out): bearer tokens are stored in plain JSON, readable by anyone who can read"
            + " the table or its backups");
      }
      return store;
    }

    static String missingSealingMessage() {
      return "a JDBC store seals tokens at rest unless told otherwise: give it keys"
          + " (URI: sealingKeys=env:NAME|file:PATH; builder: sealingKeys(SealingKeyRing"
          + ".fromReference(\"env:NAME\")); NAME holds id:base64key, e.g. k1:$(openssl rand"
          + " -base64 32)) or opt out in words (URI: sealing=none; builder: withoutSealing())";
    }
  }
}
