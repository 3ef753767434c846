package dev.baton.oauth2;

/** How the service authenticates to the token endpoint with its client secret (RFC 6749 2.3.1). */
public enum ClientAuthentication {
  /** HTTP Basic ({@code client_secret_basic}), the default every server must support. */
  CLIENT_SECRET_BASIC,
  /** In the form body ({@code client_secret_post}). */
  CLIENT_SECRET_POST
}
