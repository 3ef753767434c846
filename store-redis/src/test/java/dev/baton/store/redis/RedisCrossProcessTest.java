package dev.baton.store.redis;

import static dev.baton.store.redis.TestSupport.caller;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.Scope;
import dev.baton.TaskKey;
import dev.baton.codec.JsonSnapshotCodec;
import dev.baton.codec.SealingKeyRing;
import dev.baton.codec.SealingSnapshotCodec;
import dev.baton.store.redis.harness.RedisServerProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flow across processes: the test JVM captures a caller into Redis, and a second JVM (same
 * class path, {@link WorkerMain}) restores it through its own store and reports the caller it saw.
 */
class RedisCrossProcessTest {
  private static final long WORKER_TIMEOUT_SECONDS = 60;

  private static RedisServerProcess redis;

  @TempDir Path tmp;

  @BeforeAll
  static void startRedis() {
    redis = RedisServerProcess.startDefault();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  /** How a worker process ended. */
  record Worker(int exitCode, String output) {}

  @Test
  void workerProcess_restoresTheCallerCapturedInThisJvm() throws Exception {
    AccessToken alice = caller("alice");
    TaskKey key;
    try (RedisTokenSnapshotStore store = RedisTokenSnapshotStore.builder().uri(redis.uri())
        .withoutSealing().build()) {
      Baton baton = Baton.builder().store(store).build();
      try (Scope request = baton.bindRequest(alice)) {
        key = baton.capture();
      }

      Worker worker = runWorker(key, null);

      assertThat(worker.exitCode()).as(worker.output()).isZero();
      assertThat(worker.output()).contains("SAW clientId=client-alice sub=user-alice fingerprint="
          + alice.fingerprint());
      assertThat(worker.output()).doesNotContain(alice.token());
      assertThat(store.load(key)).as("deleted by the worker on completion").isEmpty();
    }
  }

  @Test
  void workerProcess_withSealedValues_restoresTheCallerCapturedInThisJvm() throws Exception {
    byte[] secret = RedisSealedStoreTckTest.randomKey();
    String ring = "k1:" + Base64.getEncoder().encodeToString(secret);
    AccessToken bob = caller("bob");
    TaskKey key;
    try (RedisTokenSnapshotStore store = RedisTokenSnapshotStore.builder()
        .uri(redis.uri())
        .codec(SealingSnapshotCodec.wrap(JsonSnapshotCodec.create(), SealingKeyRing.of("k1", secret)))
        .build()) {
      Baton baton = Baton.builder().store(store).build();
      try (Scope request = baton.bindRequest(bob)) {
        key = baton.capture();
      }
    }

    Worker worker = runWorker(key, ring);

    assertThat(worker.exitCode()).as(worker.output()).isZero();
    assertThat(worker.output()).contains("SAW clientId=client-bob sub=user-bob fingerprint="
        + bob.fingerprint());
  }

  @Test
  void workerProcess_forAnAnonymousCapture_seesNoToken() throws Exception {
    TaskKey key;
    try (RedisTokenSnapshotStore store = RedisTokenSnapshotStore.builder().uri(redis.uri())
        .withoutSealing().build()) {
      key = Baton.builder().store(store).build().capture();
    }

    Worker worker = runWorker(key, null);

    assertThat(worker.exitCode()).as(worker.output()).isZero();
    assertThat(worker.output()).contains("SAW anonymous");
  }

  @Test
  void workerProcess_forAMissingSnapshot_failsWithoutRunningTheTask() throws Exception {
    TaskKey key = TaskKey.random(caller("carol"));

    Worker worker = runWorker(key, null);

    assertThat(worker.exitCode()).as(worker.output()).isEqualTo(2);
    assertThat(worker.output()).contains("RESTORE_FAILED reason=MISSING").doesNotContain("SAW");
  }

  private Worker runWorker(TaskKey key, @Nullable String sealingKeys)
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path stdout = tmp.resolve("worker-" + System.nanoTime() + ".out");
    Path stderr = tmp.resolve("worker-" + System.nanoTime() + ".err");
    ProcessBuilder builder = new ProcessBuilder(List.of(java, "-cp",
        System.getProperty("java.class.path"), WorkerMain.class.getName(), redis.uri(),
        key.scope(), key.taskId()))
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile());
    Map<String, String> env = builder.environment();
    env.remove(WorkerMain.SEALING_KEYS_ENV);
    if (sealingKeys != null) {
      env.put(WorkerMain.SEALING_KEYS_ENV, sealingKeys);
    }
    Process process = builder.start();
    process.getOutputStream().close();
    if (!process.waitFor(WORKER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("worker did not finish within " + WORKER_TIMEOUT_SECONDS + "s; "
          + "stderr:\n" + Files.readString(stderr, StandardCharsets.UTF_8));
    }
    String output = Files.readString(stdout, StandardCharsets.UTF_8);
    if (process.exitValue() != 0 && process.exitValue() != 2) {
      output += "\nstderr:\n" + Files.readString(stderr, StandardCharsets.UTF_8);
    }
    return new Worker(process.exitValue(), output);
  }
}
