package dev.ensemble.transport.secure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One session's counters at their end: a session refuses to send rather than wrap its counter. */
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

    private static byte[] filled(int value) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
