package dev.baton.examples.mcp;

import dev.baton.Baton;
import io.lettuce.core.Consumer;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.ClaimedMessages;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
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
 *
 * <p>Every key written here expires ({@link #RUN_TTL} after its last write: each write and its
 * {@code PEXPIRE} run as one Lua script, so no key is ever left without an expiry), and
 * {@link #removeRun()} deletes the run's keys when the demo ends.
 */
public final class RedisJobs implements AutoCloseable {
  /** Starts of one job before it is reported failed rather than run again. */
  public static final int MAX_ATTEMPTS = 3;
  /** How long the run's keys live after their last write, if the demo cannot remove them. */
  public static final Duration RUN_TTL = Duration.ofHours(1);
  static final String GROUP = "workers";

  /** HSET KEYS[1] ARGV[2..] and PEXPIRE KEYS[1] ARGV[1], atomically. */
  private static final String WRITE = "redis.call('HSET', KEYS[1], unpack(ARGV, 2)) "
      + "redis.call('PEXPIRE', KEYS[1], ARGV[1]) return 1";
  /** A worker starts a job: attempts + 1, worker = ARGV[2], PEXPIRE; returns the attempts. */
  private static final String START = "local n = redis.call('HINCRBY', KEYS[1], 'attempts', 1) "
      + "redis.call('HSET', KEYS[1], 'worker', ARGV[2]) "
      + "redis.call('PEXPIRE', KEYS[1], ARGV[1]) return n";
  /** XADD KEYS[1] * ARGV[2..] and PEXPIRE KEYS[1] ARGV[1]. */
  private static final String ADD = "redis.call('XADD', KEYS[1], '*', unpack(ARGV, 2)) "
      + "redis.call('PEXPIRE', KEYS[1], ARGV[1]) return 1";
  /** The consumer group ARGV[2] on stream KEYS[1] (made if missing), and PEXPIRE. */
  private static final String GROUP_CREATE = "redis.pcall('XGROUP', 'CREATE', KEYS[1], ARGV[2], "
      + "'0', 'MKSTREAM') redis.call('PEXPIRE', KEYS[1], ARGV[1]) return 1";

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

  private String ttl() {
    return Long.toString(RUN_TTL.toMillis());
  }

  private void write(String jobId, String... fieldsAndValues) {
    String[] args = new String[fieldsAndValues.length + 1];
    args[0] = ttl();
    System.arraycopy(fieldsAndValues, 0, args, 1, fieldsAndValues.length);
    redis.eval(WRITE, ScriptOutputType.INTEGER, new String[] {jobKey(jobId)}, args);
  }

  /**
   * Deletes every key of this run (stream, job states); the snapshots are Baton's and expire or
   * are deleted by Baton itself. Call once, when no worker runs any more.
   */
  public void removeRun() {
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<String> page = redis.scan(cursor,
          ScanArgs.Builder.matches(prefix + "*").limit(500));
      if (!page.getKeys().isEmpty()) {
        redis.unlink(page.getKeys().toArray(new String[0]));
      }
      cursor = page;
    } while (!cursor.isFinished());
  }

  /** The board: job hashes in Redis. */
  public JobBoard board() {
    return new JobBoard() {
      @Override
      public void queued(String jobId, String owner) {
        write(jobId, OWNER, owner, STATUS, QUEUED);
      }

      @Override
      public void running(String jobId) {
        // Attempts are counted when a worker takes the job (handle), not here.
        write(jobId, STATUS, RUNNING);
      }

      @Override
      public void done(String jobId, String ranAs, String app) {
        write(jobId, STATUS, DONE, RAN_AS, ranAs, APP, app);
      }

      @Override
      public void failed(String jobId, String reason) {
        write(jobId, STATUS, FAILED, REASON, reason);
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
    // Made if missing (another server of the same run may have made it), with an expiry.
    redis.eval(GROUP_CREATE, ScriptOutputType.INTEGER, new String[] {stream()}, ttl(), GROUP);
    return new JobQueue() {
      @Override
      public void start(java.util.function.Consumer<Job> runner) {
        // Workers are separate processes reading the stream.
      }

      @Override
      public void submit(Job job) {
        redis.eval(ADD, ScriptOutputType.INTEGER, new String[] {stream()}, ttl(),
            "id", job.id(), "key", job.encodedKey(), "topic", job.topic());
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
    long attempts = redis.<Long>eval(START, ScriptOutputType.INTEGER,
        new String[] {jobKey(job.id())}, ttl(), consumer);
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
