package dev.baton.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.TaskKey;
import dev.baton.store.redis.harness.RedisServerProcess;
import io.lettuce.core.RedisClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code baton.store=redis://…?sealingKeys=…} against a real redis-server. */
class RedisStoreStartupTest {
  private static RedisServerProcess redis;

  @TempDir static Path dir;

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(BatonAutoConfiguration.class, BatonHealthAutoConfiguration.class));

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServerProcess.startDefault();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    redis.close();
  }

  @Test
  void sealedRedisStore_restoresTheCallerAndKeepsNoTokenInPlainText() throws Exception {
    String token = "eyJ.redis-sealed-token." + System.nanoTime();
    AccessToken caller = AccessToken.builder(token, "jobs-app").subject("heidi").build();

    runner
        .withPropertyValues("baton.store=" + redis.uri() + "?sealingKeys=file:" + keyFile())
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              Baton baton = context.getBean(Baton.class);
              TaskKey key = baton.capture(TaskKey.random(caller), caller);
              List<String> atRest = rawValues();

              Optional<AccessToken> restored = baton.call(key, Baton::currentToken);

              assertThat(atRest).noneMatch(value -> value.contains(token));
              assertThat(restored).map(AccessToken::token).contains(token);
              Health health = context.getBean(BatonStoreHealthIndicator.class).health();
              assertThat(health.getStatus()).isEqualTo(Status.UP);
              assertThat(health.getDetails())
                  .containsEntry("store", "RedisTokenSnapshotStore")
                  .containsEntry("sealed", true);
            });
  }

  @Test
  void redisStore_unreachable_failsStartup() {
    runner
        .withPropertyValues("baton.store=redis://127.0.0.1:1")
        .run(context -> assertThat(context).hasFailed());
  }

  private static Path keyFile() throws Exception {
    Path keys = dir.resolve("keys");
    if (!Files.exists(keys)) {
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      Files.writeString(keys, "k1:" + Base64.getEncoder().encodeToString(key));
    }
    return keys;
  }

  private static List<String> rawValues() {
    RedisClient client = RedisClient.create(redis.uri());
    try (var connection = client.connect(io.lettuce.core.codec.ByteArrayCodec.INSTANCE)) {
      var commands = connection.sync();
      var values = new java.util.ArrayList<String>();
      for (byte[] key : commands.keys("*")) {
        byte[] value = commands.get(key);
        values.add(value == null ? "" : new String(value, StandardCharsets.ISO_8859_1));
      }
      assertThat(values).isNotEmpty();
      return values;
    } finally {
      client.shutdown();
    }
  }
}
