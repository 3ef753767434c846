package dev.baton.oauth2;

import static dev.baton.oauth2.harness.AuthorizationServer.DELEGATED_AUDIENCE;
import static dev.baton.oauth2.harness.AuthorizationServer.NO_EXCHANGE_ID;
import static dev.baton.oauth2.harness.AuthorizationServer.SERVICE_ID;
import static dev.baton.oauth2.Callers.awaitPast;
import static dev.baton.oauth2.Callers.caller;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.AccessToken;
import dev.baton.oauth2.harness.AuthorizationServer;
import dev.baton.Baton;
import dev.baton.BatonEvent;
import dev.baton.DelegationFailedException;
import dev.baton.DelegationFailedException.Reason;
import dev.baton.RestoreFailedException;
import dev.baton.Scope;
import dev.baton.TaskKey;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delegation against a real Spring Authorization Server with its token-exchange grant enabled,
 * and a real downstream API that accepts only the delegated audience.
 */
@SuppressWarnings("try") // scopes are opened for their effect on the thread
class TokenExchangeDelegationTest {
  private static AuthorizationServer server;
  private static LedgerApi ledger;
  private static Path secretFile;

  @TempDir static Path directory;

  private final MemoryTokenSnapshotStore store = MemoryTokenSnapshotStore.create();
  private final List<BatonEvent> events = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    server = AuthorizationServer.start();
    ledger = new LedgerApi(server);
    secretFile = directory.resolve("client-secret");
    Files.writeString(secretFile, server.serviceSecret() + "\n");
  }

  @AfterAll
  static void stop() {
    ledger.close();
    server.close();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  static TokenExchangeDelegation.Builder delegation() {
    return TokenExchangeDelegation.builder().tokenEndpoint(server.tokenEndpoint())
        .clientId(SERVICE_ID).clientSecretFromFile(secretFile).audience(DELEGATED_AUDIENCE)
        .scopes("ledger.read");
  }

  private Baton baton(TokenExchangeDelegation delegation) {
    return Baton.builder().store(store).listener(events::add).delegation(delegation).build();
  }

  private static Reason reasonOf(Throwable e) {
    return ((DelegationFailedException) e).reason();
  }

  @Test
  void jobAfterTheCallersTokenExpired_callsTheApiAsTheCallerWithTheServiceAsActor()
      throws Exception {
    String aliceJwt = server.shortLivedUserToken("alice");
    AccessToken alice = caller(aliceJwt);
    Baton baton = baton(delegation().build());
    TaskKey key;
    try (Scope request = baton.bindRequest(alice)) {
      key = baton.capture();
    }

    awaitPast(alice.expiresAt()); // the user's own token is now dead
    String withOwnToken = ledger.call(aliceJwt);
    String fromJob = baton.call(key, () -> ledger.call(Baton.currentToken().orElseThrow().token()));

    assertThat(withOwnToken).startsWith("401");
    assertThat(fromJob).isEqualTo("200 sub=alice act=" + SERVICE_ID);
  }

  @Test
  void jobAfterTheCallersTokenExpired_currentTokenIsTheDelegatedOneForTheCaller()
      throws Exception {
    AccessToken alice = caller(server.shortLivedUserToken("alice"));
    Baton baton = baton(delegation().build());
    TaskKey key = baton.capture(new TaskKey("tenant", "report-1"), alice);
    awaitPast(alice.expiresAt());

    AccessToken inJob = baton.call(key, () -> Baton.currentToken().orElseThrow());

    assertThat(inJob.token()).isNotEqualTo(alice.token());
    assertThat(inJob.subject()).isEqualTo("alice");
    assertThat(inJob.claims().get("act")).isInstanceOf(Map.class)
        .satisfies(act -> assertThat(((Map<?, ?>) act).get("sub")).isEqualTo(SERVICE_ID));
    assertThat(inJob.resource()).isEqualTo(DELEGATED_AUDIENCE);
    assertThat(inJob.scopes()).containsExactly("ledger.read");
    assertThat(inJob.expiresAt()).isAfter(alice.expiresAt().plus(Duration.ofMinutes(30)));
  }

  @Test
  void run_afterTheDelegatedTokenExpired_failsClosed() throws Exception {
    TestClock clock = new TestClock();
    AccessToken alice = caller(server.userToken("alice"));
    Baton baton = Baton.builder().store(store).clock(clock).listener(events::add)
        .delegation(delegation().clock(clock).build()).build();
    TaskKey key = baton.capture(new TaskKey("tenant", "report-2"), alice);

    clock.advance(Duration.ofHours(1).plusMinutes(1)); // the delegated token lived an hour
    AtomicBoolean ran = new AtomicBoolean();

    assertThatThrownBy(() -> baton.run(key, () -> ran.set(true)))
        .isInstanceOf(RestoreFailedException.class)
        .satisfies(e -> assertThat(((RestoreFailedException) e).reason())
            .isEqualTo(RestoreFailedException.Reason.CALLER_EXPIRED))
        .hasMessageNotContaining(alice.token());
    assertThat(ran).as("the job body ran").isFalse();
    assertThat(events).extracting(BatonEvent::type).contains(BatonEvent.Type.EXPIRED);
  }

  @Test
  void capture_maxLifetimeShorterThanTheServers_cutsTheDelegatedTokensExpiry() throws Exception {
    TestClock clock = new TestClock();
    AccessToken alice = caller(server.userToken("alice"));
    Baton baton = Baton.builder().store(store).clock(clock)
        .delegation(delegation().clock(clock).maxLifetime(Duration.ofMinutes(10)).build()).build();
    TaskKey key = baton.capture(new TaskKey("tenant", "report-3"), alice);

    clock.advance(Duration.ofMinutes(11));

    assertThatThrownBy(() -> baton.call(key, Baton::currentToken))
        .isInstanceOf(RestoreFailedException.class)
        .satisfies(e -> assertThat(((RestoreFailedException) e).reason())
            .isEqualTo(RestoreFailedException.Reason.CALLER_EXPIRED));
  }

  @Test
  void capture_authorizationServerDown_failsAsUnavailableAndStoresNothing() throws Exception {
    AccessToken alice = caller(server.userToken("alice"));
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    Baton baton = baton(delegation()
        .tokenEndpoint(URI.create("http://127.0.0.1:" + closedPort + "/oauth2/token")).build());
    TaskKey key = new TaskKey("tenant", "report-4");

    assertThatThrownBy(() -> baton.capture(key, alice))
        .isInstanceOf(DelegationFailedException.class)
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.AUTHORIZATION_SERVER_UNAVAILABLE))
        .hasMessageContaining("127.0.0.1:" + closedPort);
    assertThat(store.load(key)).isEmpty();
    assertThat(events).isEmpty();
  }

  @Test
  void capture_authorizationServerNeverAnswers_failsAsUnavailableAfterTheReadTimeout()
      throws Exception {
    AccessToken alice = caller(server.userToken("alice"));
    CountDownLatch release = new CountDownLatch(1);
    com.sun.net.httpserver.HttpServer silent = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    silent.createContext("/", exchange -> {
      try {
        release.await(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
    });
    ExecutorService handlers = Executors.newCachedThreadPool();
    silent.setExecutor(handlers);
    silent.start();
    try {
      Baton baton = baton(delegation().actorToken(ActorToken.NONE)
          .tokenEndpoint(URI.create("http://127.0.0.1:" + silent.getAddress().getPort() + "/t"))
          .readTimeout(Duration.ofMillis(300)).build());

      assertThatThrownBy(() -> baton.capture(new TaskKey("tenant", "report-5"), alice))
          .isInstanceOf(DelegationFailedException.class)
          .satisfies(e -> assertThat(reasonOf(e))
              .isEqualTo(Reason.AUTHORIZATION_SERVER_UNAVAILABLE))
          .hasMessageContaining("HttpTimeoutException");
    } finally {
      release.countDown();
      silent.stop(0);
      handlers.shutdown();
    }
  }

  @Test
  void exchangeRefusedForOneCaller_neverAffectsAnothersJob() throws Exception {
    AccessToken alice = caller(server.userToken("alice"));
    AccessToken bob = caller(server.userToken("bob"));
    server.revoke(bob.token()); // bob's token is no longer one the server will exchange
    Baton baton = baton(delegation().build());
    TaskKey aliceKey = new TaskKey("tenant", "alice-report");
    TaskKey bobKey = new TaskKey("tenant", "bob-report");
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService submitters = Executors.newFixedThreadPool(2);
    try {
      Future<TaskKey> aliceCapture = submitters.submit(() -> {
        go.await();
        try (Scope request = baton.bindRequest(alice)) {
          return baton.capture(aliceKey);
        }
      });
      Future<TaskKey> bobCapture = submitters.submit(() -> {
        go.await();
        try (Scope request = baton.bindRequest(bob)) {
          return baton.capture(bobKey);
        }
      });
      go.countDown();

      assertThat(aliceCapture.get(30, TimeUnit.SECONDS)).isEqualTo(aliceKey);
      assertThatThrownBy(() -> bobCapture.get(30, TimeUnit.SECONDS))
          .hasCauseInstanceOf(DelegationFailedException.class)
          .satisfies(e -> assertThat(reasonOf(e.getCause())).isEqualTo(Reason.INVALID_GRANT));
    } finally {
      submitters.shutdownNow();
    }

    assertThat(baton.call(aliceKey, () -> ledger.call(Baton.currentToken().orElseThrow().token())))
        .isEqualTo("200 sub=alice act=" + SERVICE_ID);
    assertThatThrownBy(() -> baton.run(bobKey, () -> { }))
        .isInstanceOf(RestoreFailedException.class)
        .satisfies(e -> assertThat(((RestoreFailedException) e).reason())
            .isEqualTo(RestoreFailedException.Reason.MISSING));
  }

  @Test
  void capture_audienceTheServerDoesNotAllow_failsAsAudienceRefused() throws Exception {
    AccessToken alice = caller(server.userToken("alice"));
    Baton baton = baton(delegation().audience("admin-api").build());

    assertThatThrownBy(() -> baton.capture(new TaskKey("tenant", "report-6"), alice))
        .isInstanceOf(DelegationFailedException.class)
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.AUDIENCE_REFUSED))
        .hasMessageContaining("invalid_target");
  }

  @Test
  void capture_clientNotAllowedToExchange_failsAsClientRefused() throws Exception {
    AccessToken alice = caller(server.userToken("alice"));
    Path secret = Files.writeString(directory.resolve("no-exchange-secret"),
        server.noExchangeSecret());
    Baton baton = baton(TokenExchangeDelegation.builder().tokenEndpoint(server.tokenEndpoint())
        .clientId(NO_EXCHANGE_ID).clientSecretFromFile(secret).audience(DELEGATED_AUDIENCE)
        .actorToken(ActorToken.NONE).build());

    assertThatThrownBy(() -> baton.capture(new TaskKey("tenant", "report-7"), alice))
        .isInstanceOf(DelegationFailedException.class)
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.CLIENT_REFUSED))
        .hasMessageContaining("unauthorized_client");
  }

  @Test
  void capture_wrongClientSecret_failsAsClientRefused() throws Exception {
    AccessToken alice = caller(server.userToken("alice"));
    Path wrong = Files.writeString(directory.resolve("wrong-secret"), "not-the-secret");
    Baton baton = baton(TokenExchangeDelegation.builder().tokenEndpoint(server.tokenEndpoint())
        .clientId(SERVICE_ID).clientSecretFromFile(wrong).audience(DELEGATED_AUDIENCE).build());

    assertThatThrownBy(() -> baton.capture(new TaskKey("tenant", "report-8"), alice))
        .isInstanceOf(DelegationFailedException.class)
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.CLIENT_REFUSED))
        .hasMessageContaining("invalid_client");
  }

  @Test
  void capture_clientSecretPost_exchanges() throws Exception {
    AccessToken alice = caller(server.userToken("alice"));
    Baton baton = baton(delegation()
        .clientAuthentication(ClientAuthentication.CLIENT_SECRET_POST).build());
    TaskKey key = baton.capture(new TaskKey("tenant", "report-9"), alice);

    assertThat(baton.call(key, () -> ledger.call(Baton.currentToken().orElseThrow().token())))
        .isEqualTo("200 sub=alice act=" + SERVICE_ID);
  }

  @Test
  void capture_withoutActorToken_theServerIssuesAnImpersonationTokenWithoutAct()
      throws Exception {
    AccessToken alice = caller(server.userToken("alice"));
    Baton baton = baton(delegation().actorToken(ActorToken.NONE).build());
    TaskKey key = baton.capture(new TaskKey("tenant", "report-10"), alice);

    assertThat(baton.call(key, () -> ledger.call(Baton.currentToken().orElseThrow().token())))
        .isEqualTo("200 sub=alice act=none");
  }

  @Test
  void capture_anonymousCaller_storesAnonymousWithoutAskingTheServer() throws Exception {
    Baton baton = baton(delegation()
        .tokenEndpoint(URI.create("http://127.0.0.1:1/never-called")).build());
    TaskKey key = baton.capture(new TaskKey("tenant", "report-11"), null);

    assertThat(baton.call(key, Baton::currentToken)).isEmpty();
    assertThat(events).extracting(BatonEvent::type).startsWith(BatonEvent.Type.CAPTURED_ANONYMOUS);
  }
}
