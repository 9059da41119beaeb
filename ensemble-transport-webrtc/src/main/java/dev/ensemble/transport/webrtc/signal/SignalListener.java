package dev.ensemble.transport.webrtc.signal;

import dev.ensemble.transport.PeerId;

/**
 * Receives the signals that other peers address to this one. Called by a {@link SignalChannel}
 * on its own thread; the WebRTC transport only hands the signal to its owner thread, so the call
 * is fast and never blocks.
 */
@FunctionalInterface
public interface SignalListener {

    /**
     * A signal arrived.
     *
     * @param from the peer that sent it
     * @param signal the decoded signal
     */
    void onSignal(PeerId from, Signal signal);
}
