package dev.baton.benchmarks;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.TaskKey;
import dev.baton.oauth2.TokenExchangeDelegation;
import dev.baton.oauth2.harness.AuthorizationServer;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What delegation costs a capture: {@code capture} with a {@link TokenExchangeDelegation} against a
 * real Spring Authorization Server on a loopback port in the same JVM (one token-exchange round
 * trip: HTTP, the server's client authentication, token lookup, JWT signing with RSA-2048), beside
 * the same capture without delegation. The actor token is cached, as in production, so each
 * measured capture is one request. A network hop to a remote authorization server adds its round
 * trip time on top; the server shares this machine's cores with the benchmark thread.
 *
 * <p>{@code benchmarks/run} runs it as its {@code delegation} group; the report gives the cost of
 * the exchange (with − without) under "Cost of delegation (issue 29)".
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class DelegationBenchmark {
  /** Kept referenced: JUL holds loggers weakly, and a collected one would lose its level. */
  private final List<Logger> quiet = new ArrayList<>();
  private @Nullable AuthorizationServer server;
  private @Nullable MemoryTokenSnapshotStore store;
  private Baton delegating;
  private Baton plain;
  private AccessToken caller;
  private final TaskKey key = new TaskKey("bench", "delegation");

  @Setup(Level.Trial)
  public void start() throws Exception {
    for (String name : new String[] {"org.springframework", "org.apache"}) {
      Logger logger = Logger.getLogger(name);
      logger.setLevel(java.util.logging.Level.WARNING);
      quiet.add(logger);
    }
    AuthorizationServer s = AuthorizationServer.start();
    server = s;
    Path secret = Files.createTempFile("baton-bench-secret", "");
    Files.writeString(secret, s.serviceSecret());
    secret.toFile().deleteOnExit();
    String jwt = s.userToken("alice"); // lives ten minutes: longer than the trial
    caller = AccessToken.builder(jwt, "web").subject("alice")
        .expiresAt(Instant.now().plusSeconds(600)).build();
    MemoryTokenSnapshotStore m = MemoryTokenSnapshotStore.create();
    store = m;
    delegating = Baton.builder().store(m).delegation(TokenExchangeDelegation.builder()
        .tokenEndpoint(s.tokenEndpoint()).clientId(AuthorizationServer.SERVICE_ID)
        .clientSecretFromFile(secret).audience(AuthorizationServer.DELEGATED_AUDIENCE)
        .scopes("ledger.read").build()).build();
    plain = Baton.builder().store(m).build();
  }

  @TearDown(Level.Trial)
  public void stop() {
    if (store != null) {
      store.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** One capture with a token exchange at the authorization server. */
  @Benchmark
  public TaskKey captureWithDelegation() {
    return delegating.capture(key, caller);
  }

  /** The same capture without delegation: the store write alone. */
  @Benchmark
  public TaskKey captureWithoutDelegation() {
    return plain.capture(key, caller);
  }
}
