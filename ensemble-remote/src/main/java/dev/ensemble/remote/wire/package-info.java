/**
 * The remote-actor wire: the versioned binary {@link dev.ensemble.remote.wire.Frame}s that two
 * nodes exchange (calls, replies, state and event subscriptions, heartbeats) and their codec,
 * {@link dev.ensemble.remote.wire.FrameCodec}.
 *
 * <p>The byte layout is specified in {@code docs/PROTOCOL.md} ("Remote actors") and in {@link
 * dev.ensemble.remote.wire.FrameCodec}; test vectors live in the test resources ({@code
 * remote-frame-vectors.json}) so that another implementation can check itself against the same
 * bytes. Values inside frames are opaque here ({@link dev.ensemble.remote.wire.WireValue}: a type
 * name and CBOR bytes); what they decode to is the business of the node's type registry.
 */
package dev.ensemble.remote.wire;
