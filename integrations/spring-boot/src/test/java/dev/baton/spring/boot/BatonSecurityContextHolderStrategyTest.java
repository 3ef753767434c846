package dev.baton.spring.boot;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.TaskKey;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.concurrent.DelegatingSecurityContextRunnable;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthentication;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;

/** The rules of Spring Security's context inside jobs Baton restored by key. */
class BatonSecurityContextHolderStrategyTest {
  private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

  private final MutableClock clock = new MutableClock();
  private final Baton baton =
      Baton.builder().store(MemoryTokenSnapshotStore.builder().build()).clock(clock).build();
  /** Spring's thread-local strategy (an application context of another test may have wrapped it). */
  private final SecurityContextHolderStrategy threadLocal =
      SecurityContextHolder.getContextHolderStrategy() instanceof BatonSecurityContextHolderStrategy b
          ? b.delegate()
          : SecurityContextHolder.getContextHolderStrategy();
  private final BatonSecurityContextHolderStrategy strategy =
      new BatonSecurityContextHolderStrategy(
          threadLocal, CallerAuthentications.jwt(new JwtAuthenticationConverter()));

  @AfterEach
  void clearThread() {
    threadLocal.clearContext();
  }

  private static AccessToken caller(String sub, String scope, Instant expiresAt) {
    return AccessToken.fromClaims(
        "eyJ.token-of-" + sub,
        Map.of(
            "sub", sub,
            "client_id", "reports-ui",
            "scope", scope,
            "exp", expiresAt.getEpochSecond(),
            "iat", NOW.getEpochSecond()));
  }

  private Authentication inJobOf(AccessToken caller) {
    TaskKey key = baton.capture(TaskKey.random(caller), caller);
    var seen = new AtomicReference<Authentication>();
    baton.run(key, () -> seen.set(strategy.getContext().getAuthentication()));
    return seen.get();
  }

  @Test
  void getContext_inRestoredJob_isTheCallersJwtAuthenticationWithScopeAuthorities() {
    AccessToken alice = caller("alice", "reports:read reports:write", NOW.plusSeconds(3600));

    Authentication authentication = inJobOf(alice);

    assertThat(authentication).isInstanceOf(JwtAuthenticationToken.class);
    assertThat(authentication.isAuthenticated()).isTrue();
    assertThat(authentication.getName()).isEqualTo("alice");
    assertThat(authentication.getAuthorities())
        .extracting(GrantedAuthority::getAuthority)
        .containsExactlyInAnyOrder("SCOPE_reports:read", "SCOPE_reports:write", "FACTOR_BEARER");
    JwtAuthenticationToken jwt = (JwtAuthenticationToken) authentication;
    assertThat(jwt.getToken().getTokenValue()).isEqualTo(alice.token());
    assertThat(jwt.getToken().getExpiresAt()).isEqualTo(NOW.plusSeconds(3600));
  }

  @Test
  void getContext_withApplicationsConverter_mapsAuthoritiesAsTheApplicationDoes() {
    var authorities = new JwtGrantedAuthoritiesConverter();
    authorities.setAuthorityPrefix("PERM_");
    var converter = new JwtAuthenticationConverter();
    converter.setJwtGrantedAuthoritiesConverter(authorities);
    var custom =
        new BatonSecurityContextHolderStrategy(threadLocal, CallerAuthentications.jwt(converter));
    AccessToken alice = caller("alice", "reports:write", NOW.plusSeconds(3600));
    TaskKey key = baton.capture(TaskKey.random(alice), alice);
    var seen = new AtomicReference<Authentication>();

    baton.run(key, () -> seen.set(custom.getContext().getAuthentication()));

    assertThat(seen.get().getAuthorities())
        .extracting(GrantedAuthority::getAuthority)
        .containsExactlyInAnyOrder("PERM_reports:write", "FACTOR_BEARER");
  }

  @Test
  void getContext_opaqueApplication_isABearerTokenAuthentication() {
    var opaque =
        new BatonSecurityContextHolderStrategy(threadLocal, CallerAuthentications.opaque(null));
    AccessToken bob = caller("bob", "reports:read", NOW.plusSeconds(3600));
    TaskKey key = baton.capture(TaskKey.random(bob), bob);
    var seen = new AtomicReference<Authentication>();

    baton.run(key, () -> seen.set(opaque.getContext().getAuthentication()));

    assertThat(seen.get()).isInstanceOf(BearerTokenAuthentication.class);
    assertThat(seen.get().getName()).isEqualTo("bob");
    assertThat(seen.get().getAuthorities())
        .extracting(GrantedAuthority::getAuthority)
        .containsExactlyInAnyOrder("SCOPE_reports:read", "FACTOR_BEARER");
  }

  @Test
  void getContext_inJobWithNoCaller_isEmptyWhateverTheThreadHeld() {
    threadLocal.setContext(new SecurityContextImpl(new TestingAuthenticationToken("stale", "x")));
    TaskKey key = baton.capture(TaskKey.random(null), null);
    var seen = new AtomicReference<SecurityContext>();

    baton.run(key, () -> seen.set(strategy.getContext()));

    assertThat(seen.get().getAuthentication()).isNull();
  }

