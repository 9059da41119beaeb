package dev.ensemble.collab.ephemeral;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.TransportListener;

/**
 * A transport that hands over messages from peers it never reported as connected, as a relay may
 * when data overtakes the roster update. Sends nothing.
 */
final class UnannouncedTransport implements Transport {
    /** Set by {@link #start}; read by the test thread that calls {@link #deliver}. */
    private volatile TransportListener listener;

    @Override
    public String name() {
        return "unannounced";
    }

    @Override
    public int maxMessageSize() {
        return 64 * 1024;
    }

    @Override
    public void start(TransportListener listener) {
        this.listener = listener;
    }

    @Override
    public boolean send(PeerId to, byte[] message) {
        return false;
    }

    @Override
    public int queueSize(PeerId peer) {
        return 0;
    }

    @Override
    public void close() {
        listener = null;
    }

    void deliver(PeerId from, byte[] frame) {
        listener.onMessage(from, frame);
    }
}
