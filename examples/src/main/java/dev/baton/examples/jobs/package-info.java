/**
 * A small application service that runs reports as background jobs, and how to test it with
 * {@code baton-test} (see its tests).
 */
@NullMarked
package dev.baton.examples.jobs;

import org.jspecify.annotations.NullMarked;
