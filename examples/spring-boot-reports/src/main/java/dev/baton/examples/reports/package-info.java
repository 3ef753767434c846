/**
 * A Spring Boot resource server whose {@code @Async} report jobs call a downstream API as the caller
 * who asked for the report. It has no Baton code: the Baton starter binds each bearer-authenticated
 * request to its caller, and {@code @Async} jobs run as the caller who started them.
 */
@NullMarked
package dev.baton.examples.reports;

import org.jspecify.annotations.NullMarked;
