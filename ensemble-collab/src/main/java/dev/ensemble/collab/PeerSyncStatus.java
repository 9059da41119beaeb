package dev.ensemble.collab;

import dev.ensemble.transport.PeerId;

/**
 * What one peer is known to have of a document, from its sync state.
 *
 * @param peer the peer
 * @param inSync true if the peer is known to have every change this document holds
 * @param acknowledged the latest version both sides are known to share (read it with
 *     {@code viewAt}); the initial version if nothing is known yet
 * @param unacknowledgedBytes the size of the changes the peer has not acknowledged, encoded as
 *     Automerge would send them; 0 when in sync
 */
public record PeerSyncStatus(PeerId peer, boolean inSync, DocumentVersion acknowledged, int unacknowledgedBytes) {}
