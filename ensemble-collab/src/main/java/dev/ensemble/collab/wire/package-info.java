/**
 * The peer-to-peer wire format: the versioned binary {@link dev.ensemble.collab.wire.Envelope}
 * that every message between two peers travels in, its codec, and the chunking that carries
 * envelopes larger than a transport's message limit.
 *
 * <p>The byte layout is specified in {@code docs/PROTOCOL.md} ("Peer to peer (envelope)") and in
 * {@link dev.ensemble.collab.wire.EnvelopeCodec}; test vectors live in the test resources
 * ({@code envelope-vectors.json}) so that other implementations (a browser peer) can check
 * themselves against the same bytes.
 */
package dev.ensemble.collab.wire;
