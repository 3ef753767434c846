/**
 * Test support for applications that use Baton. Start at {@link dev.baton.test.BatonExtension}.
 *
 * <p>Every type here is null-marked: parameters and results are non-null unless annotated
 * {@code @Nullable}.
 */
@NullMarked
package dev.baton.test;

import org.jspecify.annotations.NullMarked;
