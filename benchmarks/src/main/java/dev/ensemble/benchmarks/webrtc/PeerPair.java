package dev.ensemble.benchmarks.webrtc;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Two {@link BenchPeer}s, A and B, in a room of their own on one signaling server.
 *
 * <pre>{@code
 * try (PeerPair pair = new PeerPair(server, "room-1")) {
 *     PeerPair.Opened opened = pair.open(Duration.ofSeconds(15));   // both join; channels open
 *     ... pair.a(), pair.b() ...
 * }                                                                  // both closed, WebRTC first
 * }</pre>
 *
 * <p>Threading: one harness thread.
 */
final class PeerPair implements AutoCloseable {

    /**
     * How long a pair took to come up, from just before A started.
     *
     * @param joinedNanos until each relay reported the other peer in the room
     * @param openNanos until each WebRTC transport reported the other peer connected (channel open)
     */
    record Opened(long joinedNanos, long openNanos) {}

    private final BenchPeer a;
    private final BenchPeer b;

    PeerPair(URI server, String room) {
        a = new BenchPeer(server, room, "A in " + room);
        b = new BenchPeer(server, room, "B in " + room);
    }

    BenchPeer a() {
        return a;
    }

    BenchPeer b() {
        return b;
    }

    /**
     * Starts both peers and waits until their data channel is open on both sides.
     *
     * @throws TimeoutException if it is not open within {@code timeout}
     */
    Opened open(Duration timeout) throws InterruptedException, TimeoutException {
        long start = System.nanoTime();
        a.start();
        b.start();
        long open =
                Math.max(a.webrtc().awaitConnected(b.id(), timeout), b.webrtc().awaitConnected(a.id(), timeout));
        long joined =
                Math.max(a.relay().awaitConnected(b.id(), timeout), b.relay().awaitConnected(a.id(), timeout));
        return new Opened(joined - start, open - start);
    }

    /** What went wrong on any transport of either peer while they were up. */
    List<String> problems() {
        List<String> all = new ArrayList<>(a.problems());
        all.addAll(b.problems());
        return all;
    }

    /** Marks both peers as closing before either closes, so that neither reports the other leaving. */
    @Override
    public void close() {
        a.closing();
        b.closing();
        a.close();
        b.close();
    }
}
