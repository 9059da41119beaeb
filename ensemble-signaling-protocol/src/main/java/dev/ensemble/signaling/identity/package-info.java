/**
 * Peer identities: an Ed25519 key pair ({@link dev.ensemble.signaling.identity.PeerIdentity}) named by
 * its {@code did:key} ({@link dev.ensemble.signaling.identity.PeerId}).
 */
package dev.ensemble.signaling.identity;
