/**
 * Baton core's routes between its own packages; not exported, not API, may change in any release.
 */
@NullMarked
package dev.baton.internal;

import org.jspecify.annotations.NullMarked;
