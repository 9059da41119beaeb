package dev.ensemble.transport;

/**
 * Moves opaque binary messages between this peer and other peers. The collaboration layer
 * (PeerMessaging) talks to every kind of network through this interface: an in-memory simulator
 * in tests, a WebSocket relay through the signaling server, WebRTC data channels.
 *
 * <h2>Lifecycle</h2>
 *
 * <pre>
 *   NEW ──start(listener)──► STARTED ──close()──► CLOSED
 * </pre>
 *
 * <ul>
 *   <li><b>NEW</b>: created, no callbacks yet; {@link #send} returns {@code false}.
 *   <li><b>STARTED</b>: peers connect and disconnect over time, each reported by {@link
 *       TransportListener#onPeerConnected} and {@link TransportListener#onPeerDisconnected}.
 *       {@link #send} succeeds only to a peer whose connection has been reported and not yet
 *       reported lost.
 *   <li><b>CLOSED</b>: after {@link #close()} returns, {@link #send} returns {@code false} and
 *       the listener receives no further callback. Remote peers see this peer disconnect.
 *       Messages still queued may be dropped.
 * </ul>
 *
 * <h2>Message size</h2>
 *
 * Every message given to {@link #send} must be at most {@link #maxMessageSize()} bytes; a larger
 * one is rejected ({@code send} returns {@code false} and nothing is sent). The layer above
 * guarantees it by splitting large envelopes with {@code dev.ensemble.collab.wire.Chunker}
 * configured with this transport's {@code maxMessageSize()}. WebRTC data channels, for example,
 * close silently above 256 KiB, so their transport reports 64 KiB.
 *
 * <h2>Delivery</h2>
 *
 * A network transport delivers the messages sent to a connected peer reliably and in order for
 * as long as the connection lasts; messages in flight when a connection is lost may be lost.
 * The in-memory simulator can deliberately break this (loss, duplication, reordering) so that
 * the layers above are tested for robustness.
 *
 * <h2>Threading</h2>
 *
 * {@link #send}, {@link #queueSize} and {@link #close} are thread-safe and never block on the
 * network. Callbacks arrive on a thread owned by the transport (see {@link TransportListener}).
 *
 * <h2>Example</h2>
 *
 * <pre>{@code
 * transport.start(new TransportListener() {
 *   @Override public void onMessage(PeerId from, byte[] message) {
 *     mailbox.tell(new Received(from, message));   // fast: only enqueue
 *   }
 * });
 * for (byte[] frame : chunker.split(envelope)) {
 *   if (!transport.send(peer, frame)) {
 *     break;                                       // not connected, queue full or closing
 *   }
 * }
 * }</pre>
 */
public interface Transport {

    /**
     * Returns a short name for logs and metrics, e.g. {@code "memory"}, {@code "websocket"} or
     * {@code "webrtc"}. Thread-safe.
     *
     * @return the transport's name
     */
    String name();

    /**
     * Returns the largest message, in bytes, that {@link #send} accepts. Constant for the life of
     * the transport. Thread-safe.
     *
     * @return the limit in bytes, positive
     */
    int maxMessageSize();

    /**
     * Starts the transport: from now on peers connect and callbacks arrive on {@code listener}.
     * Call once.
     *
     * @param listener receives every event of this transport; use {@link TransportListener#NONE}
     *     to ignore them
     * @throws IllegalStateException if the transport was already started or closed
     */
    void start(TransportListener listener);

    /**
     * Queues a message for a peer and returns at once. Never blocks and never throws for a reason
     * the caller cannot prevent: it returns {@code false} and sends nothing when the transport is
     * not started or is closed, when {@code to} is not connected, when the message is longer than
     * {@link #maxMessageSize()}, or when the queue for that peer is full. After a {@code true}
     * return the transport owns the array: the caller must not modify it. Thread-safe.
     *
     * @param to the receiving peer
     * @param message the bytes, at most {@link #maxMessageSize()}
     * @return whether the message was queued
     */
    boolean send(PeerId to, byte[] message);

    /**
     * Returns the number of bytes queued for a peer and not yet handed to the network, for
     * back-pressure: a sender may hold back (e.g. coalesce) while it is high. Zero for a peer that
     * is not connected. Thread-safe.
     *
     * @param peer the peer
     * @return the queued bytes
     */
    int queueSize(PeerId peer);

    /**
     * Closes the transport: disconnects every peer, drops what is queued and stops callbacks. When
     * it returns no further callback is delivered. Idempotent. Thread-safe, but must not be called
     * from a blocking context that a callback waits for.
     */
    void close();
}
