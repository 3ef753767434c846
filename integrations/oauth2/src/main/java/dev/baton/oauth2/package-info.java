/**
 * {@link dev.baton.oauth2.TokenExchangeDelegation}: a {@link dev.baton.TokenExchanger} that asks the
 * authorization server for a delegated token (OAuth 2.0 Token Exchange, RFC 8693).
 */
@NullMarked
package dev.baton.oauth2;

import org.jspecify.annotations.NullMarked;
