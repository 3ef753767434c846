package dev.baton.test;

import dev.baton.AccessToken;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Makes realistic access tokens for tests, with expiry relative to the test's clock.
 *
 * <p>Each bearer value is JWT-shaped (three base64url segments: header, claims, a random
 * signature) and unique, so a test can search logs and exception messages for it. The signature is
 * not a real one: these tokens are for code that receives already-authenticated callers.
 *
 * <pre>{@code
 * AccessToken alice = tokens.caller("alice").scopes("reports:read").build();
 * AccessToken bob = tokens.caller("bob").clientId("cli").expiresIn(Duration.ofMinutes(5)).build();
 * AccessToken old = tokens.caller("carol").expiredFor(Duration.ofMinutes(1)).build();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class TestTokens {
  /** The client id of tokens that name none. */
  public static final String DEFAULT_CLIENT_ID = "test-client";
  /** How long tokens stay valid unless told otherwise. */
  public static final Duration DEFAULT_VALIDITY = Duration.ofHours(1);

  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
  private static final String HEADER = BASE64URL.encodeToString(
      "{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  private TestTokens(Clock clock) {
    this.clock = clock;
  }

  /**
   * Tokens whose expiry is counted from {@code clock}'s current time (the test's {@link TestClock}).
   *
   * @throws NullPointerException if {@code clock} is null
   */
  public static TestTokens on(Clock clock) {
    return new TestTokens(Objects.requireNonNull(clock, "clock"));
  }

  /**
   * A token for {@code subject}: client {@link #DEFAULT_CLIENT_ID}, no scopes, valid for
   * {@link #DEFAULT_VALIDITY} from now.
   *
   * @throws NullPointerException if {@code subject} is null
   * @throws IllegalArgumentException if {@code subject} is blank
   */
  public AccessToken token(String subject) {
    return caller(subject).build();
  }

  /**
   * Starts a token for {@code subject} (the {@code sub} claim).
   *
   * @throws NullPointerException if {@code subject} is null
   * @throws IllegalArgumentException if {@code subject} is blank
   */
  public Caller caller(String subject) {
    Objects.requireNonNull(subject, "subject");
    if (subject.isBlank()) {
      throw new IllegalArgumentException("subject must not be blank");
    }
    return new Caller(subject);
  }

  /** One token being described; {@link #build()} makes it. Not thread-safe. */
  public final class Caller {
    private final String subject;
    private String clientId = DEFAULT_CLIENT_ID;
    private List<String> scopes = List.of();
    private @Nullable Duration validity = DEFAULT_VALIDITY;
    private @Nullable String resource;
    private final Map<String, @Nullable Object> claims = new LinkedHashMap<>();

    private Caller(String subject) {
      this.subject = subject;
    }

    /**
     * The OAuth client the token was issued to; defaults to
     * {@link TestTokens#DEFAULT_CLIENT_ID}.
     */
    public Caller clientId(String clientId) {
      this.clientId = Objects.requireNonNull(clientId, "clientId");
      return this;
    }

    /** The granted scopes, in order; defaults to none. */
    public Caller scopes(String... scopes) {
      this.scopes = List.of(Objects.requireNonNull(scopes, "scopes"));
      return this;
    }

    /**
     * Valid for {@code validity} from the clock's current time; defaults to
     * {@link TestTokens#DEFAULT_VALIDITY}. Zero or negative makes a token that has already expired.
     */
    public Caller expiresIn(Duration validity) {
      this.validity = Objects.requireNonNull(validity, "validity");
      return this;
    }

    /** Expired {@code ago} before the clock's current time. */
    public Caller expiredFor(Duration ago) {
      Objects.requireNonNull(ago, "ago");
      this.validity = ago.negated();
      return this;
    }

    /** A token without expiry. */
    public Caller neverExpires() {
      this.validity = null;
      return this;
    }

    /** The resource (audience) the token is bound to (RFC 8707); defaults to none. */
    public Caller resource(String resource) {
      this.resource = Objects.requireNonNull(resource, "resource");
      return this;
    }

    /**
     * A further claim (a JSON value: String, Number, Boolean, null, List or Map). {@code sub} is
     * always the subject.
     */
    public Caller claim(String name, @Nullable Object value) {
      Objects.requireNonNull(name, "name");
      if (name.equals("sub")) {
        throw new IllegalArgumentException("sub is the subject given to caller(subject)");
      }
      claims.put(name, value);
      return this;
    }

    /**
     * The token, its expiry counted from the clock's time now.
     *
     * @throws IllegalArgumentException if a value is blank or a claim is not a JSON value (see
     *     {@link AccessToken})
     */
    public AccessToken build() {
      Instant now = clock.instant();
      Duration valid = validity;
      Instant expiresAt = valid == null ? null : now.plus(valid);
      Map<String, @Nullable Object> allClaims = new LinkedHashMap<>();
      allClaims.put("sub", subject);
      allClaims.putAll(claims);
      return new AccessToken(bearer(now, expiresAt), clientId, scopes, expiresAt, resource,
          allClaims);
    }

    private String bearer(Instant now, @Nullable Instant expiresAt) {
      byte[] id = new byte[12];
      byte[] signature = new byte[32];
      random.nextBytes(id);
      random.nextBytes(signature);
      List<String> fields = new ArrayList<>();
      fields.add(json("sub") + ":" + json(subject));
      fields.add(json("client_id") + ":" + json(clientId));
      if (!scopes.isEmpty()) {
        fields.add(json("scope") + ":" + json(String.join(" ", scopes)));
      }
      if (resource != null) {
        fields.add(json("aud") + ":" + json(resource));
      }
      fields.add(json("iat") + ":" + now.getEpochSecond());
      if (expiresAt != null) {
        fields.add(json("exp") + ":" + expiresAt.getEpochSecond());
      }
      fields.add(json("jti") + ":" + json(BASE64URL.encodeToString(id)));
      String payload = "{" + String.join(",", fields) + "}";
      return HEADER + "." + BASE64URL.encodeToString(payload.getBytes(StandardCharsets.UTF_8))
          + "." + BASE64URL.encodeToString(signature);
    }
  }

  private static String json(String value) {
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
