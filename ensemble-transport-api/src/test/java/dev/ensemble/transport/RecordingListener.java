package dev.ensemble.transport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A listener that records every event, thread-safely, for assertions; after {@link
 * #markClosed()} it counts any further callback as a violation.
 */
public class RecordingListener extends TransportListener {

    /** A received message. */
    public record Received(PeerId from, byte[] message) {}

    /** A reported disconnect. */
    public record Disconnect(PeerId peer, String reason) {}

    private final Set<PeerId> connected = ConcurrentHashMap.newKeySet();
    private final List<PeerId> connectEvents = Collections.synchronizedList(new ArrayList<>());
    private final List<Disconnect> disconnects = Collections.synchronizedList(new ArrayList<>());
    private final List<Received> messages = Collections.synchronizedList(new ArrayList<>());
    private final List<TransportException> errors = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger callbacksAfterClose = new AtomicInteger();
    private volatile boolean closed;

    @Override
    public void onPeerConnected(PeerId peer) {
        checkOpen();
        connectEvents.add(peer);
        connected.add(peer);
    }

    @Override
    public void onPeerDisconnected(PeerId peer, String reason) {
        checkOpen();
        disconnects.add(new Disconnect(peer, reason));
        connected.remove(peer);
    }

    @Override
    public void onMessage(PeerId from, byte[] message) {
        checkOpen();
        messages.add(new Received(from, message));
    }

    @Override
    public void onError(TransportException error) {
        checkOpen();
        errors.add(error);
    }

    private void checkOpen() {
        if (closed) {
            callbacksAfterClose.incrementAndGet();
        }
    }

    /** Marks that the transport's {@code close()} has returned. */
    public void markClosed() {
        closed = true;
    }

    public boolean isConnectedTo(PeerId peer) {
        return connected.contains(peer);
    }

    public List<PeerId> connectEvents() {
        synchronized (connectEvents) {
            return new ArrayList<>(connectEvents);
        }
    }

    public List<Disconnect> disconnects() {
        synchronized (disconnects) {
            return new ArrayList<>(disconnects);
        }
    }

    public List<Received> messages() {
        synchronized (messages) {
            return new ArrayList<>(messages);
        }
    }

    public List<TransportException> errors() {
        synchronized (errors) {
            return new ArrayList<>(errors);
        }
    }

    public int callbacksAfterClose() {
        return callbacksAfterClose.get();
    }
}
