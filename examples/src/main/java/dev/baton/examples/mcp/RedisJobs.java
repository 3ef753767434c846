package dev.baton.examples.mcp;

import dev.baton.Baton;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.ClaimedMessages;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Redis mode: jobs on a Redis Stream read by a consumer group of worker processes, job states in
 * Redis hashes. A worker that dies mid-job leaves its entry pending; another worker claims it with
 * {@code XAUTOCLAIM} and runs it, still as its caller (the caller comes from the snapshot store by
 * the job's key, never from the worker); after {@link #MAX_ATTEMPTS} starts a job is marked failed
 * instead. Nothing is acknowledged before it is recorded as done or failed.
 */
public final class RedisJobs implements AutoCloseable {
  /** Starts of one job before it is reported failed rather than run again. */
  public static final int MAX_ATTEMPTS = 3;
  static final String GROUP = "workers";

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final RedisCommands<String, String> redis;
  private final String prefix;

  /**
   * Connects to the Redis at {@code redisUri} (no query: the jobs carry no secrets) for the demo run
   * {@code runId}.
   */
  public RedisJobs(URI redisUri, String runId) {
    this.client = RedisClient.create(redisUri.getScheme() + "://" + redisUri.getAuthority());
    this.connection = client.connect();
    this.redis = connection.sync();
    this.prefix = "baton-demo:" + Objects.requireNonNull(runId, "runId") + ":";
  }

  String stream() {
    return prefix + "jobs";
  }

  private String jobKey(String jobId) {
    return prefix + "job:" + jobId;
  }

  /** The board: job hashes in Redis. */
  public JobBoard board() {
    return new JobBoard() {
      @Override
      public void queued(String jobId, String owner) {
        redis.hset(jobKey(jobId), Map.of(OWNER, owner, STATUS, QUEUED));
      }

      @Override
      public void running(String jobId) {
        redis.hset(jobKey(jobId), STATUS, RUNNING);
      }

      @Override
      public void done(String jobId, String ranAs, String app) {
        redis.hset(jobKey(jobId), Map.of(STATUS, DONE, RAN_AS, ranAs, APP, app));
      }

      @Override
      public void failed(String jobId, String reason) {
        redis.hset(jobKey(jobId), Map.of(STATUS, FAILED, REASON, reason));
      }

      @Override
      public @Nullable Map<String, String> status(String jobId) {
        Map<String, String> fields = redis.hgetall(jobKey(jobId));
        return fields == null || fields.isEmpty() ? null : fields;
      }
    };
  }

  /** The queue the server submits to: {@code XADD} on the stream; workers are other processes. */
  public JobQueue queue() {
    try {
      redis.xgroupCreate(XReadArgs.StreamOffset.from(stream(), "0"), GROUP,
          XGroupCreateArgs.Builder.mkstream());
    } catch (RedisBusyException e) {
      // The group exists already: another server of the same run made it.
    }
    return new JobQueue() {
      @Override
      public void start(java.util.function.Consumer<Job> runner) {
        // Workers are separate processes reading the stream.
      }

      @Override
      public void submit(Job job) {
        redis.xadd(stream(), Map.of("id", job.id(), "key", job.encodedKey(), "topic", job.topic()));
      }

      @Override
      public void close() {}
    };
  }

  /** The worker field of a job: the consumer that last started it. */
  public @Nullable String workerOf(String jobId) {
    return redis.hget(jobKey(jobId), "worker");
  }

  /**
   * A worker's loop: claims entries idle longer than {@code claimAfter} (their worker died), reads
   * new ones, runs each as its caller, acknowledges it once recorded. Returns when interrupted.
   */
  @SuppressWarnings("unchecked") // Lettuce's varargs of a generic type
  public void work(String consumer, Baton baton, URI server, Duration claimAfter) {
    HttpClient http = HttpClient.newHttpClient();
    JobBoard board = board();
    Consumer<String> me = Consumer.from(GROUP, consumer);
    while (!Thread.currentThread().isInterrupted()) {
      ClaimedMessages<String, String> claimed = redis.xautoclaim(stream(),
          XAutoClaimArgs.Builder.xautoclaim(me, claimAfter, "0-0").count(1));
      List<StreamMessage<String, String>> messages = claimed.getMessages();
      if (messages.isEmpty()) {
        messages = redis.xreadgroup(me, XReadArgs.Builder.block(Duration.ofMillis(500)).count(1),
            XReadArgs.StreamOffset.lastConsumed(stream()));
      }
      for (StreamMessage<String, String> message : messages) {
        handle(message, consumer, baton, board, server, http);
      }
    }
  }

  private void handle(StreamMessage<String, String> message, String consumer, Baton baton,
      JobBoard board, URI server, HttpClient http) {
    Map<String, String> body = message.getBody();
    if (body == null || body.get("id") == null) {
      // XAUTOCLAIM returns deleted entries without a body: nothing left to run.
      redis.xack(stream(), GROUP, message.getId());
      return;
    }
    Job job = new Job(body.get("id"), Objects.requireNonNullElse(body.get("key"), ""),
        Objects.requireNonNullElse(body.get("topic"), ""));
    long attempts = redis.hincrby(jobKey(job.id()), "attempts", 1);
    Map<String, String> worker = new HashMap<>();
    worker.put("worker", consumer);
    redis.hset(jobKey(job.id()), worker);
    if (attempts > MAX_ATTEMPTS) {
      board.failed(job.id(), "its worker died " + (attempts - 1) + " times");
    } else {
      ReportServer.runJob(baton, board, server, http, job);
    }
    redis.xack(stream(), GROUP, message.getId());
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}
