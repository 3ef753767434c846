package dev.baton.spring.boot;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A real Spring Authorization Server (Boot's {@code spring-boot-starter-oauth2-authorization-server},
 * configured by properties only) on a free loopback port, and a client that gets tokens from it
 * over HTTP: client credentials, and the authorization code flow with PKCE through its login form.
 * Client {@code reports-ui} gets JWTs, {@code reports-ui-opaque} reference (opaque) tokens; both
 * may ask for {@code reports:read} and {@code reports:write}; the user is {@link #USER}.
 */
final class AuthorizationServer implements AutoCloseable {
  static final String USER = "alice";
  static final String PASSWORD = "alice-password";
  static final String REDIRECT = "http://127.0.0.1/callback";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

  private final ConfigurableApplicationContext context;
  private final String base;

  private AuthorizationServer(ConfigurableApplicationContext context) {
    this.context = context;
    this.base =
        "http://127.0.0.1:" + context.getEnvironment().getRequiredProperty("local.server.port");
  }

  /** The issuer's base URL, such as {@code http://127.0.0.1:PORT}. */
  String base() {
    return base;
  }

  static AuthorizationServer start() {
    var properties = new LinkedHashMap<String, Object>();
    properties.put("server.port", "0");
    properties.put("server.address", "127.0.0.1");
    properties.put("spring.main.banner-mode", "off");
    properties.put("logging.level.root", "warn");
    properties.put("spring.security.user.name", USER);
    properties.put("spring.security.user.password", PASSWORD);
    client(properties, "reports-ui", "self-contained");
    client(properties, "reports-ui-opaque", "reference");
    var context =
        new SpringApplicationBuilder(App.class)
            .web(WebApplicationType.SERVLET)
            .properties(properties)
            .run();
    return new AuthorizationServer(context);
  }

  private static void client(Map<String, Object> properties, String id, String format) {
    String prefix = "spring.security.oauth2.authorizationserver.client." + id + ".";
    properties.put(prefix + "registration.client-id", id);
    properties.put(prefix + "registration.client-secret", "{noop}" + secret(id));
    properties.put(prefix + "registration.client-authentication-methods", "client_secret_basic");
    properties.put(
        prefix + "registration.authorization-grant-types", "client_credentials,authorization_code");
    properties.put(prefix + "registration.redirect-uris", REDIRECT);
    properties.put(prefix + "registration.scopes", "reports:read,reports:write");
    properties.put(prefix + "require-authorization-consent", "false");
    properties.put(prefix + "token.access-token-format", format);
  }

  /** The secret of {@code client} (the server refuses two clients with the same secret). */
  static String secret(String client) {
    return client + "-secret";
  }

  /** A client-credentials access token for {@code client}. */
  String clientCredentials(String client, String scope) throws Exception {
    return token(client, Map.of("grant_type", "client_credentials", "scope", scope));
  }

  /**
   * An authorization-code access token: {@link #USER} logs in through the server's form, the
   * server redirects with a code, and {@code client} redeems it with its PKCE verifier.
   */
  String authorizationCode(String client, String scope) throws Exception {
    HttpClient browser =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    String verifier = randomUrlSafe();
    String challenge =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(sha256(verifier.getBytes(StandardCharsets.US_ASCII)));
    String authorize =
        base
            + "/oauth2/authorize?"
            + form(
                Map.of(
                    "response_type", "code",
                    "client_id", client,
                    "scope", scope,
                    "redirect_uri", REDIRECT,
                    "state", "s-1",
                    "code_challenge", challenge,
                    "code_challenge_method", "S256"));
    HttpResponse<String> toLogin = browser.send(get(authorize), HttpResponse.BodyHandlers.ofString());
    require(toLogin, 302);
    HttpResponse<String> loginPage = browser.send(get(base + "/login"), HttpResponse.BodyHandlers.ofString());
    require(loginPage, 200);
    Matcher csrf = CSRF.matcher(loginPage.body());
    if (!csrf.find()) {
      throw new IllegalStateException("no CSRF token on the login page");
    }
    HttpResponse<String> loggedIn =
        browser.send(
            HttpRequest.newBuilder(URI.create(base + "/login"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        form(
                            Map.of(
                                "username", USER, "password", PASSWORD, "_csrf", csrf.group(1)))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    require(loggedIn, 302);
    String next = URI.create(base).resolve(loggedIn.headers().firstValue("Location").orElseThrow()).toString();
    HttpResponse<String> redirect = browser.send(get(next), HttpResponse.BodyHandlers.ofString());
    require(redirect, 302);
    URI callback = URI.create(redirect.headers().firstValue("Location").orElseThrow());
    if (!callback.toString().startsWith(REDIRECT + "?")) {
      throw new IllegalStateException("not redirected to the client: " + callback.getPath());
    }
    String code =
        java.util.Arrays.stream(callback.getRawQuery().split("&"))
            .filter(pair -> pair.startsWith("code="))
            .map(pair -> java.net.URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8))
            .findFirst()
            .orElseThrow();
    return token(
        client,
        Map.of(
            "grant_type", "authorization_code",
            "code", code,
            "redirect_uri", REDIRECT,
            "code_verifier", verifier));
  }

  private String token(String client, Map<String, String> parameters) throws Exception {
    String basic =
        Base64.getEncoder()
            .encodeToString((client + ":" + secret(client)).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + "/oauth2/token"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Basic " + basic)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form(parameters)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    require(response, 200);
    JsonNode body = JSON.readTree(response.body());
    return body.get("access_token").asString();
  }

  private static HttpRequest get(String uri) {
    return HttpRequest.newBuilder(URI.create(uri))
        .timeout(Duration.ofSeconds(30))
        .header("Accept", "text/html")
        .GET()
        .build();
  }

  private static void require(HttpResponse<String> response, int status) {
    if (response.statusCode() != status) {
      throw new IllegalStateException(
          response.request().method() + " " + response.uri().getPath() + ": expected " + status
              + ", got " + response.statusCode());
    }
  }

  private static String form(Map<String, String> parameters) {
    return parameters.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private static String randomUrlSafe() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    context.close();
  }

  /** The authorization server application: Boot's auto-configuration and the properties above. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {}
}
