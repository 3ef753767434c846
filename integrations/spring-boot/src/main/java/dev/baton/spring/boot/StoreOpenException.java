package dev.baton.spring.boot;

import java.net.URI;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * {@code baton.store} could not be opened: a refused URI or parameter, a key ring that cannot be
 * read, an unreachable server. Carries the store URI with its secrets removed ({@link #redact}) for
 * {@link BatonStoreFailureAnalyzer}; the cause is the store's own exception, whose message Baton
 * keeps free of tokens and keys.
 */
final class StoreOpenException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The store URI as it may be shown: no user info, parameter names without their values. */
  private final String store;

  StoreOpenException(URI store, RuntimeException cause) {
    super("cannot open the store baton.store names (" + redact(store) + "): " + cause.getMessage(),
        cause);
    this.store = redact(store);
  }

  /** The store URI as it may be shown. */
  String store() {
    return store;
  }

  /**
   * The URI without what may be secret: the user info ({@code redis://user:password@host}) is
   * dropped and every parameter value replaced by {@code ...}, so the names stay visible (a misspelt
   * name is the usual mistake) and no password or inline key ever is.
   */
  static String redact(URI uri) {
    String text = uri.toString();
    int fragment = text.indexOf('#');
    if (fragment >= 0) {
      text = text.substring(0, fragment);
    }
    int query = text.indexOf('?');
    String head = query < 0 ? text : text.substring(0, query);
    head = head.replaceFirst("//[^/?#]*@", "//");
    if (query < 0) {
      return head;
    }
    return head
        + "?"
        + Arrays.stream(text.substring(query + 1).split("&", -1))
            .map(parameter -> parameter.split("=", 2)[0] + "=...")
            .collect(Collectors.joining("&"));
  }
}
