package dev.baton.store.redis;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.RestoreFailedException;
import dev.baton.TaskKey;
import dev.baton.codec.SealingKeyRing;
import java.util.Optional;

/**
 * A worker process for {@link RedisCrossProcessTest}: restores the task {@code scope}/{@code taskId}
 * from Redis through its own store and {@link Baton}, and prints one line saying which caller the
 * task saw &mdash; never the token itself.
 *
 * <p>Arguments: {@code redisUri scope taskId}. With {@value #SEALING_KEYS_ENV} set, values are
 * opened with a {@link SealingSnapshotCodec} over that key ring.
 *
 * <p>Output and exit code: {@code SAW clientId=... sub=... fingerprint=...} or
 * {@code SAW anonymous} (0); {@code RESTORE_FAILED reason=...} (2); {@code ERROR ...} (1).
 */
public final class WorkerMain {
  /** The environment variable holding the sealing key ring, as {@code id:base64key}. */
  public static final String SEALING_KEYS_ENV = "BATON_TEST_SEALING_KEYS";

  private WorkerMain() {}

  public static void main(String[] args) {
    if (args.length != 3) {
      System.out.println("ERROR usage: WorkerMain redisUri scope taskId");
      System.exit(1);
    }
    TaskKey key = new TaskKey(args[1], args[2]);
    RedisTokenSnapshotStore.Builder builder = RedisTokenSnapshotStore.builder().uri(args[0]);
    if (System.getenv(SEALING_KEYS_ENV) != null) {
      builder.sealingKeys(SealingKeyRing.fromEnvironment(SEALING_KEYS_ENV));
    } else {
      builder.withoutSealing();
    }
    int status;
    try (RedisTokenSnapshotStore store = builder.build()) {
      Baton baton = Baton.builder().store(store).build();
      Optional<AccessToken> seen = baton.call(key, Baton::currentToken);
      System.out.println(seen.map(t -> "SAW clientId=" + t.clientId() + " sub=" + t.subject()
          + " fingerprint=" + t.fingerprint()).orElse("SAW anonymous"));
      status = 0;
    } catch (RestoreFailedException e) {
      System.out.println("RESTORE_FAILED reason=" + e.reason());
      status = 2;
    } catch (Exception e) {
      System.out.println("ERROR " + e); // Baton's exceptions never carry the token
      status = 1;
    }
    System.out.flush();
    System.exit(status);
  }
}
