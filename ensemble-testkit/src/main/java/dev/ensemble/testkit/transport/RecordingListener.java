package dev.ensemble.testkit.transport;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.TransportException;
import dev.ensemble.transport.TransportListener;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link TransportListener} that records every event of one transport for assertions: who is
 * connected now, every connect and disconnect in order, the messages received, the errors, and
 * which threads delivered the peer events. After {@link #markClosed()} it counts any further
 * callback as a violation of the transport contract.
 *
 * <pre>{@code
 * RecordingListener bobEvents = new RecordingListener();
 * bob.start(bobEvents);
 * assertTrue(alice.send(BOB, new byte[] {42}));
 * Await.until("Bob receives the message", () -> bobEvents.messages().size() == 1);
 * assertEquals(ALICE, bobEvents.messages().get(0).from());
 * assertEquals(1, bobEvents.peerEventThreads().size(), "callbacks on the transport's one thread");
 * }</pre>
 *
 * <p>Thread-safe: the transport calls it on its own threads while a test reads it; every accessor
 * returns a snapshot.
 */
public class RecordingListener extends TransportListener {

    /**
     * A received message.
     *
     * @param from the sending peer
     * @param message the bytes as received
     */
    public record Received(PeerId from, byte[] message) {}

    /**
     * A reported disconnect.
     *
     * @param peer the peer that left
     * @param reason the transport's reason
     */
    public record Disconnect(PeerId peer, String reason) {}

    private final Set<PeerId> connected = ConcurrentHashMap.newKeySet();
    private final List<PeerId> connectEvents = Collections.synchronizedList(new ArrayList<>());
    private final List<Disconnect> disconnects = Collections.synchronizedList(new ArrayList<>());
    private final List<Received> messages = Collections.synchronizedList(new ArrayList<>());
    private final List<TransportException> errors = Collections.synchronizedList(new ArrayList<>());
    private final Set<Thread> peerEventThreads = ConcurrentHashMap.newKeySet();
    private final AtomicInteger callbacksAfterClose = new AtomicInteger();
    private volatile boolean closed;

    /** Creates a listener that has recorded nothing. */
    public RecordingListener() {}

    @Override
    public void onPeerConnected(PeerId peer) {
        checkOpen();
        peerEventThreads.add(Thread.currentThread());
        connectEvents.add(peer);
        connected.add(peer);
    }

    @Override
    public void onPeerDisconnected(PeerId peer, String reason) {
        checkOpen();
        peerEventThreads.add(Thread.currentThread());
        disconnects.add(new Disconnect(peer, reason));
        connected.remove(peer);
    }

    @Override
    public void onMessage(PeerId from, byte[] message) {
        checkOpen();
        peerEventThreads.add(Thread.currentThread());
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

    /** Marks that the transport's {@code close()} has returned: later callbacks are violations. */
    public void markClosed() {
        closed = true;
    }

    /**
     * @param peer a peer
     * @return whether it is connected now: connected and not disconnected since
     */
    public boolean isConnectedTo(PeerId peer) {
        return connected.contains(peer);
    }

    /**
     * @return the peers connected now
     */
    public Set<PeerId> connectedPeers() {
        return Set.copyOf(connected);
    }

    /**
     * @return every {@code onPeerConnected}, in order
     */
    public List<PeerId> connectEvents() {
        synchronized (connectEvents) {
            return new ArrayList<>(connectEvents);
        }
    }

    /**
     * @return every {@code onPeerDisconnected}, in order
     */
    public List<Disconnect> disconnects() {
        synchronized (disconnects) {
            return new ArrayList<>(disconnects);
        }
    }

    /**
     * @return every message received, in order
     */
    public List<Received> messages() {
        synchronized (messages) {
            return new ArrayList<>(messages);
        }
    }

    /**
     * @return every error reported, in order
     */
    public List<TransportException> errors() {
        synchronized (errors) {
            return new ArrayList<>(errors);
        }
    }

    /**
     * The threads that delivered connects, disconnects and messages, the events whose order one
     * thread keeps: a single thread for a transport whose owner thread runs every callback.
     *
     * @return those threads
     */
    public Set<Thread> peerEventThreads() {
        return Set.copyOf(peerEventThreads);
    }

    /**
     * @return how many callbacks came after {@link #markClosed()}
     */
    public int callbacksAfterClose() {
        return callbacksAfterClose.get();
    }
}
