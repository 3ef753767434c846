package dev.baton.oauth2;

import dev.baton.oauth2.harness.AuthorizationServer;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The downstream resource server a job calls: real HTTP on a loopback port, accepting only JWTs
 * signed by the authorization server's keys (its JWKS), issued by it, for
 * {@link AuthorizationServer#DELEGATED_AUDIENCE}, not expired (no clock skew). Answers
 * {@code sub=<subject> act=<actor's sub>}, or 401.
 */
final class LedgerApi implements AutoCloseable {
  private final HttpServer server;
  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
  private final HttpClient client = HttpClient.newHttpClient();

  LedgerApi(AuthorizationServer authorizationServer) throws IOException {
    JWKSource<SecurityContext> keys =
        JWKSourceBuilder.create(authorizationServer.jwksUri().toURL()).build();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
    DefaultJWTClaimsVerifier<SecurityContext> verifier = new DefaultJWTClaimsVerifier<>(
        AuthorizationServer.DELEGATED_AUDIENCE,
        new JWTClaimsSet.Builder().issuer(authorizationServer.issuer()).build(),
        Set.of("sub", "exp"));
    verifier.setMaxClockSkew(0);
    processor.setJWTClaimsSetVerifier(verifier);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/ledger", this::handle);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ledger");
  }

  private void handle(HttpExchange exchange) throws IOException {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    int status = 401;
    String body = "unauthorized";
    if (authorization != null && authorization.startsWith("Bearer ")) {
      try {
        JWTClaimsSet claims = processor.process(authorization.substring(7), null);
        Object act = claims.getClaim("act");
        body = "sub=" + claims.getSubject() + " act="
            + (act instanceof Map<?, ?> actor ? actor.get("sub") : "none");
        status = 200;
      } catch (Exception refused) {
        body = "unauthorized";
      }
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Calls the API with {@code token} (none when null): the status and body. */
  String call(@Nullable String token) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri());
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response = client.send(request.build(),
        HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
