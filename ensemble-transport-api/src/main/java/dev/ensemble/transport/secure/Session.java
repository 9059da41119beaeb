package dev.ensemble.transport.secure;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * INTERNAL API. One established session with one peer: the keys of both directions, the send
 * counter, and the receive counters' {@link ReplayWindow} (docs/SECURITY.md, "Data").
 *
 * <h2>Threading</h2>
 *
 * {@link #sendNext} is called by any sending thread and synchronises on this session (the caller
 * holds the lock across the inner transport's {@code send} so that counters go out in order).
 * {@link #open} is called only by the inner transport's callback thread.
 */
final class Session {

    static final int HEADER_BYTES = 2 + SessionKeys.SESSION_ID_BYTES + Long.BYTES;
    static final int TAG_BYTES = 16;
    static final int OVERHEAD = HEADER_BYTES + TAG_BYTES;

    /**
     * The last counter a session sends under (unsigned: 2^64 − 2). One below the largest value, so that
     * the receiver's next expected counter (the last accepted plus one) never wraps to zero and lets
     * old frames in again.
     */
    static final long LAST_COUNTER = -2L;

    private static final String CIPHER = "ChaCha20-Poly1305";
    private static final String KEY_ALGORITHM = "ChaCha20";
    private static final int NONCE_BYTES = 12;

    private final byte[] id;
    private final SecretKeySpec sendKey;
    private final SecretKeySpec receiveKey;
    private final Cipher sealer;
    private final Cipher opener;
    private final long lastCounter;

    // Guarded by this.
    private long nextSend;
    // Callback thread only.
    private final ReplayWindow received = new ReplayWindow();
    // Callback thread only: the counter the opener was last initialised with, if any.
    private long openerCounter;
    private boolean openerUsed;

    private Session(byte[] id, byte[] sendKey, byte[] receiveKey, long lastCounter) {
        this.id = id;
        this.lastCounter = lastCounter;
        this.sendKey = new SecretKeySpec(sendKey, KEY_ALGORITHM);
        this.receiveKey = new SecretKeySpec(receiveKey, KEY_ALGORITHM);
        this.sealer = cipher();
        this.opener = cipher();
    }

    static Session asInitiator(SessionKeys keys) {
        return asInitiator(keys, LAST_COUNTER);
    }

    /** As {@link #asInitiator(SessionKeys)}, sending under counters up to {@code lastCounter} only. */
    static Session asInitiator(SessionKeys keys, long lastCounter) {
        return new Session(keys.sessionId, keys.initiatorToResponder, keys.responderToInitiator, lastCounter);
    }

    static Session asResponder(SessionKeys keys) {
        return new Session(keys.sessionId, keys.responderToInitiator, keys.initiatorToResponder, LAST_COUNTER);
    }

    /** Whether a data frame names this session. */
    boolean owns(byte[] frame) {
        return Arrays.equals(frame, 2, 2 + id.length, id, 0, id.length);
    }

    /** The session id, for logs. */
    String idHex() {
        return HexFormat.of().formatHex(id);
    }

    /**
     * Seals {@code plaintext} with the next send counter and hands it to {@code commit}; the counter is
     * spent either way. Past {@link #LAST_COUNTER} nothing is sealed and the answer is false. Synchronised so that frames reach the inner transport in counter order.
     */
    synchronized boolean sendNext(byte[] plaintext, FrameSink commit) {
        if (Long.compareUnsigned(nextSend, lastCounter) > 0) {
            // Spent (after 2^64 − 1 frames: never in practice); wrapping would repeat nonces.
            return false;
        }
        // A refused frame should never have been sent (the transport SPI's contract), but a nonce
        // must not repeat under a key even if some transport sent it anyway: the receiver then sees
        // one missing counter, which it counts as loss.
        byte[] frame = seal(sealer, plaintext, nextSend);
        nextSend++;
        return commit.accept(frame);
    }

    /** Where {@link #sendNext} hands a sealed frame. */
    @FunctionalInterface
    interface FrameSink {
        boolean accept(byte[] frame);
    }

    private byte[] seal(Cipher sealer, byte[] plaintext, long counter) {
        byte[] frame = new byte[HEADER_BYTES + plaintext.length + TAG_BYTES];
        writeHeader(frame, counter);
        try {
            sealer.init(Cipher.ENCRYPT_MODE, sendKey, new IvParameterSpec(nonce(counter)));
            sealer.updateAAD(frame, 0, HEADER_BYTES);
            sealer.doFinal(plaintext, 0, plaintext.length, frame, HEADER_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 refused to seal with a fresh nonce", e);
        }
        return frame;
    }

    /**
     * Opens a data frame of this session (the caller checked {@link #owns}).
     *
     * @return the plaintext and how many counters were skipped
     * @throws AEADBadTagException if the frame does not authenticate
     * @throws ReplayWindow.ReplayException if it authenticates but its counter is not above the last
     *     accepted
     */
    Opened open(byte[] frame) throws AEADBadTagException, ReplayWindow.ReplayException {
        long counter = counterOf(frame);
        // The JDK refuses to initialise one instance twice in a row with one key and nonce, which a
        // replayed frame, or a genuine frame after a forged one with its counter, would do.
        Cipher cipher = openerUsed && openerCounter == counter ? cipher() : opener;
        if (cipher == opener) {
            openerUsed = true;
            openerCounter = counter;
        }
        byte[] plaintext = decrypt(cipher, receiveKey, frame, counter);
        return new Opened(plaintext, received.accept(counter));
    }

    /** Opens a frame this side sealed itself (one the inner transport hands back unsent). */
    byte[] openOwn(byte[] frame) throws AEADBadTagException {
        return decrypt(cipher(), sendKey, frame, counterOf(frame));
    }

    record Opened(byte[] plaintext, long skipped) {}

    private static byte[] decrypt(Cipher cipher, SecretKeySpec key, byte[] frame, long counter)
            throws AEADBadTagException {
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(nonce(counter)));
            cipher.updateAAD(frame, 0, HEADER_BYTES);
            return cipher.doFinal(frame, HEADER_BYTES, frame.length - HEADER_BYTES);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 refused to open a frame", e);
        }
    }

    private void writeHeader(byte[] frame, long counter) {
        frame[0] = SessionFrames.VERSION;
        frame[1] = SessionFrames.DATA;
        System.arraycopy(id, 0, frame, 2, id.length);
        ByteBuffer.wrap(frame, 2 + id.length, Long.BYTES).putLong(counter);
    }

    private static long counterOf(byte[] frame) {
        return ByteBuffer.wrap(frame, 2 + SessionKeys.SESSION_ID_BYTES, Long.BYTES)
                .getLong();
    }

    private static byte[] nonce(long counter) {
        return ByteBuffer.allocate(NONCE_BYTES).putInt(0).putLong(counter).array();
    }

    private static Cipher cipher() {
        try {
            return Cipher.getInstance(CIPHER);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "this Java runtime has no " + CIPHER + "; every Java 11 or later has one", e);
        }
    }
}
