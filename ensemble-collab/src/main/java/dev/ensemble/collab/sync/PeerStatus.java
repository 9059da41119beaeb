package dev.ensemble.collab.sync;

import dev.ensemble.transport.PeerId;

/**
 * INTERNAL API. What one peer has acknowledged of a document, from its sync state; the
 * collaboration actor turns it into the public {@code PeerSyncStatus}.
 *
 * @param peer the peer
 * @param inSync true if the peer acknowledged every change this side holds
 * @param acknowledged the latest heads both sides are known to share; the initial change's if none
 * @param unacknowledgedBytes the size of the changes since {@code acknowledged}, as Automerge
 *     encodes them; 0 when in sync
 */
public record PeerStatus(PeerId peer, boolean inSync, Heads acknowledged, int unacknowledgedBytes) {}
