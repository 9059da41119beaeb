/**
 * Messages that never enter a document: typed topics sent to one peer or to the room, ordered per
 * sender ({@link dev.ensemble.collab.ephemeral.EphemeralChannel}), and presence that is renewed
 * and expires ({@link dev.ensemble.collab.ephemeral.PresenceActor}). Both ride on the room's
 * {@link dev.ensemble.collab.peers.PeerMessaging} actor in {@code ephemeral} envelopes.
 */
package dev.ensemble.collab.ephemeral;
