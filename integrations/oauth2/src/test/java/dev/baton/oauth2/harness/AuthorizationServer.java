package dev.baton.oauth2.harness;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenExchangeActor;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenExchangeAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenExchangeCompositeAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;

/**
 * A real Spring Authorization Server on a loopback port, with its token-exchange grant enabled,
 * as a service's authorization server would be set up for Baton's delegation:
 * <ul>
 *   <li>{@code web}: the front-end client users sign in through (authorization code with PKCE,
 *       form login, no consent page); its user tokens live ten minutes. {@code web-short}: the
 *       same, with user tokens that live {@link #SHORT_USER_TOKEN_LIFETIME}, for jobs that start
 *       after their caller's token expired.
 *   <li>{@code reports-service}: the service that runs jobs; may use {@code token-exchange} (and
 *       {@code client_credentials}, for its actor token); its tokens live an hour.
 *   <li>{@code no-exchange-service}: a client not allowed to exchange.
 * </ul>
 * The JWT customizer does what Spring's token-exchange how-to describes: the requested audience
 * becomes {@code aud} (only {@link #DELEGATED_AUDIENCE} may be requested: anything else is
 * {@code invalid_target}), and the actor becomes the {@code act} claim.
 */
public final class AuthorizationServer implements AutoCloseable {
  public static final String DELEGATED_AUDIENCE = "ledger-api";
  public static final String SERVICE_ID = "reports-service";
  public static final String NO_EXCHANGE_ID = "no-exchange-service";
  public static final Duration SHORT_USER_TOKEN_LIFETIME = Duration.ofSeconds(4);
  static final String REDIRECT_URI = "http://127.0.0.1/callback";
  private static final String WEB_ID = "web";
  private static final String WEB_SHORT_ID = "web-short";

  // Random per run: the leak scan looks for these.
  private final String serviceSecret = "svc-" + UUID.randomUUID();
  private final String noExchangeSecret = "nx-" + UUID.randomUUID();
  private final String webSecret = "web-" + UUID.randomUUID();
  private final String userPassword = "pw-" + UUID.randomUUID();

  private final ConfigurableApplicationContext context;
  private final URI base;
  private final HttpClient http = HttpClient.newBuilder()
      .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private AuthorizationServer() {
    // Boot leaves java.util.logging as the tests configured it (the leak scan reads JUL).
    System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
    context = new SpringApplicationBuilder(ServerConfiguration.class)
        .properties(Map.of(
            "server.address", "127.0.0.1",
            "server.port", "0",
            "spring.main.banner-mode", "off",
            "spring.main.log-startup-info", "false",
            "baton.test.service-secret", serviceSecret,
            "baton.test.web-secret", webSecret,
            "baton.test.no-exchange-secret", noExchangeSecret,
            "baton.test.user-password", userPassword))
        .run();
    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
    base = URI.create("http://127.0.0.1:" + port);
  }

  /** Starts a server on a free loopback port. */
  public static AuthorizationServer start() {
    return new AuthorizationServer();
  }

  /** The {@code reports-service} client's secret. */
  public String serviceSecret() {
    return serviceSecret;
  }

  /** The {@code no-exchange-service} client's secret. */
  public String noExchangeSecret() {
    return noExchangeSecret;
  }

  /** The token endpoint. */
  public URI tokenEndpoint() {
    return base.resolve("/oauth2/token");
  }

  /** The JWK set's URI. */
  public URI jwksUri() {
    return base.resolve("/oauth2/jwks");
  }

  /** The issuer. */
  public String issuer() {
    return base.toString();
  }

  /**
   * A user's access token, through the authorization-code flow a browser goes through: the
   * authorize request (with PKCE), the login form (with its CSRF token), back to authorize, the
   * code, and the token request.
   */
  public String userToken(String username) throws IOException, InterruptedException {
    return userToken(username, WEB_ID);
  }

  /** A user's access token that lives {@link #SHORT_USER_TOKEN_LIFETIME}. */
  public String shortLivedUserToken(String username) throws IOException, InterruptedException {
    return userToken(username, WEB_SHORT_ID);
  }