  @Test
  void getContext_afterTheTokenExpires_isEmpty() {
    AccessToken alice = caller("alice", "reports:write", NOW.plusSeconds(60));
    TaskKey key = baton.capture(TaskKey.random(alice), alice);
    var before = new AtomicReference<Authentication>();
    var after = new AtomicReference<SecurityContext>();

    baton.run(
        key,
        () -> {
          before.set(strategy.getContext().getAuthentication());
          clock.advance(Duration.ofSeconds(61));
          after.set(strategy.getContext());
        });

    assertThat(before.get()).isNotNull();
    assertThat(after.get().getAuthentication()).isNull();
  }

  @Test
  void getContext_inJob_isTheCallerNotTheThreadsOwnAndTheThreadsOwnIsBackAfter() {
    SecurityContext own = new SecurityContextImpl(new TestingAuthenticationToken("mallory", "x"));
    threadLocal.setContext(own);

    Authentication inJob = inJobOf(caller("alice", "a", NOW.plusSeconds(3600)));

    assertThat(inJob.getName()).isEqualTo("alice");
    assertThat(strategy.getContext()).isSameAs(own);
  }

  @Test
  void getContext_calledTwiceInAJob_convertsTheTokenOnce() {
    AccessToken alice = caller("alice", "a", NOW.plusSeconds(3600));
    TaskKey key = baton.capture(TaskKey.random(alice), alice);
    var seen = new java.util.ArrayList<Authentication>();

    baton.run(
        key,
        () -> {
          seen.add(strategy.getContext().getAuthentication());
          seen.add(strategy.getContext().getAuthentication());
        });

    assertThat(seen.get(0)).isSameAs(seen.get(1));
  }

  @Test
  void delegatingRunnableInAJob_leavesNoCallerInTheThreadsOwnContext() {
    AccessToken alice = caller("alice", "a", NOW.plusSeconds(3600));
    TaskKey key = baton.capture(TaskKey.random(alice), alice);
    var other = new SecurityContextImpl(new TestingAuthenticationToken("other", "x"));

    // Spring's wrapper reads "the previous" context (the caller's) and sets it back afterwards.
    var viaStrategy = new DelegatingSecurityContextRunnable(() -> {}, other);
    viaStrategy.setSecurityContextHolderStrategy(strategy);
    baton.run(key, viaStrategy);

    assertThat(threadLocal.getContext().getAuthentication()).isNull();
  }

  @Test
  void setContextInAJob_lastsNoLongerThanTheJob_theThreadsOwnIsBackAfter() {
    SecurityContext own = new SecurityContextImpl(new TestingAuthenticationToken("own", "x"));
    threadLocal.setContext(own);
    AccessToken alice = caller("alice", "a", NOW.plusSeconds(3600));
    TaskKey key = baton.capture(TaskKey.random(alice), alice);
    var inJob = new AtomicReference<Authentication>();

    baton.run(key, () -> {
      strategy.setContext(new SecurityContextImpl(new TestingAuthenticationToken("system", "x")));
      inJob.set(strategy.getContext().getAuthentication());
    });

    assertThat(inJob.get().getName()).as("a job acts as its caller").isEqualTo("alice");
    assertThat(strategy.getContext()).isSameAs(own);
    assertThat(threadLocal.getContext()).isSameAs(own);
  }

  @Test
  void setContextInAJob_isNeverSeenByCodeThatRunsOnThePooledThreadAfterIt() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      AccessToken alice = caller("alice", "a", NOW.plusSeconds(3600));
      TaskKey key = baton.capture(TaskKey.random(alice), alice);
      pool.submit(() -> baton.run(key, () -> strategy.setContext(
          new SecurityContextImpl(new TestingAuthenticationToken("admin", "x"))))).get(30, SECONDS);

      Authentication seenAfter = pool.submit(
          () -> strategy.getDeferredContext().get().getAuthentication()).get(30, SECONDS);

      assertThat(seenAfter).isNull();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void clearContextInAJob_leavesTheThreadsOwnContextAsItWas() {
    SecurityContext own = new SecurityContextImpl(new TestingAuthenticationToken("own", "x"));
    threadLocal.setContext(own);

    inJobOf(caller("alice", "a", NOW.plusSeconds(3600)));
    TaskKey key = baton.capture(TaskKey.random(null), null);
    baton.run(key, strategy::clearContext);

    assertThat(strategy.getContext()).isSameAs(own);
  }

  @Test
  void setContext_outsideAnyBinding_isTheThreadsOwn_asAlways() {
    SecurityContext set = new SecurityContextImpl(new TestingAuthenticationToken("u", "x"));

    strategy.setContext(set);

    assertThat(strategy.getContext()).isSameAs(set);
    assertThat(threadLocal.getContext()).isSameAs(set);
  }

  @Test
  void setAuthenticationOnAJobsContext_isRefusedClearly() {
    AccessToken alice = caller("alice", "a", NOW.plusSeconds(3600));
    TaskKey key = baton.capture(TaskKey.random(alice), alice);

    assertThatThrownBy(
            () ->
                baton.run(
                    key,
                    () ->
                        strategy
                            .getContext()
                            .setAuthentication(new TestingAuthenticationToken("x", "y"))))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("caller's");
  }

  @Test
  void getContext_outsideBaton_isTheThreadsOwn() {
    SecurityContext own = new SecurityContextImpl(new TestingAuthenticationToken("u", "x"));
    threadLocal.setContext(own);

    assertThat(strategy.getContext()).isSameAs(own);
    assertThat(List.of(strategy.delegate())).containsExactly(threadLocal);
  }

  /** A clock the test moves. */
  static final class MutableClock extends Clock {
    private volatile Instant now = NOW;

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
