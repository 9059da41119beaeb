package dev.ensemble.transport;

import java.util.List;

/**
 * Receives the events of one {@link Transport}. The methods are empty so that a listener
 * overrides what it needs and a new event breaks nobody; {@link #NONE} ignores everything.
 *
 * <h2>Threading and duties</h2>
 *
 * Callbacks arrive on a thread owned by the transport: an I/O thread for a network transport,
 * the thread that runs the simulation for the in-memory one. For one transport they never
 * overlap and arrive in the order the transport observed the events; for a given peer,
 * {@code onPeerConnected} comes before any {@code onMessage} from it and {@code
 * onPeerDisconnected} after the last. Callbacks must be fast: they only hand the event to its
 * owner (typically by enqueuing it into an actor's mailbox), never block, take no lock another
 * thread may hold while calling the transport, and do not throw. They may call {@link
 * Transport#send} (for example to reply); the transport queues such a send and never runs a
 * callback recursively inside it.
 *
 * <pre>{@code
 * TransportListener listener = new TransportListener() {
 *   @Override public void onPeerConnected(PeerId peer) { mailbox.tell(new Connected(peer)); }
 *   @Override public void onMessage(PeerId from, byte[] message) {
 *     mailbox.tell(new Received(from, message));
 *   }
 * };
 * }</pre>
 */
public abstract class TransportListener {

    /** A listener that ignores every event. */
    public static final TransportListener NONE = new TransportListener() {};

    /** Creates a listener. */
    protected TransportListener() {}

    /**
     * A peer is now connected: {@link Transport#send} to it can succeed. A peer that reconnects is
     * reported again with the same id.
     *
     * @param peer the connected peer
     */
    public void onPeerConnected(PeerId peer) {}

    /**
     * A peer is no longer connected: sends to it return {@code false} until it connects again.
     *
     * @param peer the peer that left
     * @param reason why, for logs (e.g. "peer went offline", "peer closed its transport")
     */
    public void onPeerDisconnected(PeerId peer, String reason) {}

    /**
     * Hands back messages that {@link Transport#send} accepted for a peer but that never reached the
     * network, oldest first, so that they can go another way: PeerMessaging sends them over the
     * peer's next transport (the WebSocket relay when a WebRTC channel breaks). A transport with a
     * queue of its own calls it just before {@link #onPeerDisconnected} for that peer, and for a
     * message that was accepted in the instant the connection was lost. A transport that keeps no
     * queue never calls it. The arrays belong to the listener.
     *
     * @param peer the peer the messages were for
     * @param messages the messages, oldest first, each exactly as given to {@code send}
     */
    public void onUnsent(PeerId peer, List<byte[]> messages) {}

    /**
     * A message arrived. The array belongs to the listener (the transport keeps no reference).
     *
     * @param from the sending peer
     * @param message the bytes exactly as sent, at most the sender's transport limit
     */
    public void onMessage(PeerId from, byte[] message) {}

    /**
     * Something went wrong that does not fit the other events; the transport keeps running.
     *
     * @param error what went wrong, with the peer it concerns if any
     */
    public void onError(TransportException error) {}
}
