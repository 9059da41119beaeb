package dev.ensemble.transport.ws;

import dev.ensemble.transport.IceServer;
import dev.ensemble.transport.PeerId;
import java.util.List;

/**
 * Receives what a WebRTC negotiator needs from the room: the signals (SDP offers and answers, ICE
 * candidates, ...) that other peers send to this peer through the signaling server, the ICE servers
 * of each {@code welcome}, and the room's members as the server announces them. Register one with
 * {@link WebSocketTransport#signalListener(SignalListener)}; send with {@link
 * WebSocketTransport#sendSignal(PeerId, String)}. The methods are empty so that a new event breaks
 * nobody; {@link #NONE} ignores everything.
 *
 * <h2>Members are not connections</h2>
 *
 * {@link #onPeerJoined} and {@link #onPeerLeft} follow the room as the server sees it, not this
 * transport's connection to the server: when that connection drops, the {@code TransportListener}
 * hears {@code onPeerDisconnected} for every peer (the relay is gone), but this listener hears
 * nothing, because a direct WebRTC channel to those peers may well be up. After the reconnect, the
 * peers that left meanwhile get {@link #onPeerLeft}, the new ones {@link #onPeerJoined}.
 *
 * <h2>Threading and duties</h2>
 *
 * Called on the transport's own thread, in order with its {@code TransportListener} callbacks: a
 * signal from a peer arrives after that peer's {@code onPeerConnected} and before its {@code
 * onPeerDisconnected}. Callbacks must be fast (only hand the signal to its owner, e.g. an actor's
 * mailbox), must not block and must not throw. They may call {@code sendSignal}.
 *
 * <pre>{@code
 * transport.signalListener(new SignalListener() {
 *   @Override public void onSignal(PeerId from, String data) {
 *     negotiator.tell(new RemoteSignal(from, data));
 *   }
 * });
 * }</pre>
 */
public abstract class SignalListener {

    /** A listener that ignores every signal. */
    public static final SignalListener NONE = new SignalListener() {};

    /** Creates a listener. */
    protected SignalListener() {}

    /**
     * A signal arrived from a peer of the room.
     *
     * @param from the sender, as verified by the signaling server
     * @param data the JSON object the sender passed, as compact JSON text
     */
    public void onSignal(PeerId from, String data) {}

    /**
     * The server welcomed this peer (on every connection, including reconnects) with these ICE
     * servers (STUN, TURN with credentials issued for this peer).
     *
     * @param servers the servers, possibly empty
     */
    public void onIceServers(List<IceServer> servers) {}

    /**
     * A peer is a member of the room: it was there when this peer joined, or it joined since.
     * Called once per membership, not again after a reconnect to the server.
     *
     * @param peer the member
     */
    public void onPeerJoined(PeerId peer) {}

    /**
     * A member left the room: the server said so, or it was gone when this peer rejoined after a
     * reconnect.
     *
     * @param peer the former member
     * @param reason why, for logs
     */
    public void onPeerLeft(PeerId peer, String reason) {}
}
