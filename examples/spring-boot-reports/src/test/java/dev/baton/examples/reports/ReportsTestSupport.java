package dev.baton.examples.reports;

import dev.baton.spring.boot.BatonBuilderCustomizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What the report tests share: an issuer whose key is made here, a real downstream API on the JDK's
 * HTTP server that validates the tokens it gets and remembers them, job hooks on latches, and
 * Baton's clock, which tests move forward to expire tokens while their jobs wait (the JWT decoder
 * keeps real time).
 */
final class ReportsTestSupport {
  static final DemoIssuer ISSUER = new DemoIssuer(Clock.systemUTC());
  static final List<String> DOWNSTREAM_TOKENS = new CopyOnWriteArrayList<>();
  static final WhoAmIServer DOWNSTREAM = startDownstream();
  static final AtomicReference<Duration> BATON_CLOCK_OFFSET = new AtomicReference<>(Duration.ZERO);
  static final LatchedJobs JOBS = new LatchedJobs();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  private ReportsTestSupport() {}

  static void downstreamUrl(DynamicPropertyRegistry registry) {
    registry.add("reports.downstream-url", () -> DOWNSTREAM.uri().toString());
  }

  static String token(String subject, String clientId, String scope) {
    return ISSUER.mint(subject, clientId, scope, Duration.ofHours(1));
  }

  static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static WhoAmIServer startDownstream() {
    JwtDecoder validating = ISSUER.decoder();
    try {
      return WhoAmIServer.start(
          token -> {
            DOWNSTREAM_TOKENS.add(token);
            return validating.decode(token);
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @TestConfiguration(proxyBeanMethods = false)
  static class Beans {
    @Bean
    JwtDecoder jwtDecoder() {
      return ISSUER.decoder();
    }

    @Bean
    ReportJobs.JobHooks latchedJobs() {
      return JOBS;
    }

    @Bean
    BatonBuilderCustomizer offsetClock() {
      return builder -> builder.clock(new OffsetClock());
    }
  }

  /** Holds each job at its start until the test lets it go, and says when it has finished. */
  static final class LatchedJobs implements ReportJobs.JobHooks {
    private final Map<String, CountDownLatch> started = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> go = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> finished = new ConcurrentHashMap<>();
    final AtomicInteger starts = new AtomicInteger();

    @Override
    public void beforeRun(String id) {
      starts.incrementAndGet();
      latch(started, id).countDown();
      try {
        if (!latch(go, id).await(60, TimeUnit.SECONDS)) {
          throw new IllegalStateException("no go for report " + id);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void afterRun(String id) {
      latch(finished, id).countDown();
    }

    void awaitStarted(String id) throws InterruptedException {
      if (!latch(started, id).await(60, TimeUnit.SECONDS)) {
        throw new AssertionError("report " + id + " did not start");
      }
    }

    void release(String id) {
      latch(go, id).countDown();
    }

    void awaitFinished(String id) throws InterruptedException {
      if (!latch(finished, id).await(60, TimeUnit.SECONDS)) {
        throw new AssertionError("report " + id + " did not finish");
      }
    }

    private static CountDownLatch latch(Map<String, CountDownLatch> latches, String id) {
      return latches.computeIfAbsent(id, key -> new CountDownLatch(1));
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

  static URI uri(int port, String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }
}
