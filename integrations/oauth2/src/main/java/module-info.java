/**
 * Baton delegation over OAuth 2.0 Token Exchange (RFC 8693): at capture, the caller's access token
 * is exchanged at the authorization server for a delegated token that the job acts with.
 */
module dev.baton.oauth2 {
  requires transitive dev.baton.core;
  requires static transitive org.jspecify;
  requires java.net.http;
  // Nimbus OAuth 2.0 SDK builds the token requests and parses the responses. Its jar declares no
  // module name, so this is the one its file name gives (oauth2-oidc-sdk-<version>.jar ->
  // oauth2.oidc.sdk); none of its types is in this module's API. Nimbus JOSE + JWT reads the
  // delegated token's claims when it is a JWT.
  requires oauth2.oidc.sdk;
  requires com.nimbusds.jose.jwt;

  exports dev.baton.oauth2;
}
