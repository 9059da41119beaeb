package dev.ensemble.remote;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.Transport;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A transport for tests that can stop taking messages while staying connected, as a real one does
 * when its send buffer is full or its writer thread is starved: while the gate is shut, {@code send}
 * refuses every message (the caller keeps it queued and retries) and the peers stay connected.
 * Thread-safe.
 */
final class GatedTransport extends ForwardingTransport {
    private final AtomicBoolean shut = new AtomicBoolean();

    GatedTransport(Transport inner) {
        super(inner);
    }

    /** From now on every send is refused. */
    void shut() {
        shut.set(true);
    }

    /** Sends go through again. */
    void open() {
        shut.set(false);
    }

    @Override
    public String name() {
        return "gated-" + inner.name();
    }

    @Override
    public boolean send(PeerId to, byte[] message) {
        return !shut.get() && inner.send(to, message);
    }
}
