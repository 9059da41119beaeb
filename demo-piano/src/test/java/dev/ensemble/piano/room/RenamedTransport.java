package dev.ensemble.piano.room;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.TransportListener;

/**
 * A simulated transport that reports another name ("webrtc", "websocket"), so that a test can
 * give a player two simulated networks that look like the real pair.
 */
record RenamedTransport(String name, Transport simulated) implements Transport {
    @Override
    public int maxMessageSize() {
        return simulated.maxMessageSize();
    }

    @Override
    public void start(TransportListener listener) {
        simulated.start(listener);
    }

    @Override
    public boolean send(PeerId to, byte[] message) {
        return simulated.send(to, message);
    }

    @Override
    public int queueSize(PeerId peer) {
        return simulated.queueSize(peer);
    }

    @Override
    public void close() {
        simulated.close();
    }
}
