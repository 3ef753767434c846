package dev.baton.examples.quickstart;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.Scope;
import dev.baton.TaskContext;
import dev.baton.TaskKey;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenSnapshotStores;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * (default {@code memory:local}; {@code redis://127.0.0.1:6379} for Redis).
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
    run(storeUri, System.out);
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
      try {
        List<Future<Sighting>> tasks = new ArrayList<>();
        for (var caller : callers.entrySet()) {
          // The request: bind the caller, capture it, hand the key over, return. The scope is gone
          // before the task runs; only the key travels (it could as well go through a queue).
          try (Scope request = baton.bindRequest(caller.getValue())) {
            TaskKey key = baton.capture();
            tasks.add(pool.submit(() -> baton.call(key,
                () -> new Sighting(caller.getKey(), describeCurrentCaller()))));
          }
        }
        out.printf("store: %s%n%n%-27s | %s%n", store, "submitted by", "the background task saw");
        out.println("-".repeat(27) + "-+-" + "-".repeat(70));
        List<Sighting> sightings = new ArrayList<>();
        for (Future<Sighting> task : tasks) {
          Sighting sighting = task.get(30, TimeUnit.SECONDS);
          out.printf("%-27s | %s%n", sighting.caller(), sighting.saw());
          sightings.add(sighting);
        }
        return sightings;
      } finally {
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.SECONDS);
      }
    }
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
