package dev.baton.mcp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Serves {@link ProtectedResourceMetadata} as JSON. Map it at
 * {@link ProtectedResourceMetadata#WELL_KNOWN_PATH}{@code + "/*"}: it answers {@code GET} at the
 * document's own path ({@link ProtectedResourceMetadata#path()}, RFC 9728 section 3.1) and at the
 * bare well-known path (which MCP clients try when the resource path is not known to them), and
 * {@code 404} anywhere else under it. The document is public: no authentication, and
 * {@code Access-Control-Allow-Origin: *} so browser-based clients can read it.
 *
 * <p>Immutable and thread-safe.
 */
public final class ProtectedResourceMetadataServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  /** The servlet mapping to register this servlet under. */
  public static final String MAPPING = ProtectedResourceMetadata.WELL_KNOWN_PATH + "/*";

  private final String documentPath;
  private final byte[] json;

  private ProtectedResourceMetadataServlet(ProtectedResourceMetadata metadata) {
    this.documentPath = metadata.path();
    this.json = metadata.toJson().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A servlet serving {@code metadata}.
   *
   * @throws NullPointerException if {@code metadata} is null
   */
  public static ProtectedResourceMetadataServlet of(ProtectedResourceMetadata metadata) {
    return new ProtectedResourceMetadataServlet(Objects.requireNonNull(metadata, "metadata"));
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String path = request.getServletPath()
        + Objects.requireNonNullElse(request.getPathInfo(), "");
    if (!path.equals(documentPath) && !path.equals(ProtectedResourceMetadata.WELL_KNOWN_PATH)) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND);
      return;
    }
    response.setContentType("application/json");
    response.setHeader("Cache-Control", "max-age=3600");
    response.setHeader("Access-Control-Allow-Origin", "*");
    response.setContentLength(json.length);
    response.getOutputStream().write(json);
  }
}
