package dev.baton.spring.boot;

import dev.baton.AccessToken;
import dev.baton.Baton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A resource server that accepts the tokens of {@link AuthorizationServer}, configured by Boot's
 * resource server properties only: JWTs checked against the server's JWK set, or opaque tokens
 * introspected by Spring's client at the server's introspection endpoint. {@code GET /caller}
 * starts an {@code @Async} job and answers with whom the job ran as, the authorities Spring
 * Security gave the job and those it gave the request.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(
    excludeName = {
      "org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet"
          + ".OAuth2AuthorizationServerAutoConfiguration",
      "org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet"
          + ".OAuth2AuthorizationServerJwtAutoConfiguration"
    })
@EnableAsync
@Import({AuthorizationServerResourceApp.CallerJob.class, AuthorizationServerResourceApp.Api.class})
class AuthorizationServerResourceApp {

  @Bean
  SecurityFilterChain api(HttpSecurity http, Environment environment) throws Exception {
    boolean opaque =
        environment.containsProperty(
            "spring.security.oauth2.resourceserver.opaquetoken.introspection-uri");
    http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
        .csrf(csrf -> csrf.disable());
    if (opaque) {
      http.oauth2ResourceServer(server -> server.opaqueToken(token -> {}));
    } else {
      http.oauth2ResourceServer(server -> server.jwt(jwt -> {}));
    }
    return http.build();
  }

  /** Starts a resource server with JWTs from {@code server}, plus {@code extra} properties. */
  static ConfigurableApplicationContext jwt(AuthorizationServer server, Properties extra) {
    var properties = base(extra);
    properties.put(
        "spring.security.oauth2.resourceserver.jwt.jwk-set-uri", server.base() + "/oauth2/jwks");
    return start(properties);
  }

  /** Starts a resource server introspecting opaque tokens at {@code server}. */
  static ConfigurableApplicationContext opaque(AuthorizationServer server, Properties extra) {
    var properties = base(extra);
    String prefix = "spring.security.oauth2.resourceserver.opaquetoken.";
    properties.put(prefix + "introspection-uri", server.base() + "/oauth2/introspect");
    properties.put(prefix + "client-id", "reports-ui-opaque");
    properties.put(prefix + "client-secret", AuthorizationServer.secret("reports-ui-opaque"));
    return start(properties);
  }

  private static Map<String, Object> base(Properties extra) {
    var properties = new LinkedHashMap<String, Object>();
    properties.put("server.port", "0");
    properties.put("server.address", "127.0.0.1");
    properties.put("spring.main.banner-mode", "off");
    properties.put("logging.level.root", "warn");
    extra.forEach((key, value) -> properties.put((String) key, value));
    return properties;
  }

  private static ConfigurableApplicationContext start(Map<String, Object> properties) {
    return new SpringApplicationBuilder(AuthorizationServerResourceApp.class)
        .web(WebApplicationType.SERVLET)
        .properties(properties)
        .run();
  }

  /** The authentication's authorities, sorted; none without one. */
  static List<String> authorities(@Nullable Authentication authentication) {
    return authentication == null
        ? List.of()
        : authentication.getAuthorities().stream()
            .map(GrantedAuthority::getAuthority)
            .sorted()
            .toList();
  }

  @Service
  static class CallerJob {
    @Async
    public CompletableFuture<Map<String, Object>> caller() {
      var seen = new LinkedHashMap<String, Object>();
      Baton.currentToken()
          .ifPresent(
              (AccessToken token) -> {
                seen.put("sub", String.valueOf(token.subject()));
                seen.put("client", token.clientId());
                seen.put("scopes", token.scopes());
              });
      seen.put("authorities", authorities(SecurityContextHolder.getContext().getAuthentication()));
      return CompletableFuture.completedFuture(seen);
    }
  }

  @RestController
  static class Api {
    private final CallerJob job;

    Api(CallerJob job) {
      this.job = job;
    }

    @GetMapping("/caller")
    Map<String, Object> caller(Authentication request) {
      var seen = new LinkedHashMap<String, Object>(job.caller().join());
      seen.put("requestAuthorities", authorities(request));
      return seen;
    }
  }
}
