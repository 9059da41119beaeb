package dev.ensemble.transport.secure;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * INTERNAL API. The handshake's transcript, signed labels and key schedule (docs/SECURITY.md,
 * "Handshake and key schedule"): pure functions of the handshake's values, so that they can be
 * checked against fixed vectors.
 *
 * <p>Immutable and thread-safe.
 */
final class SessionKeys {

    static final int NONCE_BYTES = 32;
    static final int KEY_BYTES = 32;
    static final int SESSION_ID_BYTES = 8;
    static final int MAX_CONTEXT_BYTES = 255;

    private static final byte[] PROTOCOL = ascii("ensemble-session/2");
    private static final byte[] RESPONDER_LABEL = ascii("ensemble-session/2 responder");
    private static final byte[] INITIATOR_LABEL = ascii("ensemble-session/2 initiator");
    private static final byte[] FINISHED_LABEL = ascii("ensemble-session/2 responder finished");
    private static final byte[] KEY_I_TO_R = ascii("ensemble-session/2 initiator to responder");
    private static final byte[] KEY_R_TO_I = ascii("ensemble-session/2 responder to initiator");
    private static final byte[] SESSION_ID = ascii("ensemble-session/2 session id");

    /** Key from initiator to responder. */
    final byte[] initiatorToResponder;
    /** Key from responder to initiator. */
    final byte[] responderToInitiator;

    final byte[] sessionId;

    private SessionKeys(byte[] initiatorToResponder, byte[] responderToInitiator, byte[] sessionId) {
        this.initiatorToResponder = initiatorToResponder;
        this.responderToInitiator = responderToInitiator;
        this.sessionId = sessionId;
    }

    /** SHA-256 of the transcript {@code T}. */
    static byte[] transcriptHash(byte[] context, byte[] pkI, byte[] pkR, byte[] nI, byte[] nR, byte[] eI, byte[] eR) {
        MessageDigest sha = sha256();
        sha.update(PROTOCOL);
        sha.update((byte) context.length);
        sha.update(context);
        sha.update(pkI);
        sha.update(pkR);
        sha.update(nI);
        sha.update(nR);
        sha.update(eI);
        sha.update(eR);
        return sha.digest();
    }

    /** What the responder signs. */
    static byte[] responderSigned(byte[] transcriptHash) {
        return concat(RESPONDER_LABEL, transcriptHash);
    }

    /** What the initiator signs. */
    static byte[] initiatorSigned(byte[] transcriptHash) {
        return concat(INITIATOR_LABEL, transcriptHash);
    }

    /** What the responder signs in {@code finished}: it holds the session now. */
    static byte[] finishedSigned(byte[] transcriptHash) {
        return concat(FINISHED_LABEL, transcriptHash);
    }

    /** The key schedule over the X25519 secret. */
    static SessionKeys derive(byte[] transcriptHash, byte[] sharedSecret) {
        byte[] prk = Hkdf.extract(transcriptHash, sharedSecret);
        SessionKeys keys = new SessionKeys(
                Hkdf.expand(prk, KEY_I_TO_R, KEY_BYTES),
                Hkdf.expand(prk, KEY_R_TO_I, KEY_BYTES),
                Hkdf.expand(prk, SESSION_ID, SESSION_ID_BYTES));
        Arrays.fill(prk, (byte) 0);
        return keys;
    }

    /** The context's bytes, checked: 1 to 255 bytes of UTF-8. */
    static byte[] context(String context) {
        byte[] bytes = context.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 1 || bytes.length > MAX_CONTEXT_BYTES) {
            throw new IllegalArgumentException("a session context (the room name) must be 1 to " + MAX_CONTEXT_BYTES
                    + " bytes of UTF-8 but '" + context + "' has " + bytes.length);
        }
        return bytes;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime has no SHA-256; every Java runtime has one", e);
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
