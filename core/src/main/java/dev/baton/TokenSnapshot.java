package dev.baton;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a store keeps for one task: the caller's token, or an explicit <em>anonymous</em> marker,
 * plus the instant it was captured.
 *
 * <p>Storing "anonymous" explicitly lets a worker tell "the caller had no token" (an anonymous
 * snapshot) from "the snapshot is gone" (no snapshot at all), which fail-closed restore depends on.
 *
 * <p>Immutable and thread-safe; equal snapshots have equal tokens (or are both anonymous) and equal
 * capture instants.
 */
public final class TokenSnapshot {
  private final @Nullable AccessToken accessToken;
  private final Instant capturedAt;

  private TokenSnapshot(@Nullable AccessToken accessToken, Instant capturedAt) {
    this.accessToken = accessToken;
    this.capturedAt = Objects.requireNonNull(capturedAt, "capturedAt");
  }

  /**
   * A snapshot of an authenticated caller.
   *
   * @throws NullPointerException if an argument is null
   */
  public static TokenSnapshot of(AccessToken accessToken, Instant capturedAt) {
    return new TokenSnapshot(Objects.requireNonNull(accessToken, "accessToken"), capturedAt);
  }

  /**
   * A snapshot of a caller who had no token.
   *
   * @throws NullPointerException if {@code capturedAt} is null
   */
  public static TokenSnapshot anonymous(Instant capturedAt) {
    return new TokenSnapshot(null, capturedAt);
  }

  /**
   * A snapshot of {@code accessToken}, or an anonymous one when it is null.
   *
   * @throws NullPointerException if {@code capturedAt} is null
   */
  public static TokenSnapshot ofNullable(@Nullable AccessToken accessToken, Instant capturedAt) {
    return new TokenSnapshot(accessToken, capturedAt);
  }

  /** The caller's token, or empty for an anonymous snapshot. Expiry is not checked here. */
  public Optional<AccessToken> accessToken() {
    return Optional.ofNullable(accessToken);
  }

  /** Whether the caller had no token. */
  public boolean isAnonymous() {
    return accessToken == null;
  }

  /** When the snapshot was taken, by the capturing {@link Baton}'s clock. */
  public Instant capturedAt() {
    return capturedAt;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof TokenSnapshot other
        && Objects.equals(accessToken, other.accessToken)
        && capturedAt.equals(other.capturedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(accessToken) * 31 + capturedAt.hashCode();
  }

  /** Never shows the bearer token (see {@link AccessToken#toString()}). */
  @Override
  public String toString() {
    return "TokenSnapshot[" + (accessToken == null ? "anonymous" : accessToken)
        + ", capturedAt=" + capturedAt + "]";
  }
}
