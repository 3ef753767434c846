package dev.baton.adversarial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.BatonEvent;
import dev.baton.CallerBinding;
import dev.baton.RestoreFailurePolicy;
import dev.baton.Scope;
import dev.baton.TaskKey;
import dev.baton.TaskScope;
import dev.baton.TokenSnapshot;
import dev.baton.store.TokenSnapshotStores;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every failure path at once, with the JUL root at ALL: no log record (message, parameters, thrown
 * chain with stack text), exception chain or toString carries the bearer token.
 */
@SuppressWarnings("try")
class SecrecyAtAllLevelsTest {
  private static final String SECRET = "secrecy-all-levels-bearer-7f3a9c";
  private final List<LogRecord> records = Collections.synchronizedList(new ArrayList<>());
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private final Logger root = Logger.getLogger("");
  private Level previous;
  private final List<String> texts = new ArrayList<>();

  @BeforeEach
  void attach() {
    previous = root.getLevel();
    root.setLevel(Level.ALL);
    handler.setLevel(Level.ALL);
    root.addHandler(handler);
  }

  @AfterEach
  void detach() {
    root.removeHandler(handler);
    root.setLevel(previous);
    assertThat(Baton.isBound()).isFalse();
  }

  private void text(Object o) {
    texts.add(String.valueOf(o));
  }

  private void chain(Throwable e) {
    StringWriter out = new StringWriter();
    e.printStackTrace(new PrintWriter(out));
    texts.add(out.toString());
  }

  @Test
  void everyFailurePath_leavesNoTokenText_inLogsExceptionsOrToString() throws Exception {
    AccessToken token = new AccessToken(SECRET, "client", List.of("read"),
        Instant.now().plusSeconds(3600), "https://api", Map.of("sub", "s"));
    MemoryTokenSnapshotStore bytes = (MemoryTokenSnapshotStore) TokenSnapshotStores.open(
        URI.create("memory:local?mode=bytes"));
    List<BatonEvent> events = new ArrayList<>();
    Baton baton = Baton.builder().store(bytes).listener(e -> {
      events.add(e);
      throw new IllegalStateException("listener fails on " + e.type());
    }).restoreFailurePolicy(RestoreFailurePolicy.RUN_UNAUTHENTICATED).build();

    TaskKey corrupt = TaskKey.forCaller(token, "corrupt");
    bytes.putRawValue(corrupt, ("{\"v\":1,\"token\":\"" + SECRET + "\",\"clientId\":5")
        .getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(1));
    baton.run(corrupt, () -> text(Baton.currentToken()));
    TaskKey wrongType = TaskKey.forCaller(token, "wrongType");
    bytes.putRawValue(wrongType, ("{\"v\":1,\"token\":\"" + SECRET + "\",\"clientId\":5}")
        .getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(1));
    baton.run(wrongType, () -> text(Baton.currentToken()));
    baton.run(TaskKey.forCaller(token, "missing"), () -> { });

    TaskKey key = baton.capture(TaskKey.forCaller(token, "ok"), token);
    text(bytes.load(key).orElseThrow());
    text(new String(bytes.rawValue(key).orElseThrow(), StandardCharsets.UTF_8).contains(SECRET)
        ? "raw value is plain JSON (expected in unsealed bytes mode)" : "");
    texts.remove(texts.size() - 1);
    TaskScope scope = baton.enter(key);
    text(scope);
    text(scope.context());
    text(CallerBinding.capture());
    try (Scope request = baton.bindRequest(token)) {
      text(CallerBinding.capture());
      Scope inner = CallerBinding.capture().install();
      request.close();
      inner.close();
    }
    CompletableFuture<Throwable> foreign = CompletableFuture.supplyAsync(() -> {
      try {
        scope.close();
        return null;
      } catch (RuntimeException e) {
        return e;
      }
    });
    Throwable rejected = foreign.get(60, TimeUnit.SECONDS);
    assertThat(rejected).isInstanceOf(IllegalStateException.class);
    chain(rejected);
    scope.close();
    bytes.close();
    assertThatThrownBy(() -> baton.capture(TaskKey.forCaller(token, "closed"), token))
        .satisfies(this::chain);
    text(token);
    text(TokenSnapshot.of(token, Instant.now()));
    text(bytes);
    text(baton);
    events.forEach(this::text);
    assertThatThrownBy(() -> new AccessToken(SECRET + "\ud800", "c", List.of(), null, null,
        Map.of())).satisfies(this::chain);
    assertThatThrownBy(() -> new AccessToken(SECRET, "c", List.of(SECRET + " "), null, null,
        Map.of("x", new Object()))).satisfies(this::chain);

    synchronized (records) {
      for (LogRecord r : records) {
        text(r.getMessage());
        if (r.getParameters() != null) {
          for (Object p : r.getParameters()) {
            text(p);
          }
        }
        if (r.getThrown() != null) {
          chain(r.getThrown());
        }
      }
    }
    assertThat(records).isNotEmpty();
    for (String t : texts) {
      assertThat(t).doesNotContain(SECRET).doesNotContain(SECRET.substring(0, 20));
    }
  }
}
