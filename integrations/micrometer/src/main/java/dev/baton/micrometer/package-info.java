/**
 * Baton with Micrometer: {@link dev.baton.micrometer.BatonThreadLocalAccessor} for context
 * propagation, {@link dev.baton.micrometer.BatonMetrics} for meters and observations.
 */
@NullMarked
package dev.baton.micrometer;

import org.jspecify.annotations.NullMarked;
