/**
 * Baton for JobRunr: jobs run as the caller who created them, on whichever BackgroundJobServer
 * picks them up. Register {@link dev.baton.jobrunr.BatonJobFilter} with JobRunr's configuration;
 * the performer factory that stops a job whose caller cannot be restored is found by JobRunr's
 * {@link java.util.ServiceLoader}.
 */
module dev.baton.jobrunr {
  requires transitive dev.baton.core;
  requires transitive org.jobrunr.core;
  requires static transitive org.jspecify;

  exports dev.baton.jobrunr;

  provides org.jobrunr.server.BackgroundJobPerformerFactory
      with dev.baton.jobrunr.BatonJobPerformerFactory;
}
