/**
 * JobRunr integration: {@link dev.baton.jobrunr.BatonJobFilter} captures the creating thread's
 * caller into the Baton store and puts only the task key in the job's metadata;
 * {@link dev.baton.jobrunr.BatonJobPerformerFactory} restores it around the job on the worker and
 * fails the job closed when it cannot; the filter deletes the snapshot at the job's final state.
 */
@NullMarked
package dev.baton.jobrunr;

import org.jspecify.annotations.NullMarked;
