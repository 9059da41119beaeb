package dev.ensemble.transport.secure;

import java.util.Arrays;

/**
 * INTERNAL API. One handshake in progress: both nonces, the transcript hash and the keys derived
 * from it. Immutable (its arrays are never changed after creation).
 */
record PendingHandshake(byte[] initNonce, byte[] responderNonce, byte[] transcript, SessionKeys keys) {

    boolean matches(byte[] nI, byte[] nR) {
        return Arrays.equals(nI, initNonce) && Arrays.equals(nR, responderNonce);
    }
}
