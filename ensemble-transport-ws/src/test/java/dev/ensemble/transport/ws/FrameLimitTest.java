package dev.ensemble.transport.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.signaling.protocol.RelayFrame;
import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.transport.RecordingListener;
import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.TransportException;
import dev.ensemble.transport.TransportException.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A message larger than the signaling server accepts: the sender learns that it was too large, and
 * keeps its connection. Without the frame limit of the server's {@code welcome}, a frame over four
 * times that limit made the server close the connection while the client was still writing it, and
 * the client saw only close code 1006.
 */
class FrameLimitTest {
    private static final String ROOM = "limits";
    /** The server's frame limit; it does not even read a frame of four times this (256 KiB). */
    private static final int SERVER_FRAME_LIMIT = 64 * 1024;
    /** What the transports under test accept: far above the server's hard limit. */
    private static final int CLIENT_MAX_MESSAGE = 1024 * 1024;

    private TestServer server;
    private final List<WebSocketTransport> transports = new ArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        server = new TestServer(settings -> settings.maxFrameBytes(SERVER_FRAME_LIMIT));
    }

    @AfterEach
    void stopEverything() {
        transports.forEach(WebSocketTransport::close);
        server.close();
    }

    private WebSocketTransport started(String name, int maxMessageSize, RecordingListener events) {
        WebSocketTransport transport = WebSocketTransport.create(server.config(ROOM, TestPeers.identity(name))
                .maxMessageSize(maxMessageSize)
                .build());
        transports.add(transport);
        transport.start(events);
        return transport;
    }

    private static Predicate<TransportException> tooLarge(Optional<PeerId> peer, String text) {
        return e -> e.reason() == Reason.TOO_LARGE
                && e.room().equals(Optional.of(ROOM))
                && e.peer().equals(peer)
                && e.getMessage().contains(text);
    }

    @Test
    void aMessageOverTheServersHardFrameLimitIsDroppedAsTooLargeAndTheConnectionStays() {
        RecordingListener aliceEvents = new RecordingListener();
        RecordingListener bobEvents = new RecordingListener();
        WebSocketTransport alice = started("alice", CLIENT_MAX_MESSAGE, aliceEvents);
        WebSocketTransport bob = started("bob", WebSocketTransportConfig.DEFAULT_MAX_MESSAGE_SIZE, bobEvents);
        Await.until(
                "Alice and Bob see each other",
                () -> aliceEvents.isConnectedTo(bob.self()) && bobEvents.isConnectedTo(alice.self()));

        assertTrue(alice.send(bob.self(), new byte[CLIENT_MAX_MESSAGE]), "within Alice's own maxMessageSize");
        int frame = RelayFrame.FIXED_HEADER_BYTES + ROOM.length() + CLIENT_MAX_MESSAGE;
        Await.until(
                "Alice learns that the message was too large for the server",
                () -> aliceEvents.errors().stream()
                        .anyMatch(tooLarge(
                                Optional.of(bob.self()),
                                "a relay frame of " + frame + " bytes (a " + CLIENT_MAX_MESSAGE + "-byte message to "
                                        + bob.self() + ") is larger than the signaling server's frame limit of "
                                        + SERVER_FRAME_LIMIT + " bytes; it was dropped without being sent")),
                () -> aliceEvents.errors().toString());

        assertTrue(alice.send(bob.self(), new byte[] {42}));
        Await.until(
                "Bob receives the next message, which fits",
                () -> bobEvents.messages().size() == 1);
        assertEquals(42, bobEvents.messages().get(0).message()[0]);
        assertEquals(List.of(), aliceEvents.disconnects(), "Alice's connection stays up");
        assertEquals(List.of(), bobEvents.disconnects(), "Bob never sees Alice leave");
    }

    @Test
    void aTransportWhoseMaxMessageSizeDoesNotFitTheServerSaysSoWhenItConnects() {
        RecordingListener events = new RecordingListener();
        started("carol", CLIENT_MAX_MESSAGE, events);
        int fits = SERVER_FRAME_LIMIT - RelayFrame.FIXED_HEADER_BYTES - ROOM.length();
        Await.until(
                "the mismatch is reported",
                () -> events.errors().stream()
                        .anyMatch(tooLarge(
                                Optional.empty(),
                                "this transport's maxMessageSize of " + CLIENT_MAX_MESSAGE + " bytes makes relay"
                                        + " frames of up to " + (CLIENT_MAX_MESSAGE + SERVER_FRAME_LIMIT - fits)
                                        + " bytes, but the signaling server accepts at most " + SERVER_FRAME_LIMIT
                                        + "; larger messages will be dropped. Set maxMessageSize to at most " + fits
                                        + " bytes")),
                () -> events.errors().toString());
    }

    @Test
    void aTransportWhoseMessagesFitTheServerReportsNothing() throws Exception {
        RecordingListener events = new RecordingListener();
        WebSocketTransport dave =
                started("dave", SERVER_FRAME_LIMIT - RelayFrame.FIXED_HEADER_BYTES - ROOM.length(), events);
        Await.until("Dave is in the room", dave::isInRoom);
        try (Probe probe = Probe.connect(server.uri())) {
            probe.roundTrip();
        }
        assertEquals(List.of(), events.errors());
    }
}
