package dev.baton.spring.boot;

import dev.baton.Baton;
import dev.baton.CleanupPolicy;
import dev.baton.RestoreFailurePolicy;
import dev.baton.RestoreMode;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Baton's settings under {@code baton.*}. Strict: a {@code baton.*} property that is not one of these
 * fails startup ({@code ignoreUnknownFields = false}), so a typo never leaves a default in force.
 * As everywhere in Spring Boot, the check covers property files, profiles and command-line
 * arguments, not environment variables or JVM system properties: {@code BATON_STORE} binds
 * {@code baton.store}, while a variable such as {@code BATON_SEALING_KEYS} (a key ring the store
 * URI names) is no property and is left alone.
 *
 * <p>Not thread-safe; bound once at startup.
 */
@ConfigurationProperties(prefix = "baton", ignoreUnknownFields = false)
public class BatonProperties {

  /**
   * Where task snapshots are kept, as a store URI: memory:local (this JVM only) or
   * redis://host:port (with baton-store-redis; add ?sealingKeys=env:NAME to encrypt tokens at rest).
   */
  private URI store = URI.create("memory:local");

  /** How long a captured snapshot lives in the store if its task never runs. */
  private Duration snapshotTtl = Baton.DEFAULT_SNAPSHOT_TTL;

  /** Tolerance for clock skew: a token counts as expired this long before its exp. */
  private Duration leeway = Baton.DEFAULT_LEEWAY;

  /** When a task's snapshot is deleted from the store. Baton's default when unset. */
  private CleanupPolicy cleanupPolicy = CleanupPolicy.DELETE_ON_COMPLETION;

  /** What a task does when its snapshot cannot be restored. Baton's default when unset. */
  private RestoreFailurePolicy restoreFailurePolicy = RestoreFailurePolicy.FAIL;

  /** How a task reads its snapshot: LOAD, or TAKE to remove it atomically (at most once). */
  private RestoreMode restoreMode = RestoreMode.LOAD;

  /** Baton's Micrometer metrics. */
  private final Metrics metrics = new Metrics();

  /** How a bearer token's claims become Baton's caller. */
  private final Claims claims = new Claims();

  /** Spring Security's context inside jobs. */
  private final SecurityContext securityContext = new SecurityContext();

  /** The claims settings. */
  public Claims getClaims() {
    return claims;
  }

  /** The security context settings. */
  public SecurityContext getSecurityContext() {
    return securityContext;
  }

  /**
   * Delegation at capture (OAuth 2.0 Token Exchange), with baton-oauth2: see the
   * baton.delegation.* properties, typed and documented by BatonDelegationProperties. Accepted
   * here as they are, so that the strict binding of baton.* lets them through.
   */
  private final Map<String, Object> delegation = new LinkedHashMap<>();

  /** The baton.delegation.* values as given; BatonDelegationProperties binds them typed. */
  public Map<String, Object> getDelegation() {
    return delegation;
  }

  /** The metrics settings. */
  public Metrics getMetrics() {
    return metrics;
  }

  /** The store URI. */
  public URI getStore() {
    return store;
  }

  /**
   * Sets the store URI.
   *
   * @param store the store URI
   */
  public void setStore(URI store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /** The snapshot time to live. */
  public Duration getSnapshotTtl() {
    return snapshotTtl;
  }

  /**
   * Sets the snapshot time to live.
   *
   * @param snapshotTtl the time to live
   */
  public void setSnapshotTtl(Duration snapshotTtl) {
    this.snapshotTtl = Objects.requireNonNull(snapshotTtl, "snapshotTtl");
  }

  /** The expiry leeway. */
  public Duration getLeeway() {
    return leeway;
  }

  /**
   * Sets the expiry leeway.
   *
   * @param leeway the leeway
   */
  public void setLeeway(Duration leeway) {
    this.leeway = Objects.requireNonNull(leeway, "leeway");
  }

  /** The cleanup policy. */
  public CleanupPolicy getCleanupPolicy() {
    return cleanupPolicy;
  }

  /**
   * Sets the cleanup policy.
   *
   * @param cleanupPolicy the policy
   */
  public void setCleanupPolicy(CleanupPolicy cleanupPolicy) {
    this.cleanupPolicy = Objects.requireNonNull(cleanupPolicy, "cleanupPolicy");
  }

  /** The restore failure policy. */
  public RestoreFailurePolicy getRestoreFailurePolicy() {
    return restoreFailurePolicy;
  }

  /**
   * Sets the restore failure policy.
   *
   * @param restoreFailurePolicy the policy
   */
  public void setRestoreFailurePolicy(RestoreFailurePolicy restoreFailurePolicy) {
    this.restoreFailurePolicy = Objects.requireNonNull(restoreFailurePolicy, "restoreFailurePolicy");
  }

  /** The restore mode. */
  public RestoreMode getRestoreMode() {
    return restoreMode;
  }

  /**
   * Sets the restore mode.
   *
   * @param restoreMode the mode
   */
  public void setRestoreMode(RestoreMode restoreMode) {
    this.restoreMode = Objects.requireNonNull(restoreMode, "restoreMode");
  }

  /** Spring Security's context inside jobs ({@code baton.security-context.*}). */
  public static class SecurityContext {
    /**
     * Whether a job Baton restored sees its caller in Spring Security's SecurityContextHolder (for
     * PreAuthorize checks and bearer relays), as an authentication rebuilt from the snapshot.
     */
    private boolean enabled = true;

    /** Whether the caller appears in Spring Security's context inside jobs. */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Turns the caller in Spring Security's context inside jobs on or off.
     *
     * @param enabled whether it is on
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  /** How a request's verified claims become Baton's caller ({@code baton.claims.*}). */
  public static class Claims {
    /**
     * The claim that names the OAuth client, when the issuer puts it outside the standard claims:
     * aud for Spring Authorization Server's default access tokens. It must hold one value (a string
     * or a one-element array); several are refused. Unset: the first of client_id, azp, cid, appid.
     */
    private @Nullable String clientId;

    /** The client id claim, or {@code null} for the standard claims. */
    public @Nullable String getClientId() {
      return clientId;
    }

    /**
     * Names the client id claim.
     *
     * @param clientId the claim's name, or {@code null} for the standard claims
     * @throws IllegalArgumentException if {@code clientId} is blank
     */
    public void setClientId(@Nullable String clientId) {
      if (clientId != null && clientId.isBlank()) {
        throw new IllegalArgumentException("baton.claims.client-id must not be blank");
      }
      this.clientId = clientId;
    }
  }

  /** Settings of Baton's Micrometer metrics ({@code baton.metrics.*}). */
  public static class Metrics {
    /**
     * Whether Baton's events (baton.events) and store operations (baton.store.operation) are
     * recorded in the application's MeterRegistry, when it has one and baton-micrometer.
     */
    private boolean enabled = true;

    /** Whether the metrics are on. */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Turns the metrics on or off.
     *
     * @param enabled whether the metrics are on
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }
}
