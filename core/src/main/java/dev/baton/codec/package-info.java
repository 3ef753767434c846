/**
 * Snapshot codecs for stores that keep bytes: versioned JSON, and sealing (AES-GCM) on top.
 *
 * <p>{@link dev.baton.codec.JsonSnapshotCodec} writes and reads a small, versioned JSON format with
 * Jackson's streaming parser and generator, not data binding: the input is walked by hand and every
 * field's type is checked, so no class name, type id or default typing can ever come from stored
 * bytes, and the reader stops at the first thing out of place instead of building a tree first.
 * {@link dev.baton.codec.SealingSnapshotCodec} wraps any codec with AES-256-GCM under the keys of a
 * {@link dev.baton.codec.SealingKeyRing}, binding each value to its task key, so a store that is not
 * trusted can neither read a token nor swap, alter or move a value unnoticed.
 *
 * <p>Every decoding failure is a {@link dev.baton.codec.SnapshotDecodeException} whose message names
 * the task key and what was wrong, never the token, key material or other stored text.
 */
@NullMarked
package dev.baton.codec;

import org.jspecify.annotations.NullMarked;