  private String userToken(String username, String clientId)
      throws IOException, InterruptedException {
    HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
        .version(HttpClient.Version.HTTP_1_1)
        .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL)).build();
    String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
    String challenge;
    try {
      challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    URI authorize = base.resolve("/oauth2/authorize?response_type=code&client_id=" + clientId
        + "&scope=ledger.read&state=s1&redirect_uri=" + encode(REDIRECT_URI)
        + "&code_challenge=" + challenge + "&code_challenge_method=S256");
    HttpResponse<String> toLogin = browser.send(HttpRequest.newBuilder(authorize)
        .header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());
    require(toLogin.statusCode() == 302, "authorize did not redirect to login: " + toLogin);
    HttpResponse<String> loginPage = browser.send(HttpRequest.newBuilder(base.resolve("/login"))
        .header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());
    Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"")
        .matcher(loginPage.body());
    require(csrf.find(), "no CSRF token on the login page");
    HttpResponse<String> loggedIn = browser.send(HttpRequest.newBuilder(base.resolve("/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(form(Map.of("username", username, "password", userPassword,
            "_csrf", csrf.group(1)))).build(), HttpResponse.BodyHandlers.ofString());
    require(loggedIn.statusCode() == 302, "login failed: " + loggedIn.statusCode());
    URI back = base.resolve(loggedIn.headers().firstValue("Location").orElseThrow());
    HttpResponse<String> toCallback = browser.send(HttpRequest.newBuilder(back)
        .header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());
    String location = toCallback.headers().firstValue("Location").orElse("");
    Matcher code = Pattern.compile("[?&]code=([^&]+)").matcher(location);
    require(location.startsWith(REDIRECT_URI) && code.find(),
        "authorize did not return a code: " + toCallback.statusCode() + " after login to "
        + back.getPath() + " (first redirect " + toLogin.headers().firstValue("Location").orElse("")
        + ")");
    HttpResponse<String> tokens = http.send(HttpRequest.newBuilder(tokenEndpoint())
        .header("Authorization",
            basic(clientId, clientId.equals(WEB_ID) ? webSecret : webSecret + "-short"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(form(Map.of("grant_type", "authorization_code", "code",
            java.net.URLDecoder.decode(code.group(1), StandardCharsets.UTF_8),
            "redirect_uri", REDIRECT_URI, "code_verifier", verifier))).build(),
        HttpResponse.BodyHandlers.ofString());
    require(tokens.statusCode() == 200, "code exchange failed: " + tokens.statusCode());
    Matcher token = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(tokens.body());
    require(token.find(), "no access_token in the token response");
    return token.group(1);
  }

  /** Revokes a user's token at the server (RFC 7009), as the web client. */
  public void revoke(String token) throws IOException, InterruptedException {
    HttpResponse<String> revoked = http.send(HttpRequest.newBuilder(base.resolve("/oauth2/revoke"))
        .header("Authorization", basic(WEB_ID, webSecret))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(form(Map.of("token", token, "token_type_hint", "access_token"))).build(),
        HttpResponse.BodyHandlers.ofString());
    require(revoked.statusCode() == 200, "revocation failed: " + revoked.statusCode());
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException(message);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static HttpRequest.BodyPublisher form(Map<String, String> fields) {
    StringBuilder body = new StringBuilder();
    fields.forEach((name, value) -> body.append(body.length() == 0 ? "" : "&")
        .append(encode(name)).append('=').append(encode(value)));
    return HttpRequest.BodyPublishers.ofString(body.toString());
  }

  /** An HTTP Basic header value for a client. */
  public static String basic(String id, String secret) {
    return "Basic " + Base64.getEncoder().encodeToString(
        (encode(id) + ":" + encode(secret)).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    context.close();
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  public static class ServerConfiguration {

    @Bean
    @Order(1)
    public SecurityFilterChain authorizationServerChain(HttpSecurity http) throws Exception {
      http.oauth2AuthorizationServer(server -> http.securityMatcher(server.getEndpointsMatcher()))
          .authorizeHttpRequests(authorize -> authorize.anyRequest().authenticated())
          .exceptionHandling(exceptions -> exceptions.defaultAuthenticationEntryPointFor(
              new LoginUrlAuthenticationEntryPoint("/login"),
              new MediaTypeRequestMatcher(MediaType.TEXT_HTML)));
      return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain loginChain(HttpSecurity http) throws Exception {
      http.authorizeHttpRequests(authorize -> authorize.anyRequest().authenticated())
          .formLogin(Customizer.withDefaults());
      return http.build();
    }

    @Bean
    UserDetailsService users(
        @org.springframework.beans.factory.annotation.Value("${baton.test.user-password}")
        String password) {
      return new InMemoryUserDetailsManager(
          User.withUsername("alice").password("{noop}" + password).roles("USER").build(),
          User.withUsername("bob").password("{noop}" + password).roles("USER").build());
    }

    @Bean
    RegisteredClientRepository clients(
        @org.springframework.beans.factory.annotation.Value("${baton.test.service-secret}")
        String serviceSecret,
        @org.springframework.beans.factory.annotation.Value("${baton.test.web-secret}")
        String webSecret,
        @org.springframework.beans.factory.annotation.Value("${baton.test.no-exchange-secret}")
        String noExchangeSecret) {
      RegisteredClient web = webClient(WEB_ID, webSecret, Duration.ofMinutes(10));
      RegisteredClient webShort = webClient(WEB_SHORT_ID, webSecret + "-short",
          SHORT_USER_TOKEN_LIFETIME);
      RegisteredClient service = RegisteredClient.withId(SERVICE_ID).clientId(SERVICE_ID)
          .clientSecret("{noop}" + serviceSecret)
          .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
          .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
          .authorizationGrantType(AuthorizationGrantType.TOKEN_EXCHANGE)
          .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
          .scope("ledger.read")
          .tokenSettings(TokenSettings.builder().accessTokenTimeToLive(Duration.ofHours(1)).build())
          .build();
      RegisteredClient noExchange = RegisteredClient.withId(NO_EXCHANGE_ID).clientId(NO_EXCHANGE_ID)
          .clientSecret("{noop}" + noExchangeSecret)
          .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
          .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
          .scope("ledger.read").build();
      return new InMemoryRegisteredClientRepository(web, webShort, service, noExchange);
    }

    private static RegisteredClient webClient(String id, String secret, Duration tokenLifetime) {
      return RegisteredClient.withId(id).clientId(id).clientSecret("{noop}" + secret)
          .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
          .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
          .redirectUri(REDIRECT_URI).scope("ledger.read")
          .clientSettings(ClientSettings.builder().requireAuthorizationConsent(false).build())
          .tokenSettings(TokenSettings.builder().accessTokenTimeToLive(tokenLifetime).build())
          .build();
    }

    @Bean
    JWKSource<SecurityContext> jwkSource() throws com.nimbusds.jose.JOSEException {
      RSAKey key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
      return new ImmutableJWKSet<>(new JWKSet(key));
    }

    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> tokenExchangeClaims() {
      return context -> {
        if (!AuthorizationGrantType.TOKEN_EXCHANGE.equals(context.getAuthorizationGrantType())) {
          return;
        }
        OAuth2TokenExchangeAuthenticationToken grant = context.getAuthorizationGrant();
        Set<String> audiences = grant.getAudiences();
        if (audiences.isEmpty() || !Set.of(DELEGATED_AUDIENCE).containsAll(audiences)) {
          throw new OAuth2AuthenticationException(new OAuth2Error("invalid_target",
              "audience not allowed for token exchange", null));
        }
        context.getClaims().audience(List.copyOf(audiences));
        if (context.getPrincipal()
            instanceof OAuth2TokenExchangeCompositeAuthenticationToken composite) {
          Map<String, Object> act = null;
          List<OAuth2TokenExchangeActor> actors = composite.getActors();
          for (int i = actors.size() - 1; i >= 0; i--) {
            Map<String, Object> next = new LinkedHashMap<>();
            next.put("iss", String.valueOf(actors.get(i).getClaims().get("iss")));
            next.put("sub", String.valueOf(actors.get(i).getClaims().get("sub")));
            if (act != null) {
              next.put("act", act);
            }
            act = next;
          }
          context.getClaims().claim("act", act);
        }
      };
    }
  }
}
