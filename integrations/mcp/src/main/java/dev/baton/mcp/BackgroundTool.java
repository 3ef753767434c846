package dev.baton.mcp;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.TaskKey;
import dev.baton.jobrunr.BatonJobFilter;
import dev.baton.jobrunr.CallerNotRestoredException;
import dev.baton.jobrunr.JobCreationRefusedError;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.lambdas.JobLambda;
import org.jobrunr.jobs.states.FailedState;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.scheduling.JobBuilder;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.storage.JobNotFoundException;
import org.jobrunr.storage.StorageProvider;
import org.jspecify.annotations.Nullable;

/**
 * One MCP background tool on JobRunr: {@code start_<name>} starts a job in the background as the
 * caller and answers its job id; {@code <name>_status} answers that job's state (and its result,
 * once it succeeded) to the same caller only. JobRunr gives the job durable state, retries and
 * reclaim after a worker dies; {@code baton-jobrunr} makes it run as its caller on whichever worker
 * JVM picks it up. Needs {@code baton-jobrunr} (an optional dependency of this module) and
 * {@link BatonJobFilter} registered with JobRunr.
 *
 * <pre>{@code
 * McpServer.sync(transport)
 *     .tools(BackgroundTool.builder("report", baton, jobScheduler, storageProvider)
 *         .job(args -> () -> reports.generate((String) args.get("month")))
 *         .result(reports::resultOf)
 *         .build())
 *     .build();
 * }</pre>
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Start.</b> The handler runs with the call's caller bound ({@link McpCallerBinding}), so
 *       {@link BatonJobFilter} captures it as JobRunr creates the job: only the task key goes into
 *       JobRunr's metadata, never the token. The job also carries a label naming its owner: a
 *       digest of the caller's {@linkplain TaskKey#callerScope scope} (client and subject), never
 *       the token. A call without a caller is refused (a tool error): an anonymous job's status
 *       would be readable by every anonymous caller. A job whose caller cannot be captured (the
 *       store is down) is not created: the call gets the tool error {@link #REFUSED_MESSAGE}.
 *   <li><b>Status.</b> Answers only when the job's owner label is the current caller's. An unknown
 *       job id, a malformed one and another caller's job get the same error, so a caller cannot
 *       tell whether someone else's job exists. A job whose caller could not be restored (its token
 *       expired, its snapshot is gone) reads {@code FAILED} with a reason that names no token; other
 *       failures read {@code FAILED} without the exception's message (it may quote caller data).
 *   <li><b>Result.</b> JobRunr jobs return nothing and JobRunr clears a job's metadata when it
 *       succeeds, so the job writes its result to the application's own durable store, keyed by
 *       its job id (JobRunr passes the job a {@code JobContext} for that); {@link
 *       Builder#result} reads it back for a succeeded job.
 * </ul>
 *
 * <p>MCP's own "tasks" utility (specification 2025-11-25, experimental) is not in the MCP Java SDK
 * 2.1.0, so a background tool is this pair of ordinary tools. Immutable and thread-safe.
 */
// JobRunr's types are in this class's API, but JobRunr is an optional dependency (requires static,
// not transitive), so that modules reading dev.baton.mcp without JobRunr still compile.
@SuppressWarnings("exports")
public final class BackgroundTool {
  /** The prefix of the owner label of every job this class creates. */
  public static final String OWNER_LABEL_PREFIX = "caller:";

  /** The error every status call gets for a job it may not see: unknown, malformed or not its own. */
  public static final String NOT_FOUND_MESSAGE = "no such job for this caller";

  /** The error of a start call whose caller could not be captured (no job was created). */
  public static final String REFUSED_MESSAGE =
      "the job was not started: its caller could not be saved; try again";

