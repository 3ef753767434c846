/**
 * Snapshot codecs for stores that keep bytes: versioned JSON, and sealing (AES-GCM) on top.
 */
@NullMarked
package dev.baton.codec;

import org.jspecify.annotations.NullMarked;
