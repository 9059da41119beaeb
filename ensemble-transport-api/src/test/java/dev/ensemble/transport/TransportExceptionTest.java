package dev.ensemble.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ensemble.transport.TransportException.Reason;
import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TransportExceptionTest {

    @Test
    void carriesItsReasonRoomAndPeerBesideAPlainMessage() {
        PeerId bob = PeerId.parse("did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH");
        IOException cause = new IOException("Connection refused");
        TransportException error = new TransportException(Reason.UNKNOWN_PEER, "lobby", bob, "peer left", cause);
        assertEquals(Reason.UNKNOWN_PEER, error.reason());
        assertEquals(Optional.of("lobby"), error.room());
        assertEquals(Optional.of(bob), error.peer());
        assertEquals("peer left", error.getMessage());
        assertSame(cause, error.getCause());
        assertEquals(
                "TransportException[UNKNOWN_PEER, room lobby, peer " + bob.shortForm() + "]: peer left",
                error.toString());
    }

    @Test
    void concernsNeitherRoomNorPeerWhenNoneIsGiven() {
        TransportException error = new TransportException(Reason.CONNECT_FAILED, "no answer", null);
        assertEquals(Optional.empty(), error.room());
        assertEquals(Optional.empty(), error.peer());
        assertEquals("TransportException[CONNECT_FAILED]: no answer", error.toString());
        assertThrows(NullPointerException.class, () -> new TransportException(null, "x", null));
    }
}
