package dev.ensemble.transport.webrtc.signal;

import dev.ensemble.transport.PeerId;

/**
 * The path by which WebRTC negotiation messages reach other peers: in an application, the
 * signaling server's {@code signal} relay, reached through PeerMessaging over the WebSocket
 * transport; in tests, an in-memory pair. The channel carries each {@link Signal} as JSON (see
 * {@link SignalCodec}) and needs no ordering guarantee beyond what a WebSocket gives: signals
 * from one peer to another arrive in the order they were sent, or not at all.
 *
 * <h2>Threading</h2>
 *
 * {@link #send} is called from the transport's owner thread and must not block: queue the signal
 * and return. {@link #register} is called once, when the transport starts; the channel then
 * calls the receiver for every signal addressed to this peer, on any one thread of its own.
 *
 * <pre>{@code
 * SignalChannel channel = new SignalChannel() {
 *   public void send(PeerId to, Signal signal) {
 *     relay.signal(to, SignalCodec.toJson(signal));      // e.g. the WebSocket client
 *   }
 *   public void register(SignalReceiver receiver) {
 *     relay.onSignal((from, json) -> receiver.onSignal(from, SignalCodec.fromJson(json)));
 *   }
 * };
 * }</pre>
 */
public interface SignalChannel {

    /**
     * Queues a signal for a peer and returns at once. A signal that cannot be delivered (the peer
     * left, the relay is down) is dropped: negotiation recovers by retrying.
     *
     * @param to the receiving peer
     * @param signal what to send
     */
    void send(PeerId to, Signal signal);

    /**
     * Sets the receiver of incoming signals. Called once.
     *
     * @param receiver receives every signal addressed to this peer
     */
    void register(SignalReceiver receiver);
}
