/**
 * The Baton API: capture the caller at submit, restore it at the task boundary.
 *
 * <p>Start at {@link dev.baton.Baton}. Every type here is null-marked: parameters and results are
 * non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.baton;

import org.jspecify.annotations.NullMarked;
