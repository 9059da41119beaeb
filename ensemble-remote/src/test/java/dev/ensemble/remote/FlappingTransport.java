package dev.ensemble.remote;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.TransportListener;

/**
 * A transport for tests that reports a peer disconnected and connected again to its own node only,
 * as WebRTC does when ICE is briefly disconnected on one side: the other side sees nothing, and
 * the messages keep flowing. Call {@link #flap} on the thread that delivers this transport's
 * events (the simulator's: the test's own).
 */
final class FlappingTransport extends ForwardingTransport {
    private volatile TransportListener listener = TransportListener.NONE;

    FlappingTransport(Transport inner) {
        super(inner);
    }

    /** Tells this node that {@code peer} went down and came back. */
    void flap(PeerId peer) {
        listener.onPeerDisconnected(peer, "ICE disconnected (a flap the other side does not see)");
        listener.onPeerConnected(peer);
    }

    @Override
    public String name() {
        return "flapping-" + inner.name();
    }

    @Override
    public void start(TransportListener listener) {
        this.listener = listener;
        inner.start(listener);
    }
}
