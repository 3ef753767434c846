/**
 * Baton for Spring Boot: {@link dev.baton.spring.boot.BatonAutoConfiguration} builds a
 * {@link dev.baton.Baton} from {@code baton.*} properties, {@link dev.baton.spring.boot.BearerCallerFilter}
 * binds each bearer-authenticated request to its caller, and
 * {@link dev.baton.spring.boot.CallerTaskDecorator} makes Spring's executors run tasks as the caller
 * who submitted them.
 */
@NullMarked
package dev.baton.spring.boot;

import org.jspecify.annotations.NullMarked;
