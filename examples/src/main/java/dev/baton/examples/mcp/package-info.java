/**
 * The flagship demo: an MCP server whose background report jobs act as the MCP client that asked
 * for them ({@link dev.baton.examples.mcp.McpDemo}).
 */
@NullMarked
package dev.baton.examples.mcp;

import org.jspecify.annotations.NullMarked;
