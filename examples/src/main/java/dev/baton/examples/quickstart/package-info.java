/** The quickstart: tasks submitted as several callers, each seeing its own. */
@NullMarked
package dev.baton.examples.quickstart;

import org.jspecify.annotations.NullMarked;
