/**
 * Report jobs on JobRunr, run in a second JVM as the caller who created them: the submitter
 * ({@link dev.baton.examples.jobrunr.JobRunrReportsDemo}) and the worker
 * ({@link dev.baton.examples.jobrunr.ReportsWorker}) share one PostgreSQL for JobRunr's storage and
 * for Baton's sealed store.
 */
@NullMarked
package dev.baton.examples.jobrunr;

import org.jspecify.annotations.NullMarked;
