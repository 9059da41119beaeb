package dev.ensemble.transport.secure;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * INTERNAL API. One established session with one peer: the keys of both directions, the send
 * counter, and the receive counters' {@link ReplayWindow} (docs/SECURITY.md, "Data").
 *
 * <p>ChaCha20-Poly1305 (RFC 8439) is BouncyCastle's lightweight implementation, one instance per
 * direction kept for the session's life and initialised with each frame's nonce: the same AEAD as the
 * JDK's {@code Cipher "ChaCha20-Poly1305"} (the same bytes on the wire), without the provider lookup,
 * key checks and copies that made the JDK's cost per 64-byte frame a measurable part of a relay round
 * trip (docs/BENCHMARKS.md, issue 17).
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

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = TAG_BYTES * 8;

    private final byte[] id;
    private final KeyParameter sendKey;
    private final KeyParameter receiveKey;
    private final long lastCounter;

    // Guarded by this.
    private long nextSend;
    private final ChaCha20Poly1305 sealer = new ChaCha20Poly1305();
    // Callback thread only.
    private final ReplayWindow received = new ReplayWindow();
    private final ChaCha20Poly1305 opener = new ChaCha20Poly1305();

    private Session(byte[] id, byte[] sendKey, byte[] receiveKey, long lastCounter) {
        this.id = id;
        this.lastCounter = lastCounter;
        this.sendKey = new KeyParameter(sendKey);
        this.receiveKey = new KeyParameter(receiveKey);
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
        byte[] frame = seal(plaintext, nextSend);
        nextSend++;
        return commit.accept(frame);
    }

    /** Where {@link #sendNext} hands a sealed frame. */
    @FunctionalInterface
    interface FrameSink {
        boolean accept(byte[] frame);
    }

    private byte[] seal(byte[] plaintext, long counter) {
        byte[] frame = new byte[HEADER_BYTES + plaintext.length + TAG_BYTES];
        writeHeader(frame, counter);
        try {
            // BouncyCastle refuses to encrypt twice in a row under one key and nonce; the counter
            // never repeats, so that refusal would be a bug here, not an input.
            sealer.init(true, new AEADParameters(sendKey, TAG_BITS, nonce(counter), null));
            sealer.processAADBytes(frame, 0, HEADER_BYTES);
            int written = sealer.processBytes(plaintext, 0, plaintext.length, frame, HEADER_BYTES);
            sealer.doFinal(frame, HEADER_BYTES + written);
        } catch (InvalidCipherTextException | RuntimeException e) {
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
        // Decryption may repeat a nonce (a replayed frame, or a genuine one after a forgery with its
        // counter): BouncyCastle refuses a repeated nonce only when encrypting.
        byte[] plaintext = decrypt(opener, receiveKey, frame, counter);
        return new Opened(plaintext, received.accept(counter));
    }

    /** Opens a frame this side sealed itself (one the inner transport hands back unsent). */
    byte[] openOwn(byte[] frame) throws AEADBadTagException {
        // A fresh instance: the sealer is the senders' (guarded by this), the opener the callback thread's.
        return decrypt(new ChaCha20Poly1305(), sendKey, frame, counterOf(frame));
    }

    record Opened(byte[] plaintext, long skipped) {}

    /**
     * Checks the tag and decrypts. BouncyCastle writes the plaintext while it reads the ciphertext and
     * checks the tag last: the buffer is returned only once the tag has passed, and wiped otherwise.
     */
    private static byte[] decrypt(ChaCha20Poly1305 cipher, KeyParameter key, byte[] frame, long counter)
            throws AEADBadTagException {
        int sealedLength = frame.length - HEADER_BYTES;
        byte[] plaintext = new byte[sealedLength - TAG_BYTES];
        try {
            cipher.init(false, new AEADParameters(key, TAG_BITS, nonce(counter), null));
            cipher.processAADBytes(frame, 0, HEADER_BYTES);
            int written = cipher.processBytes(frame, HEADER_BYTES, sealedLength, plaintext, 0);
            cipher.doFinal(plaintext, written);
            return plaintext;
        } catch (InvalidCipherTextException e) {
            Arrays.fill(plaintext, (byte) 0);
            AEADBadTagException failed = new AEADBadTagException("ChaCha20-Poly1305: " + e.getMessage());
            failed.initCause(e);
            throw failed;
        } catch (RuntimeException e) {
            Arrays.fill(plaintext, (byte) 0);
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
}
