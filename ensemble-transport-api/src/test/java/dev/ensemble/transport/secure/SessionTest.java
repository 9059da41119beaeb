package dev.ensemble.transport.secure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * One session's frames: sealed exactly as the JDK's ChaCha20-Poly1305 would seal them, refused when
 * altered or replayed without spoiling the frames after, and counters at their end (a session refuses
 * to send rather than wrap its counter).
 */
class SessionTest {

    private final SessionKeys keys = SessionKeys.derive(filled(0x33), filled(0x44));

    @Test
    void aSessionRefusesToSendPastItsLastCounterInsteadOfWrapping() throws Exception {
        Session sender = Session.asInitiator(keys, 1);
        Session receiver = Session.asResponder(keys);
        List<byte[]> sent = new ArrayList<>();

        assertTrue(sender.sendNext(new byte[] {1}, sent::add));
        assertTrue(sender.sendNext(new byte[] {2}, sent::add));
        assertFalse(sender.sendNext(new byte[] {3}, sent::add), "counter 2 is past the last");
        assertFalse(sender.sendNext(new byte[] {4}, sent::add), "and stays refused");

        assertEquals(2, sent.size(), "nothing sealed past the last counter reaches the transport");
        assertArrayEquals(new byte[] {1}, receiver.open(sent.get(0)).plaintext());
        assertArrayEquals(new byte[] {2}, receiver.open(sent.get(1)).plaintext());
    }

    @Test
    void theDefaultLastCounterLeavesTheReceiverRoomToCountPastIt() {
        // The receiver's next expected counter is the last accepted plus one: the last counter a
        // sender may use must be below the largest unsigned value, or that sum would wrap to zero.
        assertEquals(-2L, Session.LAST_COUNTER);
    }

    @Test
    void everyFrameIsTheJdksChaCha20Poly1305OfItsPlaintextUnderItsHeader() throws Exception {
        // The wire must not depend on which implementation seals: each size from empty to past a few
        // ChaCha20 blocks and Poly1305 pads, against the JDK's own cipher with the key and nonce of
        // docs/SECURITY.md ("Data").
        Session sender = Session.asInitiator(keys);
        Random random = new Random(17);
        for (int size = 0; size <= 300; size++) {
            byte[] plaintext = new byte[size];
            random.nextBytes(plaintext);
            List<byte[]> sent = new ArrayList<>();
            assertTrue(sender.sendNext(plaintext, sent::add));
            byte[] frame = sent.get(0);

            Cipher jdk = Cipher.getInstance("ChaCha20-Poly1305");
            byte[] nonce = ByteBuffer.allocate(12).putInt(0).putLong(size).array();
            jdk.init(
                    Cipher.ENCRYPT_MODE,
                    new SecretKeySpec(keys.initiatorToResponder, "ChaCha20"),
                    new IvParameterSpec(nonce));
            jdk.updateAAD(frame, 0, Session.HEADER_BYTES);
            byte[] expected = jdk.doFinal(plaintext);
            assertArrayEquals(
                    expected,
                    Arrays.copyOfRange(frame, Session.HEADER_BYTES, frame.length),
                    "ciphertext and tag of a " + size + "-byte plaintext");
        }
    }

    @Test
    void anAlteredFrameIsRefusedAndTheFramesAfterItStillOpen() throws Exception {
        Session sender = Session.asInitiator(keys);
        Session receiver = Session.asResponder(keys);
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sender.sendNext(new byte[] {(byte) i, 1, 2, 3}, sent::add);
        }
        byte[] first = sent.get(0);
        for (int at = 0; at < first.length; at++) {
            if (at >= 2 && at < 2 + SessionKeys.SESSION_ID_BYTES) {
                continue; // the session id: the caller's owns() check, not the tag, refuses those
            }
            byte[] altered = first.clone();
            altered[at] ^= 0x01;
            assertThrows(AEADBadTagException.class, () -> receiver.open(altered), "byte " + at + " altered");
        }
        // A forgery carried counter 0 with a bad tag many times; the genuine frame 0 still opens.
        assertArrayEquals(new byte[] {0, 1, 2, 3}, receiver.open(first).plaintext());
        assertArrayEquals(new byte[] {2, 1, 2, 3}, receiver.open(sent.get(2)).plaintext());
        assertThrows(ReplayWindow.ReplayException.class, () -> receiver.open(sent.get(1)), "held back, then late");
    }

    @Test
    void aReplayedFrameAuthenticatesButIsRefusedByItsCounterAndTheNextStillOpens() throws Exception {
        Session sender = Session.asInitiator(keys);
        Session receiver = Session.asResponder(keys);
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            sender.sendNext(new byte[] {(byte) i}, sent::add);
        }
        assertArrayEquals(new byte[] {0}, receiver.open(sent.get(0)).plaintext());
        assertThrows(ReplayWindow.ReplayException.class, () -> receiver.open(sent.get(0)));
        assertThrows(ReplayWindow.ReplayException.class, () -> receiver.open(sent.get(0)));
        assertArrayEquals(new byte[] {1}, receiver.open(sent.get(1)).plaintext());
    }

    @Test
    void aFrameTheInnerTransportHandsBackOpensWithTheSendersOwnKeyOnly() throws Exception {
        Session sender = Session.asInitiator(keys);
        Session receiver = Session.asResponder(keys);
        List<byte[]> sent = new ArrayList<>();
        sender.sendNext(new byte[] {9, 8, 7}, sent::add);
        assertArrayEquals(new byte[] {9, 8, 7}, sender.openOwn(sent.get(0)));
        assertThrows(AEADBadTagException.class, () -> receiver.openOwn(sent.get(0)), "the other direction's key");
    }

    private static byte[] filled(int value) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
