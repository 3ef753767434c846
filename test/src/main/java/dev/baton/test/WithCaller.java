package dev.baton.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a test method as a request from this caller: {@link BatonExtension} mints a token (see
 * {@link TestTokens}) and binds it with {@code baton.bindRequest(token)} on the thread that runs the
 * test method, for exactly the method's duration. On a class, it applies to every test method that
 * does not carry its own.
 *
 * <pre>{@code
 * @Test
 * @WithCaller(subject = "alice", clientId = "web", scopes = "reports:read")
 * void submit_runsTheReportAsTheCaller(AccessToken alice) {
 *   TaskKey key = service.submitReport("q3");
 *   ...
 * }
 * }</pre>
 *
 * <p>A test method may declare an {@code AccessToken} parameter to receive the token.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface WithCaller {
  /** The {@code sub} claim. */
  String subject();

  /** The OAuth client the token was issued to. */
  String clientId() default TestTokens.DEFAULT_CLIENT_ID;

  /** The granted scopes, in order. */
  String[] scopes() default {};

  /**
   * How long the token is valid from the test clock's start, ISO-8601 ({@code "PT1H"},
   * {@code "PT5M"}); negative ({@code "-PT1M"}) for a token that has already expired; empty for a
   * token that never expires.
   */
  String expiresIn() default "PT1H";

  /** The resource (audience) the token is bound to (RFC 8707); empty for none. */
  String resource() default "";

  /** Further string claims, each {@code "name=value"}. */
  String[] claims() default {};
}
