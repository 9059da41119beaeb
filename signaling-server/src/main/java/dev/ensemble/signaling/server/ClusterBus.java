package dev.ensemble.signaling.server;

import dev.ensemble.signaling.cluster.ClusterNode;
import dev.ensemble.signaling.protocol.ServerMessage;
import dev.ensemble.signaling.protocol.SignalingCodec;
import dev.ensemble.transport.PeerId;

/**
 * Delivery in a cluster: to this process's connections directly, to a peer on another node through
 * that node's Redis channel. Verifying a peer here claims its identity cluster-wide, which replaces a
 * connection of it on another node.
 *
 * <p>Owned by the room thread: not thread-safe, never touched elsewhere.
 */
final class ClusterBus implements Bus {

    private final InProcessBus local = new InProcessBus();
    private final ClusterNode node;

    ClusterBus(ClusterNode node) {
        this.node = node;
    }

    @Override
    public void attach(PeerId peer, Connection connection) {
        local.attach(peer, connection);
        node.claim(peer);
    }

    @Override
    public void detach(PeerId peer, Connection connection) {
        if (local.local(peer) == connection) {
            local.detach(peer, connection);
            node.release(peer);
        }
    }

    @Override
    public Connection local(PeerId peer) {
        return local.local(peer);
    }

    @Override
    public boolean deliver(PeerId peer, ServerMessage message) {
        return local.deliver(peer, message) || node.sendSignal(peer, SignalingCodec.encode(message));
    }

    @Override
    public boolean deliver(PeerId peer, byte[] relayFrame) {
        return local.deliver(peer, relayFrame) || node.sendFrame(peer, relayFrame);
    }

    @Override
    public int peerCount() {
        return local.peerCount();
    }
}
