package dev.baton.mcp;

import dev.baton.Baton;
import dev.baton.TaskKey;
import dev.baton.mcp.BearerTokenFilter;
import dev.baton.mcp.McpCaller;
import dev.baton.mcp.McpCallerBinding;
import dev.baton.mcp.ProtectedResourceMetadata;
import dev.baton.mcp.ProtectedResourceMetadataServlet;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import jakarta.servlet.DispatcherType;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.EnumSet;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;

/** An MCP server whose tool hands work to a queue; the worker runs it as the tool's caller. */
public final class ReportsMcpServer {
  private ReportsMcpServer() {}

  /**
   * Starts the server on {@code address}. {@code resource} is the MCP endpoint's public URL,
   * {@code verifier} maps a bearer token to its verified claims (your JWT library or introspection
   * client), and {@code queue} takes each job's encoded task key.
   */
  public static Server start(InetSocketAddress address, URI resource, URI authorizationServer,
      Function<String, Map<String, ?>> verifier, Baton baton, Consumer<String> queue)
      throws Exception {
    var transport = HttpServletStreamableServerTransportProvider.builder()
        .mcpEndpoint("/mcp")
        .contextExtractor(McpCaller.contextExtractor())      // request attribute -> MCP context
        .build();
    SyncToolSpecification startReport = SyncToolSpecification.builder()
        .tool(Tool.builder("start_report", Map.of("type", "object")).build())
        .callHandler((exchange, request) -> {
          TaskKey key = baton.capture();                     // the caller of this tool call
          queue.accept(key.encoded());                       // worker: baton.run(TaskKey.parse(k), job)
          return CallToolResult.builder().addTextContent(key.taskId()).build();
        })
        .build();
    McpServer.sync(transport)
        .capabilities(ServerCapabilities.builder().tools(false).build())
        .tools(McpCallerBinding.of(baton).bind(startReport)) // handler runs with its caller bound
        .build();

    ProtectedResourceMetadata metadata = ProtectedResourceMetadata.builder(resource)
        .authorizationServer(authorizationServer)
        .scopesSupported("reports")
        .build();
    ServletContextHandler context = new ServletContextHandler();
    ServletHolder mcp = new ServletHolder(transport);
    mcp.setAsyncSupported(true);                             // the SDK answers asynchronously
    context.addServlet(mcp, "/mcp");
    FilterHolder bearer = new FilterHolder(BearerTokenFilter.builderForClaims(verifier)
        .requiredScopes("reports")                           // else 403 insufficient_scope
        .resourceMetadata(metadata)                          // 401s point OAuth clients at it
        .build());
    bearer.setAsyncSupported(true);                          // else every call: -32603
    context.addFilter(bearer, "/mcp", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(ProtectedResourceMetadataServlet.of(metadata)),
        ProtectedResourceMetadataServlet.MAPPING);           // RFC 9728 discovery document
    Server jetty = new Server(address);
    jetty.setHandler(context);
    jetty.start();
    return jetty;
  }
}
