package dev.ensemble.transport.secure;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.TransportListener;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * An in-memory network of transports run on the test's thread, in the manner of Netty's
 * EmbeddedChannel: {@code send} only queues, and {@link #drain()} delivers until nothing is left,
 * running every callback on the caller. Every frame passes a {@link Tap}, the hostile relay of the
 * tests, which may forward, alter, hold, duplicate, re-label or drop it; {@link #frames()} keeps
 * what was sent, as a relay's packet log would.
 */
final class Pipe {

    /** What the relay does with one frame: the deliveries it makes of it (none drops it). */
    interface Tap {
        List<Delivery> onFrame(PeerId from, PeerId to, byte[] frame);
    }

    /** One frame handed to {@code to}, claiming to come from {@code from}. */
    record Delivery(PeerId from, PeerId to, byte[] frame) {}

    static final Tap HONEST = (from, to, frame) -> List.of(new Delivery(from, to, frame));

    private final Map<PeerId, Endpoint> endpoints = new HashMap<>();
    // Concurrent: a transport's handshake retry may send from its own thread.
    private final Queue<Runnable> pending = new ConcurrentLinkedQueue<>();
    private final List<byte[]> frames = new CopyOnWriteArrayList<>();
    private final int maxMessageSize;
    // Volatile: a transport's handshake retry sends, and so reads the tap, on its own thread.
    private volatile Tap tap = HONEST;

    Pipe(int maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    void tap(Tap tap) {
        this.tap = tap;
    }

    Endpoint get(PeerId peer) {
        return endpoints.get(peer);
    }

    /** A new endpoint for {@code peer}, replacing (and disconnecting) an earlier one. */
    Endpoint endpoint(PeerId peer) {
        Endpoint old = endpoints.remove(peer);
        if (old != null) {
            for (Endpoint other : endpoints.values()) {
                if (other.connected.remove(peer)) {
                    pending.add(() -> other.listener.onPeerDisconnected(peer, "endpoint replaced"));
                }
            }
        }
        Endpoint endpoint = new Endpoint(peer);
        endpoints.put(peer, endpoint);
        return endpoint;
    }

    /** Connects every pair of started endpoints that are not connected yet. */
    void connectAll() {
        for (Endpoint a : endpoints.values()) {
            for (Endpoint b : endpoints.values()) {
                if (a != b && a.listener != null && b.listener != null && a.connected.add(b.peer)) {
                    pending.add(() -> a.listener.onPeerConnected(b.peer));
                }
            }
        }
    }

    /** Hands {@code frame} to {@code to} as if {@code from} had sent it, bypassing the tap. */
    void inject(PeerId from, PeerId to, byte[] frame) {
        Endpoint target = endpoints.get(to);
        pending.add(() -> target.listener.onMessage(from, frame.clone()));
    }

    /** Runs deliveries and callbacks until none is left. */
    void drain() {
        for (int steps = 0; !pending.isEmpty(); steps++) {
            if (steps > 100_000) {
                throw new AssertionError("the pipe does not settle: more than 100000 deliveries");
            }
            pending.poll().run();
        }
    }

    /** Every frame sent, in order, before the tap saw it. */
    List<byte[]> frames() {
        return frames;
    }

    final class Endpoint implements Transport {
        final PeerId peer;
        final Set<PeerId> connected = ConcurrentHashMap.newKeySet();
        volatile TransportListener listener;
        volatile boolean closed;
        /** A full queue: {@code send} returns false. */
        volatile boolean full;
        /** Frames {@code send} refuses (returns false for) as a full queue would; none by default. */
        volatile Predicate<byte[]> refuse = frame -> false;

        Endpoint(PeerId peer) {
            this.peer = peer;
        }

        @Override
        public String name() {
            return "pipe";
        }

        @Override
        public int maxMessageSize() {
            return maxMessageSize;
        }

        @Override
        public void start(TransportListener listener) {
            this.listener = listener;
        }

        @Override
        public synchronized boolean send(PeerId to, byte[] message) {
            if (closed || full || refuse.test(message) || !connected.contains(to) || message.length > maxMessageSize) {
                return false;
            }
            frames.add(message.clone());
            for (Delivery delivery : tap.onFrame(peer, to, message)) {
                Endpoint target = endpoints.get(delivery.to());
                if (target != null && target.listener != null && !target.closed) {
                    pending.add(() -> target.listener.onMessage(
                            delivery.from(), delivery.frame().clone()));
                }
            }
            return true;
        }

        @Override
        public int queueSize(PeerId peer) {
            return 0;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
