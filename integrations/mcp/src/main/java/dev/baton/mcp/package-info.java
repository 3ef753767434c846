/**
 * MCP integration: {@link dev.baton.mcp.BearerTokenFilter} authenticates the HTTP request,
 * {@link dev.baton.mcp.McpCaller#contextExtractor()} carries the caller into the SDK's transport
 * context, and {@link dev.baton.mcp.McpCallerBinding} binds it around each tool handler.
 */
@NullMarked
package dev.baton.mcp;

import org.jspecify.annotations.NullMarked;
