/** Runnable demos of Baton. */
module dev.baton.examples {
  requires dev.baton.core;
  requires dev.baton.store.memory;
  requires static org.jspecify;
  // The MCP demo (dev.baton.examples.mcp).
  requires dev.baton.mcp;
  requires io.modelcontextprotocol.sdk.mcp.core;
  requires org.eclipse.jetty.server;
  requires org.eclipse.jetty.ee10.servlet;
  requires com.nimbusds.jose.jwt;
  requires info.picocli;
  requires me.tongfei.progressbar;
  requires java.net.http;
  requires java.logging;

  opens dev.baton.examples.mcp to info.picocli;
}
