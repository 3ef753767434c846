package dev.baton.examples.reports;

import org.jspecify.annotations.Nullable;

/**
 * Who may read a report: the client and subject of the caller who started it.
 *
 * @param clientId the caller's client
 * @param subject the caller's subject, if the token names one
 */
record ReportOwner(String clientId, @Nullable String subject) {}
