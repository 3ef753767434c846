package dev.baton.examples.reports;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * A separate downstream API on the JDK's HTTP server, on a free loopback port: {@code GET /whoami}
 * validates the bearer token it receives and answers whom it names ({@code sub}, {@code client_id},
 * {@code scope}, one a line); no or a bad token gets {@code 401}. Used by the demo; tests run their
 * own. {@link #close()} stops it.
 */
public final class WhoAmIServer implements AutoCloseable {
  private final HttpServer server;

  private WhoAmIServer(HttpServer server) {
    this.server = server;
  }

  /**
   * Starts the server.
   *
   * @param decoder validates the tokens it receives
   * @return the running server
   * @throws IOException if it cannot bind
   */
  public static WhoAmIServer start(JwtDecoder decoder) throws IOException {
    Objects.requireNonNull(decoder, "decoder");
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/whoami", exchange -> answer(exchange, decoder));
    server.start();
    return new WhoAmIServer(server);
  }

  /** The endpoint's URI. */
  public URI uri() {
    return URI.create(
        "http://127.0.0.1:" + server.getAddress().getPort() + "/whoami");
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private static void answer(HttpExchange exchange, JwtDecoder decoder) throws IOException {
    try (exchange) {
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (authorization == null || !authorization.startsWith("Bearer ")) {
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      Jwt jwt;
      try {
        jwt = decoder.decode(authorization.substring("Bearer ".length()));
      } catch (JwtException e) {
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      String subject = Objects.requireNonNullElse(jwt.getSubject(), "");
      String clientId = Objects.requireNonNullElse(jwt.getClaimAsString("client_id"), "");
      String scope = Objects.requireNonNullElse(jwt.getClaimAsString("scope"), "");
      byte[] body = String.join("\n", List.of(subject, clientId, scope)).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
