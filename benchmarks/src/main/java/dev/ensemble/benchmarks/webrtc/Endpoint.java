package dev.ensemble.benchmarks.webrtc;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.TransportException;
import dev.ensemble.transport.TransportListener;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * One transport of a {@link BenchPeer} with the listener the benchmarks give it: it notes when each
 * peer connected, hands messages to the current {@link #onMessage handler}, and keeps every error the
 * transport reports so that the suite can fail on it.
 *
 * <p>Threading: the transport calls the listener methods on its own thread; {@link #awaitConnected},
 * {@link #connectedAtNanos} and {@link #problems} may be called from any thread. The handler is set by
 * the harness thread before the messages it handles are sent.
 */
final class Endpoint extends TransportListener {

    private static final BiConsumer<PeerId, byte[]> IGNORE = (from, message) -> {};

    private final Transport transport;
    private final String owner;
    /** Guarded by {@code this}: when each peer connected (System.nanoTime), while it is connected. */
    private final Map<PeerId, Long> connectedAt = new HashMap<>();

    private final List<String> problems = new CopyOnWriteArrayList<>();
    private volatile BiConsumer<PeerId, byte[]> handler = IGNORE;
    private volatile boolean closing;

    Endpoint(Transport transport, String owner) {
        this.transport = transport;
        this.owner = owner;
    }

    Transport transport() {
        return transport;
    }

    String name() {
        return transport.name();
    }

    /** Sets what is done with each message from now on, on the transport's thread. */
    void onMessage(BiConsumer<PeerId, byte[]> handler) {
        this.handler = handler;
    }

    /** From now on errors are expected (the peers are closing) and are no longer problems. */
    void closing() {
        closing = true;
    }

    /** Errors and messages handed back unsent while the peers were up; empty when all went well. */
    List<String> problems() {
        return List.copyOf(problems);
    }

    /**
     * Waits until {@code peer} is connected.
     *
     * @return when it connected, in {@link System#nanoTime()}
     * @throws TimeoutException if it is not connected within {@code timeout}
     */
    synchronized long awaitConnected(PeerId peer, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Long at;
        while ((at = connectedAt.get(peer)) == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException(owner + ": peer " + peer + " not connected over " + name() + " within "
                        + timeout.toMillis() + " ms");
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return at;
    }

    /** Whether {@code peer} is connected now. */
    synchronized boolean isConnected(PeerId peer) {
        return connectedAt.containsKey(peer);
    }

    @Override
    public void onPeerConnected(PeerId peer) {
        long now = System.nanoTime();
        synchronized (this) {
            connectedAt.put(peer, now);
            notifyAll();
        }
    }

    @Override
    public void onPeerDisconnected(PeerId peer, String reason) {
        synchronized (this) {
            connectedAt.remove(peer);
        }
        if (!closing) {
            problems.add(owner + " over " + name() + ": peer " + peer + " disconnected: " + reason);
        }
    }

    @Override
    public void onUnsent(PeerId peer, List<byte[]> messages) {
        if (!closing) {
            problems.add(owner + " over " + name() + ": " + messages.size() + " message(s) for " + peer
                    + " handed back unsent");
        }
    }

    @Override
    public void onMessage(PeerId from, byte[] message) {
        handler.accept(from, message);
    }

    @Override
    public void onError(TransportException error) {
        if (!closing) {
            problems.add(owner + " over " + name() + ": " + error.getMessage());
        }
    }
}
