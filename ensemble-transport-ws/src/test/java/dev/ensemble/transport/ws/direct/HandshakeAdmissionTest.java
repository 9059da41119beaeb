package dev.ensemble.transport.ws.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The handshake admission alone: no sockets, no threads. */
class HandshakeAdmissionTest {

    private static Connection from(String address) throws Exception {
        return new Connection(null, null, "/" + address + ":1234", InetAddress.getByName(address));
    }

    @Test
    void oneAddressGetsItsShareAndTheOthersTheRest() throws Exception {
        HandshakeAdmission admission = new HandshakeAdmission(4, 2);
        assertNull(admission.admit(from("10.0.0.1")));
        assertNull(admission.admit(from("10.0.0.1")));
        assertEquals(
                "refused /10.0.0.1:1234: maxPendingHandshakesPerAddress 2 reached (2 from that address in the"
                        + " handshake); try again later",
                admission.admit(from("10.0.0.1")));
        assertNull(admission.admit(from("10.0.0.2")));
        assertNull(admission.admit(from("10.0.0.3")));
        assertEquals(
                "refused a connection from /10.0.0.4:1234: 4 connections are in the handshake already"
                        + " (maxPendingHandshakes 4); try again later",
                admission.admit(from("10.0.0.4")));
        assertEquals(4, admission.pending());
    }

    @Test
    void aReleasedConnectionFreesItsSlotOnceAndLeavesNoEntryBehind() throws Exception {
        HandshakeAdmission admission = new HandshakeAdmission(4, 1);
        Connection first = from("10.0.0.1");
        assertNull(admission.admit(first));
        admission.release(first);
        admission.release(first); // a connection refused, then closed, is released twice
        assertEquals(0, admission.pending());
        assertEquals(0, admission.addresses(), "no entry is kept for an address with no handshake");
        assertNull(admission.admit(from("10.0.0.1")));
        assertEquals(1, admission.pendingFrom(InetAddress.getByName("10.0.0.1")));
    }

    @Test
    void aRefusedConnectionIsNotCountedAndItsReleaseChangesNothing() throws Exception {
        HandshakeAdmission admission = new HandshakeAdmission(1, 1);
        assertNull(admission.admit(from("10.0.0.1")));
        Connection refused = from("10.0.0.2");
        admission.admit(refused);
        admission.release(refused);
        assertEquals(1, admission.pending());
    }

    @Test
    void aConnectionOfUnknownAddressCountsOnlyInTheTotal() {
        HandshakeAdmission admission = new HandshakeAdmission(2, 1);
        assertNull(admission.admit(new Connection(null, null, "?", null)));
        assertNull(admission.admit(new Connection(null, null, "?", null)));
        assertEquals(0, admission.addresses());
    }
}
