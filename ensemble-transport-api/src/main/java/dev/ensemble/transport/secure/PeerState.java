package dev.ensemble.transport.secure;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.TaskTimer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * INTERNAL API. What one side knows of one peer while the inner transport lists it: its session,
 * the handshakes in progress with it, and the retry of this side's init.
 *
 * <p>Threading: the handshake fields are guarded by the object's own lock (the callback thread and
 * the retry thread both start handshakes); {@code session} is volatile for senders; {@code previous}
 * and {@code reported} are touched on the callback thread only.
 */
final class PeerState {
    final PeerId id;
    /** The established session; read by senders. */
    volatile Session session;
    /** The session before the current one, whose late frames are dropped quietly. */
    Session previous;
    /** Whether the listener has been told this peer is connected. */
    boolean reported;

    /** This side's pending init: its nonce and ephemeral key. */
    byte[] initNonce;

    X25519.Ephemeral initEphemeral;
    /**
     * This side's answers to the peer's inits that await a confirm, keyed by the init's nonce (hex),
     * oldest first; a few only, so that a replayed old init cannot push out the genuine one.
     */
    final Map<String, PendingHandshake> responded = new LinkedHashMap<>();

    /**
     * As initiator: the handshake this side confirmed last, awaiting the peer's finished. A retried
     * init leaves it: its finished, if it comes, still proves the peer holds those keys.
     */
    PendingHandshake confirmed;

    /** The pending retry of this side's init, if any. */
    TaskTimer.Cancellable retry;

    /** Inits sent since the last session formed or the last resumption; bounded by the policy. */
    int initsSent;

    /**
     * Whether this side gave up on the peer: it answered none of the policy's inits. Volatile: set on
     * the retry thread, read first without the lock by the callback thread.
     */
    volatile boolean gaveUp;

    /** How many inits this side may answer now (see {@link Handshaker#INIT_BURST}), and when it was counted. */
    double initBudget = Handshaker.INIT_BURST;

    long initBudgetAt = System.nanoTime();

    PeerState(PeerId id) {
        this.id = id;
    }

    /** Calls off the pending retry, if any. The caller need not hold the lock. */
    void cancelRetry() {
        synchronized (this) {
            if (retry != null) {
                retry.cancel();
                retry = null;
            }
        }
    }
}
