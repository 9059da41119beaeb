package dev.ensemble.signaling.server;

import dev.ensemble.signaling.protocol.ServerMessage;
import dev.ensemble.transport.PeerId;
import java.util.HashMap;
import java.util.Map;

/** Delivery to connections of this process. Owned by the room thread: not thread-safe, never touched elsewhere. */
final class InProcessBus implements Bus {

    private final Map<PeerId, Connection> connections = new HashMap<>();

    @Override
    public void attach(PeerId peer, Connection connection) {
        connections.put(peer, connection);
    }

    @Override
    public void detach(PeerId peer, Connection connection) {
        connections.remove(peer, connection);
    }

    @Override
    public Connection local(PeerId peer) {
        return connections.get(peer);
    }

    @Override
    public boolean deliver(PeerId peer, ServerMessage message) {
        Connection connection = connections.get(peer);
        return connection != null && connection.send(message);
    }

    @Override
    public boolean deliver(PeerId peer, byte[] relayFrame) {
        Connection connection = connections.get(peer);
        return connection != null && connection.sendRelay(relayFrame);
    }

    @Override
    public int peerCount() {
        return connections.size();
    }
}
