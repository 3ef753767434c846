package dev.baton;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Builds an {@link AccessToken} by hand, from {@link AccessToken#builder(String, String)}.
 *
 * <p>Every setter replaces what was set before, except {@link #claim} and {@link #subject}, which
 * set one claim. {@link #build()} validates exactly as the {@link AccessToken} constructor does,
 * and may be called again: each call builds a new token from the builder's current state, and later
 * changes to the builder (or to collections passed to it) never reach a built token.
 *
 * <p>Not thread-safe: confine a builder to one thread. It does not override {@code toString}, so it
 * never prints the bearer token.
 */
public final class AccessTokenBuilder {
  private final String token;
  private final String clientId;
  private List<String> scopes = List.of();
  private @Nullable Instant expiresAt;
  private @Nullable String resource;
  private final Map<String, @Nullable Object> claims = new LinkedHashMap<>();

  AccessTokenBuilder(String token, String clientId) {
    this.token = Objects.requireNonNull(token, "token");
    this.clientId = Objects.requireNonNull(clientId, "clientId");
  }

  /**
   * Sets the granted scopes, in order.
   *
   * @throws NullPointerException if {@code scopes} is null (a null element fails at {@link #build})
   */
  public AccessTokenBuilder scopes(Collection<String> scopes) {
    Objects.requireNonNull(scopes, "scopes");
    this.scopes = Arrays.asList(scopes.toArray(new String[0]));
    return this;
  }

  /**
   * Sets the granted scopes, in order.
   *
   * @throws NullPointerException if {@code scopes} is null (a null element fails at {@link #build})
   */
  public AccessTokenBuilder scopes(String... scopes) {
    Objects.requireNonNull(scopes, "scopes");
    this.scopes = Arrays.asList(scopes.clone());
    return this;
  }

  /** Sets when the token stops being valid; {@code null} (the default) means it does not expire. */
  public AccessTokenBuilder expiresAt(@Nullable Instant expiresAt) {
    this.expiresAt = expiresAt;
    return this;
  }

  /** Sets the resource (audience) the token is bound to; {@code null} (the default) means none. */
  public AccessTokenBuilder resource(@Nullable String resource) {
    this.resource = resource;
    return this;
  }

  /**
   * Replaces every claim set so far (including a {@link #subject}) with a copy of {@code claims}.
   *
   * @throws NullPointerException if {@code claims} is null
   */
  public AccessTokenBuilder claims(Map<String, ? extends @Nullable Object> claims) {
    Objects.requireNonNull(claims, "claims");
    this.claims.clear();
    this.claims.putAll(claims);
    return this;
  }

  /**
   * Sets one claim, replacing its previous value; {@code value} must be a JSON value (checked at
   * {@link #build}).
   *
   * @throws NullPointerException if {@code name} is null
   */
  public AccessTokenBuilder claim(String name, @Nullable Object value) {
    claims.put(Objects.requireNonNull(name, "name"), value);
    return this;
  }

  /**
   * Sets the {@code sub} claim, the caller's identity within the issuer.
   *
   * @throws NullPointerException if {@code subject} is null
   */
  public AccessTokenBuilder subject(String subject) {
    return claim("sub", Objects.requireNonNull(subject, "subject"));
  }

  /**
   * A token with the values set so far.
   *
   * @throws NullPointerException if a scope is null, naming its index
   * @throws IllegalArgumentException as the {@link AccessToken} constructor does
   */
  public AccessToken build() {
    return new AccessToken(token, clientId, scopes, expiresAt, resource, claims);
  }
}
