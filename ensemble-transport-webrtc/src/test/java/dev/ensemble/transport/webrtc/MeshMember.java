package dev.ensemble.transport.webrtc;

import dev.ensemble.testkit.Await;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.TransportException;
import dev.ensemble.transport.TransportListener;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link WebRtcTransport} that behaves as the transport contract expects of a transport in a
 * room: starting it is enough to meet the others. A WebRTC transport dials only the peers the
 * application names ({@code connect(peer)}, which PeerMessaging calls for every peer of a room);
 * a member, when it starts, connects to every started member of its mesh and they to it.
 *
 * <p>It also lets a test {@link #settle(List)}: over reliable, ordered data channels everything a
 * member sent to a peer before a marker message has been delivered once the marker has. Markers
 * are sent through the real channels and kept from the test's listener; any other message passes
 * unchanged. Thread-safe, as the transport it wraps.
 */
final class MeshMember implements Transport {

    private static final byte[] MARKER = "ensemble contract settle marker:".getBytes(StandardCharsets.US_ASCII);
    private static final AtomicLong NEXT_MARKER = new AtomicLong();

    private final WebRtcTransport transport;
    private final List<MeshMember> mesh;
    /** The last marker number received from each peer; written on the transport's owner thread. */
    private final Map<PeerId, Long> markersReceived = new ConcurrentHashMap<>();

    private volatile boolean started;
    private volatile boolean closed;

    /**
     * @param transport the transport, not started
     * @param mesh every member of the test, this one to be added by the caller
     */
    MeshMember(WebRtcTransport transport, List<MeshMember> mesh) {
        this.transport = transport;
        this.mesh = mesh;
    }

    PeerId peer() {
        return transport.localPeer();
    }

    @Override
    public String name() {
        return transport.name();
    }

    @Override
    public int maxMessageSize() {
        return transport.maxMessageSize();
    }

    @Override
    public void start(TransportListener listener) {
        transport.start(new MarkerFilter(listener));
        started = true;
        for (MeshMember other : mesh) {
            if (other != this && other.started && !other.closed) {
                other.transport.connect(peer());
                transport.connect(other.peer());
            }
        }
    }

    @Override
    public boolean send(PeerId to, byte[] message) {
        return transport.send(to, message);
    }

    @Override
    public int queueSize(PeerId peer) {
        return transport.queueSize(peer);
    }

    @Override
    public void close() {
        closed = true;
        transport.close();
    }

    /**
     * Waits until every message that started, open members had sent each other over an open
     * channel has been delivered: each sends a marker to each peer it is connected to, and the
     * markers must arrive.
     */
    static void settle(List<MeshMember> mesh) {
        for (MeshMember from : mesh) {
            for (MeshMember to : mesh) {
                if (from == to || !from.started || from.closed || to.closed || !from.transport.isConnected(to.peer())) {
                    continue;
                }
                long number = NEXT_MARKER.incrementAndGet();
                byte[] marker = Arrays.copyOf(MARKER, MARKER.length + Long.BYTES);
                ByteBuffer.wrap(marker, MARKER.length, Long.BYTES).putLong(number);
                if (from.transport.send(to.peer(), marker)) {
                    Await.until(
                            "the settle marker from " + from.peer().shortForm() + " reaches "
                                    + to.peer().shortForm(),
                            () -> to.markersReceived.getOrDefault(from.peer(), 0L) >= number || to.closed);
                }
            }
        }
    }

    /** Keeps markers from the test's listener; passes every other event unchanged. */
    private final class MarkerFilter extends TransportListener {
        private final TransportListener listener;

        MarkerFilter(TransportListener listener) {
            this.listener = listener;
        }

        @Override
        public void onPeerConnected(PeerId peer) {
            listener.onPeerConnected(peer);
        }

        @Override
        public void onPeerDisconnected(PeerId peer, String reason) {
            listener.onPeerDisconnected(peer, reason);
        }

        @Override
        public void onUnsent(PeerId peer, List<byte[]> messages) {
            listener.onUnsent(peer, messages);
        }

        @Override
        public void onMessage(PeerId from, byte[] message) {
            if (message.length == MARKER.length + Long.BYTES
                    && Arrays.equals(message, 0, MARKER.length, MARKER, 0, MARKER.length)) {
                markersReceived.put(
                        from,
                        ByteBuffer.wrap(message, MARKER.length, Long.BYTES).getLong());
            } else {
                listener.onMessage(from, message);
            }
        }

        @Override
        public void onError(TransportException error) {
            listener.onError(error);
        }
    }
}
