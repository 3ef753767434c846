package dev.baton.oauth2;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPRequestSender;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPRequest;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Sends Nimbus's token requests with the JDK's {@link HttpClient} instead of Nimbus's default
 * {@code HttpURLConnection}: that one logs every request header, {@code Authorization: Basic} with
 * the client secret included, at {@code FINE} on the {@code sun.net.www.protocol.http} logger, so a
 * verbose logging configuration would leak the secret. {@code HttpClient} logs nothing unless
 * system properties ask it to. Also: a connect timeout, a timeout on the whole exchange, no
 * redirects (a token request is never redirected), and a bound on the response size.
 */
final class JdkHttpSender implements HTTPRequestSender {
  /** Token responses are small; anything larger is not one. */
  static final int MAX_RESPONSE_BYTES = 1 << 20;

  /** Headers the JDK client sets itself and refuses from callers. */
  private static final Set<String> CLIENT_MANAGED_HEADERS =
      Set.of("content-length", "host", "connection", "expect", "upgrade");

  private final HttpClient client;
  private final Duration readTimeout;

  JdkHttpSender(Duration connectTimeout, Duration readTimeout) {
    this.client = HttpClient.newBuilder().connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
    this.readTimeout = readTimeout;
  }

  @Override
  public ReadOnlyHTTPResponse send(ReadOnlyHTTPRequest request) throws IOException {
    HttpRequest.Builder builder = HttpRequest.newBuilder(request.getURI()).timeout(readTimeout);
    for (Map.Entry<String, List<String>> header : request.getHeaderMap().entrySet()) {
      if (CLIENT_MANAGED_HEADERS.contains(header.getKey().toLowerCase(Locale.ROOT))) {
        continue;
      }
      for (String value : header.getValue()) {
        builder.header(header.getKey(), value);
      }
    }
    String body = request.getBody();
    if (request.getMethod() == HTTPRequest.Method.POST) {
      builder.POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body,
          StandardCharsets.UTF_8));
    } else {
      builder.method(request.getMethod().name(), HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<InputStream> response;
    try {
      response = client.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the token endpoint");
    }
    byte[] bytes;
    try (InputStream in = response.body()) {
      bytes = in.readNBytes(MAX_RESPONSE_BYTES + 1);
    }
    if (bytes.length > MAX_RESPONSE_BYTES) {
      throw new IOException("token endpoint response larger than " + MAX_RESPONSE_BYTES + " bytes");
    }
    HTTPResponse out = new HTTPResponse(response.statusCode());
    response.headers().map().forEach((name, values) -> {
      if (!name.startsWith(":")) {
        out.setHeader(name, values.toArray(String[]::new));
      }
    });
    String contentType = response.headers().firstValue("Content-Type").orElse(null);
    if (contentType != null) {
      try {
        out.setContentType(contentType);
      } catch (ParseException e) {
        throw new IOException("token endpoint sent an unparseable Content-Type", e);
      }
    }
    out.setBody(new String(bytes, StandardCharsets.UTF_8));
    return out;
  }
}
