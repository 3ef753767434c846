package dev.baton.examples.mcp;

/**
 * A queued report: its id, the encoded {@link dev.baton.TaskKey} its caller was captured under, and
 * its topic. Carries no token: the caller travels through the snapshot store only.
 */
public record Job(String id, String encodedKey, String topic) {}
