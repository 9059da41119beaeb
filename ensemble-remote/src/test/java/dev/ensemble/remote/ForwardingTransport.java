package dev.ensemble.remote;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.TransportListener;

/**
 * A transport for tests that passes everything to the one it wraps: a test's transport overrides only what
 * it changes (refusing sends, reporting an extra event, a smaller limit). Threading is the wrapped one's.
 */
abstract class ForwardingTransport implements Transport {
    /** The wrapped transport. */
    protected final Transport inner;

    ForwardingTransport(Transport inner) {
        this.inner = inner;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public int maxMessageSize() {
        return inner.maxMessageSize();
    }

    @Override
    public void start(TransportListener listener) {
        inner.start(listener);
    }

    @Override
    public boolean send(PeerId to, byte[] message) {
        return inner.send(to, message);
    }

    @Override
    public int queueSize(PeerId peer) {
        return inner.queueSize(peer);
    }

    @Override
    public void close() {
        inner.close();
    }
}
