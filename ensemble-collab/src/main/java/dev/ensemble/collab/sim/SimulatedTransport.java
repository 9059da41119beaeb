package dev.ensemble.collab.sim;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.TransportListener;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@link Transport} of one peer on a {@link NetworkSimulator}. Every method delegates to the
 * simulator, which owns all state under its monitor.
 */
final class SimulatedTransport implements Transport {

    final NetworkSimulator network;
    final PeerId peer;

    // Guarded by the simulator's monitor.
    TransportListener listener;
    boolean started;
    boolean closed;
    /** The peers whose connection this transport's listener has been told about. */
    final Set<PeerId> connectedPeers = new TreeSet<>();

    SimulatedTransport(NetworkSimulator network, PeerId peer) {
        this.network = network;
        this.peer = peer;
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public int maxMessageSize() {
        return network.maxMessageSize();
    }

    @Override
    public void start(TransportListener listener) {
        network.start(this, listener);
    }

    @Override
    public boolean send(PeerId to, byte[] message) {
        return network.send(this, to, message);
    }

    @Override
    public int queueSize(PeerId to) {
        return network.queueSize(this, to);
    }

    @Override
    public void close() {
        network.close(this);
    }

    @Override
    public String toString() {
        return "memory transport of " + peer;
    }
}
