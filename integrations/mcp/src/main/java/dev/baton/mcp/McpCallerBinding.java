package dev.baton.mcp;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.Scope;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.Objects;
import java.util.function.BiFunction;

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
 * <p>Immutable and thread-safe.
 */
public final class McpCallerBinding {
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
        return handler.apply(exchange, request);
      }
    };
  }
}
