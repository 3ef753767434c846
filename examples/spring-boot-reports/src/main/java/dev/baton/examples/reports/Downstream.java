package dev.baton.examples.reports;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;

/**
 * The downstream API a report job calls, as its caller: {@code GET} on {@link #uri()} with the
 * caller's bearer token. Thread-safe.
 */
public final class Downstream {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private final URI uri;

  /**
   * Creates the client.
   *
   * @param uri the downstream endpoint
   * @throws NullPointerException if {@code uri} is null
   */
  public Downstream(URI uri) {
    this.uri = Objects.requireNonNull(uri, "uri");
  }

  /** The downstream endpoint. */
  public URI uri() {
    return uri;
  }

  /**
   * Calls the endpoint with {@code Authorization: Bearer <token>}.
   *
   * @return the response body: whom the downstream authenticated, as {@code sub client_id scope}
   * @throws DownstreamException if the call fails or is refused (the message has the status, never
   *     the token)
   */
  String whoAmI(String bearerToken) {
    var request =
        HttpRequest.newBuilder(uri)
            .header("Authorization", "Bearer " + bearerToken)
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build();
    HttpResponse<String> response;
    try {
      response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new DownstreamException(
          "downstream " + uri + " unreachable: " + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DownstreamException("interrupted while calling downstream " + uri);
    }
    if (response.statusCode() != 200) {
      throw new DownstreamException("downstream " + uri + " answered " + response.statusCode());
    }
    return response.body();
  }

  /** The downstream call failed; the message never holds the token. */
  static final class DownstreamException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DownstreamException(String message) {
      super(message);
    }
  }
}
