package dev.baton.spring.boot;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.TaskKey;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.support.CronTrigger;
import org.springframework.scheduling.support.PeriodicTrigger;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * A resource server validating JWTs signed by a key generated here; {@code POST /jobs/{name}} starts
 * an {@code @Async} job that waits for the test's go and then records whom it runs as.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableAsync
@EnableScheduling
@EnableMethodSecurity
@Import({
  ResourceServerApp.Jobs.class,
  ResourceServerApp.JobController.class,
  SecuredJobsApp.ReportWriter.class,
  SecuredJobsApp.SecuredJobs.class,
  SecuredJobsApp.SecuredController.class
})
class ResourceServerApp {
  static final KeyPair KEYS = generateKeys();

  /** Baton's clock, advanced by tests to expire tokens while jobs wait; JWT validation keeps real time. */
  static final AtomicReference<Duration> BATON_CLOCK_OFFSET = new AtomicReference<>(Duration.ZERO);

  @Bean
  JwtDecoder jwtDecoder() {
    return NimbusJwtDecoder.withPublicKey((RSAPublicKey) KEYS.getPublic()).build();
  }

  @Bean
  SecurityFilterChain api(HttpSecurity http) throws Exception {
    return http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
        .oauth2ResourceServer(server -> server.jwt(jwt -> {}))
        .csrf(csrf -> csrf.disable())
        .build();
  }

  @Bean
  BatonBuilderCustomizer offsetClock() {
    return builder -> builder.clock(new OffsetClock());
  }

  /** What a job saw: the caller Baton resolved on the job's thread, if any. */
  record Seen(Optional<AccessToken> caller, String thread, boolean virtual) {}

  @Service
  static class Jobs {
    final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
    final Map<String, CompletableFuture<Seen>> results = new ConcurrentHashMap<>();
    final Map<String, CountDownLatch> started = new ConcurrentHashMap<>();

    CountDownLatch gate(String name) {
      return gates.computeIfAbsent(name, n -> new CountDownLatch(1));
    }

    CountDownLatch started(String name) {
      return started.computeIfAbsent(name, n -> new CountDownLatch(1));
    }

    boolean wasStarted(String name) {
      return started.containsKey(name);
    }

    CompletableFuture<Seen> result(String name) {
      return results.computeIfAbsent(name, n -> new CompletableFuture<>());
    }

    /** Records whom the current thread runs as, for a task handed to the scheduler. */
    void record(String name) {
      result(name)
          .complete(
              new Seen(
                  Baton.currentToken(),
                  Thread.currentThread().getName(),
                  VirtualThreads.isVirtual(Thread.currentThread())));
    }

    @Async
    public void run(String name) throws InterruptedException {
      started(name).countDown();
      if (!gate(name).await(30, TimeUnit.SECONDS)) {
        result(name).completeExceptionally(new IllegalStateException("no go for " + name));
        return;
      }
      result(name)
          .complete(
              new Seen(
                  Baton.currentToken(),
                  Thread.currentThread().getName(),
                  VirtualThreads.isVirtual(Thread.currentThread())));
    }
  }

  @RestController
  static class JobController {
    private final Jobs jobs;
    private final TaskScheduler scheduler;
    private final Baton baton;
    private final Executor executor;

    JobController(
        Jobs jobs,
        TaskScheduler scheduler,
        Baton baton,
        @Qualifier("applicationTaskExecutor") Executor executor) {
      this.jobs = jobs;
      this.scheduler = scheduler;
      this.baton = baton;
      this.executor = executor;
    }

