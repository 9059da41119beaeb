/**
 * End-to-end sessions between peers: {@link dev.ensemble.transport.secure.SecureTransport} wraps
 * any transport so that what carries the bytes (the signaling server's relay, for one) sees only
 * ciphertext and cannot alter, replay, reorder or inject frames unnoticed. The threat model, the
 * handshake and the frame layouts are in {@code docs/SECURITY.md}; the primitives are the JDK's
 * own (X25519, Ed25519, HMAC-SHA256) and BouncyCastle's lightweight ChaCha20-Poly1305 for data
 * frames. Everything but {@code SecureTransport} is internal to this package.
 */
package dev.ensemble.transport.secure;
