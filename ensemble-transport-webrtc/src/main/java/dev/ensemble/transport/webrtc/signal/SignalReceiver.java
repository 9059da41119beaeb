package dev.ensemble.transport.webrtc.signal;

import dev.ensemble.transport.PeerId;

/**
 * Receives the signals that other peers address to this one: what a {@link SignalChannel} hands
 * to the WebRTC transport. Called by the channel on its own thread; the WebRTC transport only
 * hands the signal to its owner thread, so the call is fast and never blocks.
 *
 * <p>Not to be confused with the WebSocket transport's {@code SignalListener}, which hears
 * everything the signaling server tells about a room; a {@code SignalChannel} over the relay
 * turns that into calls of this receiver.
 */
@FunctionalInterface
public interface SignalReceiver {

    /**
     * A signal arrived.
     *
     * @param from the peer that sent it
     * @param signal the decoded signal
     */
    void onSignal(PeerId from, Signal signal);
}