    /**
     * Hands a task to the scheduler in one of its ways; a periodic task records its first two runs
     * (as {@code name#1}, {@code name#2}) and then cancels itself.
     */
    @PostMapping("/scheduled/{kind}/{name}")
    @ResponseStatus(HttpStatus.ACCEPTED)
    void scheduleKind(@PathVariable String kind, @PathVariable String name) {
      var handle = new CompletableFuture<ScheduledFuture<?>>();
      var runs = new AtomicInteger();
      Runnable task =
          () -> {
            int run = runs.incrementAndGet();
            if (run <= 2) {
              jobs.record(name + "#" + run);
            }
            if (run >= 2) {
              handle.thenAccept(future -> future.cancel(false));
            }
          };
      if (kind.equals("execute")) { // the scheduler is an executor too
        ((Executor) scheduler).execute(task);
        return;
      }
      Duration period = Duration.ofMillis(20);
      ScheduledFuture<?> future =
          switch (kind) {
            case "instant" -> scheduler.schedule(task, Instant.now().plusMillis(10));
            case "fixed-rate" -> scheduler.scheduleAtFixedRate(task, period);
            case "fixed-rate-from" -> scheduler.scheduleAtFixedRate(task, Instant.now(), period);
            case "fixed-delay" -> scheduler.scheduleWithFixedDelay(task, period);
            case "fixed-delay-from" ->
                scheduler.scheduleWithFixedDelay(task, Instant.now(), period);
            case "cron" -> scheduler.schedule(task, new CronTrigger("* * * * * *"));
            case "periodic-trigger" -> scheduler.schedule(task, new PeriodicTrigger(period));
            default -> throw new IllegalArgumentException("no such kind: " + kind);
          };
      handle.complete(Objects.requireNonNull(future, "future"));
    }

    @PostMapping("/scheduled/{name}")
    @ResponseStatus(HttpStatus.ACCEPTED)
    void schedule(@PathVariable String name) {
      scheduler.schedule(() -> jobs.record(name), Instant.now());
    }

    /**
     * The queue pattern: the caller is captured into Baton's store at submit and restored by key
     * in the worker (what a job handed to another process does), so Baton's events and store
     * operations happen. The result is completed once {@code run} has returned and cleaned up.
     */
    @PostMapping("/queued/{name}")
    @ResponseStatus(HttpStatus.ACCEPTED)
    void queue(@PathVariable String name) {
      TaskKey key = baton.capture();
      executor.execute(
          () -> {
            var seen = new AtomicReference<Seen>();
            baton.run(
                key,
                () ->
                    seen.set(
                        new Seen(
                            Baton.currentToken(),
                            Thread.currentThread().getName(),
                            VirtualThreads.isVirtual(Thread.currentThread()))));
            jobs.result(name).complete(seen.get());
          });
    }

    @PostMapping("/jobs/{name}")
    @ResponseStatus(HttpStatus.ACCEPTED)
    void start(@PathVariable String name) throws InterruptedException {
      jobs.run(name);
    }
  }

  static String jwt(String sub, String clientId, String scope, Instant expiresAt) {
    return sign(
        new JWTClaimsSet.Builder()
            .subject(sub)
            .claim("client_id", clientId)
            .claim("scope", scope),
        expiresAt);
  }

  /** A valid, signed JWT that names no client: Baton cannot say whose task it would be. */
  static String jwtWithoutClient(String sub, Instant expiresAt) {
    return sign(new JWTClaimsSet.Builder().subject(sub).claim("scope", "a"), expiresAt);
  }

  private static String sign(JWTClaimsSet.Builder builder, Instant expiresAt) {
    var claims =
        builder
            .issueTime(Date.from(expiresAt.minus(Duration.ofHours(2))))
            .expirationTime(Date.from(expiresAt))
            .build();
    var jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
    try {
      jwt.sign(new RSASSASigner(KEYS.getPrivate()));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  private static KeyPair generateKeys() {
    try {
      var generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The system clock plus {@link #BATON_CLOCK_OFFSET}. */
  static final class OffsetClock extends Clock {
    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("fixed to UTC");
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(BATON_CLOCK_OFFSET.get());
    }
  }

  /** {@code Thread.isVirtual()} exists from JDK 21; this module compiles for 17. */
  static final class VirtualThreads {
    private VirtualThreads() {}

    static boolean isVirtual(Thread thread) {
      try {
        return (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
      } catch (NoSuchMethodException e) {
        return false;
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