  /** The reason a job that never ran as its caller reads as failed. */
  public static final String CALLER_NOT_RESTORED_MESSAGE =
      "the job could not run as its caller (the token expired or the caller's snapshot is gone)";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,48}");
  /** JobRunr refuses labels of 45 characters or more. */
  private static final int OWNER_DIGEST_CHARS = 32;

  private BackgroundTool() {}

  /**
   * A builder for the background tool {@code name}: jobs are created through {@code scheduler}
   * and read back from {@code storage}, which must be the very {@link StorageProvider} instance
   * JobRunr was configured with ({@code JobRunr.configure().useStorageProvider(storage)}): JobRunr
   * initializes it (its job mapper), and a second instance on the same database fails every read.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code name} is not 1 to 48 letters, digits, {@code _} or
   *     {@code -}
   */
  public static Builder builder(String name, Baton baton, JobScheduler scheduler,
      StorageProvider storage) {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "name must be 1 to 48 letters, digits, '_' or '-': " + name);
    }
    return new Builder(name, Objects.requireNonNull(baton, "baton"),
        Objects.requireNonNull(scheduler, "scheduler"), Objects.requireNonNull(storage, "storage"));
  }

  /** The label naming a caller as a job's owner: a digest of its scope, never the token. */
  static String ownerLabel(AccessToken caller) {
    String scope = TaskKey.callerScope(caller); // "caller:" + base64url sha-256, 50 chars
    return OWNER_LABEL_PREFIX
        + scope.substring(scope.length() - 43, scope.length() - 43 + OWNER_DIGEST_CHARS);
  }

  /** Builds the two tools of one background tool. Not thread-safe; build once. */
  public static final class Builder {
    private final String name;
    private final Baton baton;
    private final JobScheduler scheduler;
    private final StorageProvider storage;
    private String description = "";
    private Map<String, Object> inputSchema = Map.of("type", "object");
    private @Nullable Function<Map<String, Object>, JobLambda> job;
    private Function<UUID, Optional<String>> result = id -> Optional.empty();

    private Builder(String name, Baton baton, JobScheduler scheduler, StorageProvider storage) {
      this.name = name;
      this.baton = baton;
      this.scheduler = scheduler;
      this.storage = storage;
    }

    /** What {@code start_<name>} does, for the client's model. */
    public Builder description(String description) {
      this.description = Objects.requireNonNull(description, "description");
      return this;
    }

    /** The JSON schema of {@code start_<name>}'s arguments ({@code {"type":"object"}} by default). */
    public Builder inputSchema(Map<String, Object> inputSchema) {
      this.inputSchema = Map.copyOf(Objects.requireNonNull(inputSchema, "inputSchema"));
      return this;
    }

    /**
     * The job for a call's arguments: a JobRunr job lambda ({@code () -> service.method(args)}),
     * which JobRunr stores as a method call and runs on any worker. Required.
     */
    public Builder job(Function<Map<String, Object>, JobLambda> job) {
      this.job = Objects.requireNonNull(job, "job");
      return this;
    }

    /**
     * Reads a succeeded job's result from the application's store, by job id (none by default).
     * Called only for the job's own caller.
     */
    public Builder result(Function<UUID, Optional<String>> result) {
      this.result = Objects.requireNonNull(result, "result");
      return this;
    }

    /**
     * The tools {@code start_<name>} and {@code <name>_status}, each bound to its caller.
     *
     * @throws IllegalStateException if no {@link #job} was set
     */
    public List<SyncToolSpecification> build() {
      Function<Map<String, Object>, JobLambda> jobFor = job;
      if (jobFor == null) {
        throw new IllegalStateException("BackgroundTool " + name + " needs a job(...)");
      }
      Function<UUID, Optional<String>> resultOf = result;
      McpCallerBinding binding = McpCallerBinding.of(baton);
      SyncToolSpecification start = SyncToolSpecification.builder()
          .tool(Tool.builder("start_" + name, inputSchema)
              .description(description.isEmpty()
                  ? "Starts " + name + " in the background; answers its job id"
                  : description)
              .build())
          .callHandler((exchange, request) -> {
            AccessToken caller = Baton.currentToken().orElse(null);
            if (caller == null) {
              return error("start_" + name + " needs an authenticated caller");
            }
            Map<String, Object> arguments =
                request.arguments() == null ? Map.of() : request.arguments();
            UUID id;
            try {
              id = scheduler.create(JobBuilder.aJob()
                  .withName(name)
                  .withLabels(ownerLabel(caller))
                  .withDetails(jobFor.apply(arguments))).asUUID();
            } catch (JobCreationRefusedError e) {
              // The caller could not be captured (store down): no job exists. The error's message
              // names the job and the task key; the client only learns that it may try again.
              return error(REFUSED_MESSAGE);
            }
            return CallToolResult.builder().addTextContent(id.toString()).build();
          })
          .build();
      SyncToolSpecification status = SyncToolSpecification.builder()
          .tool(Tool.builder(name + "_status", Map.of("type", "object",
                  "properties", Map.of("job_id", Map.of("type", "string")),
                  "required", List.of("job_id")))
              .description("The state of a job started by start_" + name
                  + ", and its result once it succeeded")
              .build())
          .callHandler((exchange, request) -> {
            AccessToken caller = Baton.currentToken().orElse(null);
            Object jobId = request.arguments() == null ? null : request.arguments().get("job_id");
            Job found = caller == null || !(jobId instanceof String text)
                ? null : ownJob(text, ownerLabel(caller));
            if (found == null) {
              return error(NOT_FOUND_MESSAGE);
            }
            return statusOf(found, resultOf);
          })
          .build();
      return List.of(binding.bind(start), binding.bind(status));
    }

    private @Nullable Job ownJob(String jobId, String owner) {
      UUID id;
      try {
        id = UUID.fromString(jobId);
      } catch (IllegalArgumentException e) {
        return null;
      }
      Job job;
      try {
        job = storage.getJobById(id);
      } catch (JobNotFoundException e) {
        return null;
      }
      return job.getLabels().contains(owner) ? job : null;
    }
  }

  private static CallToolResult statusOf(Job job, Function<UUID, Optional<String>> resultOf) {
    StateName state = job.getState();
    CallToolResult.Builder answer = CallToolResult.builder().addTextContent(state.name());
    if (state == StateName.SUCCEEDED) {
      resultOf.apply(job.getId()).ifPresent(answer::addTextContent);
    } else if (state == StateName.FAILED) {
      boolean callerNotRestored = job.getLastJobStateOfType(FailedState.class)
          .map(failed -> CallerNotRestoredException.class.getName()
              .equals(failed.getExceptionType()))
          .orElse(false);
      if (callerNotRestored) {
        answer.addTextContent(CALLER_NOT_RESTORED_MESSAGE);
      }
    }
    return answer.build();
  }

  private static CallToolResult error(String message) {
    return CallToolResult.builder().addTextContent(message).isError(true).build();
  }
}
