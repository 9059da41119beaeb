package dev.ensemble.testkit.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.TransportException;
import dev.ensemble.transport.TransportException.Reason;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecordingListenerTest {

    private static final PeerId ALICE = TestPeers.id("alice");
    private static final PeerId BOB = TestPeers.id("bob");

    @Test
    void recordsEveryEventInOrderAndWhoIsConnectedNow() {
        RecordingListener events = new RecordingListener();
        events.onPeerConnected(ALICE);
        events.onPeerConnected(BOB);
        events.onMessage(ALICE, new byte[] {1, 2});
        events.onPeerDisconnected(ALICE, "peer went offline");
        TransportException error = new TransportException(Reason.CONNECT_FAILED, "no answer", null);
        events.onError(error);

        assertEquals(List.of(ALICE, BOB), events.connectEvents());
        assertEquals(Set.of(BOB), events.connectedPeers());
        assertFalse(events.isConnectedTo(ALICE));
        assertTrue(events.isConnectedTo(BOB));
        assertEquals(List.of(new RecordingListener.Disconnect(ALICE, "peer went offline")), events.disconnects());
        assertEquals(ALICE, events.messages().get(0).from());
        assertArrayEquals(new byte[] {1, 2}, events.messages().get(0).message());
        assertEquals(List.of(error), events.errors());
        assertEquals(Set.of(Thread.currentThread()), events.peerEventThreads());
        assertEquals(0, events.callbacksAfterClose());
    }

    @Test
    void countsCallbacksAfterCloseAndTheThreadsOfPeerEvents() throws Exception {
        RecordingListener events = new RecordingListener();
        events.onPeerConnected(ALICE);
        Thread other = new Thread(() -> events.onMessage(ALICE, new byte[] {3}), "another-thread");
        other.start();
        other.join();
        events.markClosed();
        events.onPeerDisconnected(ALICE, "late");
        events.onError(new TransportException(Reason.CONNECT_FAILED, "late too", null));

        assertEquals(2, events.callbacksAfterClose());
        assertEquals(Set.of(Thread.currentThread(), other), events.peerEventThreads());
    }
}
