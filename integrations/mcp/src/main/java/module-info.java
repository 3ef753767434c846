/**
 * Baton for MCP servers on the MCP Java SDK: the authenticated caller of each tool call is bound on
 * the thread that runs the tool handler, so the handler captures it with {@code baton.capture()}.
 * With {@code baton-jobrunr} on the path, {@link dev.baton.mcp.BackgroundTool} makes a tool a
 * background tool on JobRunr that answers its status and result to its caller only.
 */
module dev.baton.mcp {
  requires transitive dev.baton.core;
  requires transitive io.modelcontextprotocol.sdk.mcp.core;
  requires transitive jakarta.servlet;
  requires transitive reactor.core;
  requires static transitive org.jspecify;
  // BackgroundTool only (an optional dependency): background tools on JobRunr.
  requires static dev.baton.jobrunr;
  requires static org.jobrunr.core;

  exports dev.baton.mcp;
}
