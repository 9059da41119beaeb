package dev.ensemble.signaling.server;

import dev.ensemble.signaling.protocol.ServerMessage;
import dev.ensemble.transport.PeerId;

/**
 * Delivers frames to a verified peer wherever its connection lives. The seam for running several server
 * instances (a pub/sub backplane would route to the instance holding the peer); in one process it is a
 * map from peer to connection.
 *
 * <p>Threading: called only on the server's room thread.
 */
interface Bus {

    /** Makes {@code connection} the one that receives frames for {@code peer}. */
    void attach(PeerId peer, Connection connection);

    /** Stops delivering to {@code connection}, if it is still the one attached for {@code peer}. */
    void detach(PeerId peer, Connection connection);

    /** The local connection attached for {@code peer}, or null. */
    Connection local(PeerId peer);

    /** Sends a control message to {@code peer}; false if the peer is not connected. */
    boolean deliver(PeerId peer, ServerMessage message);

    /** Sends a relay frame (already encoded) to {@code peer}; false if the peer is not connected. */
    boolean deliver(PeerId peer, byte[] relayFrame);

    /** Number of attached peers. */
    int peerCount();
}
