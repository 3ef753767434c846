package dev.baton.mcp;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.CallerBinding;
import dev.baton.RestoreFailedException;
import dev.baton.Scope;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.Objects;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * Wraps MCP tool handlers so that each call runs with its caller bound as the request caller
 * ({@link Baton#bindRequest}): inside the handler {@link Baton#currentToken()} is the caller and
 * {@code baton.capture()} captures it, with no plumbing.
 *
 * <p>The caller comes from the call's transport context ({@link McpCaller#from}); a call without
 * one is bound as unauthenticated, so the handler never sees whatever the SDK's worker thread held
 * before. The binding is opened and closed on the thread that runs the handler, even when the
 * handler throws.
 *
 * <p><b>A token that expires before the handler runs</b> (the SDK queues calls on its own scheduler,
 * so time passes between the HTTP filter's check and the handler) would leave the handler with no
 * caller: {@code baton.capture()} would then capture an anonymous task for an authenticated client.
 * Such a call is refused instead: the handler does not run and the client gets a JSON-RPC error
 * ({@code INVALID_REQUEST}, message {@link #EXPIRED_MESSAGE}), so it refreshes its token and calls
 * again.
 *
 * <p><b>Async tools</b> ({@link AsyncToolSpecification}, for {@code McpServer.async}) are
 * supported: the handler is called, and its {@code Mono} subscribed to, with the caller bound, so
 * the handler and whatever runs on the subscribing thread ({@code Mono.fromSupplier}, {@code map})
 * see it — that is where a handler calls {@code baton.capture()}; and the caller is written
 * into the Reactor context under {@link #REACTOR_CONTEXT_KEY}, the key of {@code baton-micrometer}'s
 * context-propagation accessor, so that with {@code baton-micrometer} and
 * {@code Hooks.enableAutomaticContextPropagation()} operators that run later on other threads
 * ({@code publishOn}, {@code subscribeOn}, a {@code WebClient} callback) see it too. Without them,
 * such operators see no caller: capture it before the Mono hops threads.
 *
 * <p>Immutable and thread-safe.
 */
public final class McpCallerBinding {
  /**
   * The Reactor context key under which async handlers carry their caller (a
   * {@link CallerBinding}); equal to {@code dev.baton.micrometer.BatonThreadLocalAccessor.KEY}.
   */
  public static final String REACTOR_CONTEXT_KEY = "dev.baton.caller";

  /** The message of the error a call gets when its token expired before the handler ran. */
  public static final String EXPIRED_MESSAGE =
      "the bearer token expired before the tool ran: refresh it and call again";

  private final Baton baton;

  private McpCallerBinding(Baton baton) {
    this.baton = baton;
  }

  /**
   * A binding that binds callers through {@code baton}.
   *
   * @throws NullPointerException if {@code baton} is null
   */
  public static McpCallerBinding of(Baton baton) {
    return new McpCallerBinding(Objects.requireNonNull(baton, "baton"));
  }

  /**
   * {@code tool} with its handler wrapped by {@link #bind(BiFunction)}.
   *
   * @throws NullPointerException if {@code tool} is null
   */
  public SyncToolSpecification bind(SyncToolSpecification tool) {
    Objects.requireNonNull(tool, "tool");
    return new SyncToolSpecification(tool.tool(), bind(tool.callHandler()));
  }

  /**
   * A handler that runs {@code handler} with the call's caller bound.
   *
   * @throws NullPointerException if {@code handler} is null
   */
  public BiFunction<McpSyncServerExchange, CallToolRequest, CallToolResult> bind(
      BiFunction<McpSyncServerExchange, CallToolRequest, CallToolResult> handler) {
    Objects.requireNonNull(handler, "handler");
    return (exchange, request) -> {
      AccessToken caller = McpCaller.from(exchange.transportContext()).orElse(null);
      try (Scope scope = baton.bindRequest(caller)) {
        refuseIfExpired(caller);
        return handler.apply(exchange, request);
      }
    };
  }

  /**
   * {@code tool} with its handler wrapped by {@link #bindAsync(BiFunction)}.
   *
   * @throws NullPointerException if {@code tool} is null
   */
  public AsyncToolSpecification bind(AsyncToolSpecification tool) {
    Objects.requireNonNull(tool, "tool");
    return new AsyncToolSpecification(tool.tool(), bindAsync(tool.callHandler()));
  }

  /**
   * An async handler that calls {@code handler} and subscribes to its result with the call's caller
   * bound, and carries the caller in the Reactor context ({@link #REACTOR_CONTEXT_KEY}).
   *
   * @throws NullPointerException if {@code handler} is null
   */
  public BiFunction<McpAsyncServerExchange, CallToolRequest, Mono<CallToolResult>> bindAsync(
      BiFunction<McpAsyncServerExchange, CallToolRequest, Mono<CallToolResult>> handler) {
    Objects.requireNonNull(handler, "handler");
    return (exchange, request) -> {
      AccessToken caller = McpCaller.from(exchange.transportContext()).orElse(null);
      CallerBinding binding;
      try (Scope scope = baton.bindRequest(caller)) {
        binding = CallerBinding.capture();
      }
      return Mono.<CallToolResult>create(sink -> {
        Disposable subscription;
        // Subscribed with the caller installed: what runs on this thread during subscription
        // (the handler, Mono.fromSupplier, map ...) sees it.
        try (Scope scope = binding.install()) {
          refuseIfExpired(caller);
          subscription = handler.apply(exchange, request)
              .contextWrite(sink.contextView())
              .subscribe(result -> sink.success(result), sink::error, () -> sink.success());
        } catch (RestoreFailedException e) {
          // Installing a caller whose token expired since the filter is refused (Baton's rule for
          // expired callers): the same answer as the check above.
          sink.error(e.reason() == RestoreFailedException.Reason.CALLER_EXPIRED ? expired() : e);
          return;
        } catch (RuntimeException e) {
          sink.error(e);
          return;
        }
        sink.onDispose(subscription);
      }).contextWrite(context -> context.put(REACTOR_CONTEXT_KEY, binding));
    };
  }

  /** Throws if the call has a caller whose token no longer reads as current (it expired). */
  private static void refuseIfExpired(@Nullable AccessToken caller) {
    if (caller != null && Baton.currentToken().isEmpty()) {
      throw expired();
    }
  }

  private static McpError expired() {
    return McpError.builder(McpSchema.ErrorCodes.INVALID_REQUEST).message(EXPIRED_MESSAGE).build();
  }
}
