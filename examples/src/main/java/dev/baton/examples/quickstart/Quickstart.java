package dev.baton.examples.quickstart;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.RestoreFailedException;
import dev.baton.Scope;
import dev.baton.TaskContext;
import dev.baton.TaskKey;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenSnapshotStores;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Submits background tasks as several callers and prints, per task, which caller it saw.
 *
 * <p>Each "request" binds its caller, captures it into the store under a fresh {@link TaskKey},
 * submits a task carrying only that key, and returns at once, as an HTTP handler answering 202
 * would. The task runs later on a pool thread, where nothing of the request is left: the worker
 * restores the caller from the store by key ({@link Baton#call}) and plain code deep inside the task
 * finds it with {@link Baton#currentToken()}. Run with {@code --store URI} to use another store
 * (default {@code memory:local}; {@code redis://127.0.0.1:6379} for Redis). A Redis store is sealed:
 * when the URI names no {@code sealingKeys} (and does not opt out with {@code sealing=none}), the
 * demo writes a fresh demo key ring to a temporary file and adds {@code sealingKeys=file:...}, the
 * way a deployment points at its mounted secret.
 */
public final class Quickstart {
  private Quickstart() {}

  /** What one task saw. */
  public record Sighting(String caller, String saw) {}

  public static void main(String[] args) throws Exception {
    URI storeUri = URI.create("memory:local");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--store") && i + 1 < args.length) {
        storeUri = URI.create(args[++i]);
      } else {
        System.err.println("usage: Quickstart [--store URI]   (default memory:local)");
        System.exit(2);
      }
    }
    run(withDemoSealing(storeUri, System.out), System.out);
  }

  /**
   * {@code storeUri}, plus {@code sealingKeys=file:...} pointing at a fresh demo key ring, when it is
   * a Redis URI that neither names sealing keys nor opts out; otherwise {@code storeUri} itself.
   */
  static URI withDemoSealing(URI storeUri, PrintStream out) throws IOException {
    String text = storeUri.toString();
    if (!storeUri.getScheme().toLowerCase(Locale.ROOT).startsWith("redis")
        || text.contains("sealingKeys=") || text.contains("sealing=")) {
      return storeUri;
    }
    Path keys = writeDemoKeyRing();
    out.printf("No sealingKeys in %s: wrote a demo key ring to %s (in production: "
        + "export BATON_SEALING_KEYS=\"k1:$(openssl rand -base64 32)\" and add "
        + "sealingKeys=env:BATON_SEALING_KEYS)%n", redactPassword(storeUri), keys);
    return URI.create(text + (storeUri.getRawQuery() == null ? "?" : "&") + "sealingKeys=file:"
        + keys.toUri().getRawPath());
  }

  /** A key ring {@code demo:<32 random bytes, base64>} in a file only this user can read. */
  static Path writeDemoKeyRing() throws IOException {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Path file = Files.createTempFile("baton-quickstart-keys", ".txt");
    file.toFile().deleteOnExit();
    Files.writeString(file, "demo:" + Base64.getEncoder().encodeToString(key) + "\n");
    return file;
  }

  private static String redactPassword(URI uri) {
    return uri.getRawUserInfo() == null ? uri.toString()
        : uri.toString().replace(uri.getRawUserInfo() + "@", "***@");
  }

  /** Runs the demo on the store {@code storeUri} names, printing to {@code out}. */
  public static List<Sighting> run(URI storeUri, PrintStream out) throws Exception {
    Instant now = Instant.now();
    Map<String, @Nullable AccessToken> callers = new LinkedHashMap<>();
    callers.put("alice (valid for 1h)", new AccessToken("eyJhbGciOi.alice-secret.sig", "web-app",
        List.of("reports:read", "reports:write"), now.plus(Duration.ofHours(1)), null,
        Map.of("sub", "alice")));
    callers.put("bob (no expiry)", new AccessToken("eyJhbGciOi.bob-secret.sig", "cli",
        List.of("reports:read"), null, "https://api.example/reports", Map.of("sub", "bob")));
    callers.put("anonymous", null);
    callers.put("carol (expired 5 min ago)", new AccessToken("eyJhbGciOi.carol-secret.sig",
        "web-app", List.of("reports:read"), now.minus(Duration.ofMinutes(5)), null,
        Map.of("sub", "carol")));

    try (TokenSnapshotStore store = TokenSnapshotStores.open(storeUri)) {
      Baton baton = Baton.builder()
          .store(store)
          .lifespan(Map.of("app", "quickstart", "startedAt", now.toString()))
          .build();
      ExecutorService pool = Executors.newFixedThreadPool(2);
      CountDownLatch requestsEnded = new CountDownLatch(1);
      try {
        List<Future<Sighting>> tasks = new ArrayList<>();
        for (var caller : callers.entrySet()) {
          // The request: bind the caller, capture it, hand the key over, return. The scope is gone
          // before the task runs; only the key travels (it could as well go through a queue).
          try (Scope request = baton.bindRequest(caller.getValue())) {
            TaskKey key = baton.capture();
            tasks.add(pool.submit(() -> {
              requestsEnded.await(); // no task starts before every request has ended
              return baton.call(key, () -> new Sighting(caller.getKey(), describeCurrentCaller()));
            }));
          } catch (RestoreFailedException refused) {
            // An expired caller is refused at capture (never silently stored as "no caller"):
            // the request would answer 401; no task is submitted.
            tasks.add(CompletableFuture.completedFuture(new Sighting(caller.getKey(),
                "nothing: refused at submit (" + refused.reason() + "), no task was submitted")));
          }
        }
        requestsEnded.countDown();
        boolean sealed = isSealed(store);
        out.printf("store: %s%nsealed at rest: %s%n%n", store, sealed
            ? "yes - the store holds AES-256-GCM ciphertext; whoever reads it (or its client's debug"
                + " logs) sees no token"
            : "no - " + (storeUri.getScheme().equalsIgnoreCase("memory")
                ? "in-process memory store: values never leave this JVM"
                : "plain JSON, opted out with sealing=none: whoever reads the store reads tokens"));
        out.printf("%-27s | %s%n", "submitted by", "the background task saw");
        out.println("-".repeat(27) + "-+-" + "-".repeat(70));
        List<Sighting> sightings = new ArrayList<>();
        for (Future<Sighting> task : tasks) {
          Sighting sighting = task.get(30, TimeUnit.SECONDS);
          out.printf("%-27s | %s%n", sighting.caller(), sighting.saw());
          sightings.add(sighting);
        }
        out.printf("%nWhat happened:%n"
            + "- Each request bound its caller, captured it into the store under a task key, submitted"
            + " a task carrying only that key, and ended; no task started before every request had"
            + " ended.%n"
            + "- On a pool thread, the worker restored the caller from the store by that key"
            + " (Baton.call), and plain code in the task read it with Baton.currentToken().%n"
            + "- token=sha256:... is the token's fingerprint (the start of the SHA-256 of the bearer"
            + " token): it correlates log lines; the token itself is never printed.%n"
            + "- anonymous had no token; carol's token had already expired, so her capture was"
            + " refused (CALLER_EXPIRED): an expired caller never silently becomes \"no caller\","
            + " and expiry is checked at capture and on every read.%n"
            + "- The store %s.%n", sealed
                ? "is sealed: its values are ciphertext, bound to their task keys"
                : "is not sealed (fine in memory; a Redis store needs sealingKeys or an explicit"
                    + " sealing=none)");
        return sightings;
      } finally {
        requestsEnded.countDown();
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * Whether the store seals values: the memory and Redis stores both say {@code sealed (...)} in
   * {@code toString()} when they do (the Redis store is only a runtime dependency here).
   */
  static boolean isSealed(TokenSnapshotStore store) {
    return store.toString().contains(" sealed (");
  }

  /** Plain code deep inside a task: no parameter, no injection, just the static lookup. */
  private static String describeCurrentCaller() {
    String thread = Thread.currentThread().getName();
    String app = String.valueOf(TaskContext.current().orElseThrow().lifespan().get("app"));
    return Baton.currentToken()
        .map(token -> "client=" + token.clientId() + " sub=" + token.subject() + " scopes="
            + token.scopes() + " token=" + token.fingerprint())
        .orElse("no token")
        + "  [" + thread + ", app=" + app + "]";
  }
}
