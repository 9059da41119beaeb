package dev.ensemble.transport.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.transport.RecordingListener;
import dev.ensemble.transport.IceServer;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a {@link SignalListener} hears of the room: members as the server sees them, which outlive
 * this peer's own connection to the server, and the ICE servers of every welcome.
 */
class RoomMembersTest {
    private static final String ROOM = "members-room";

    private TestServer server;
    private final List<WebSocketTransport> transports = new ArrayList<>();

    /** Records the room events in order, as "joined X", "left X" and "ice N". */
    private static final class RoomEvents extends SignalListener {
        private final List<String> events = new ArrayList<>();

        @Override
        public synchronized void onIceServers(List<IceServer> servers) {
            events.add("ice " + servers.size());
        }

        @Override
        public synchronized void onPeerJoined(PeerId peer) {
            events.add("joined " + peer);
        }

        @Override
        public synchronized void onPeerLeft(PeerId peer, String reason) {
            events.add("left " + peer);
        }

        synchronized List<String> snapshot() {
            return List.copyOf(events);
        }

        synchronized long count(String event) {
            return events.stream().filter(event::equals).count();
        }

        /** Whether the last membership event about {@code peer} says it is in the room. */
        synchronized boolean isMember(PeerId peer) {
            for (int i = events.size() - 1; i >= 0; i--) {
                if (events.get(i).equals("joined " + peer)) {
                    return true;
                }
                if (events.get(i).equals("left " + peer)) {
                    return false;
                }
            }
            return false;
        }
    }

    @BeforeEach
    void startServer() throws Exception {
        server = new TestServer(List.of("stun:stun.invalid:3478"));
    }

    @AfterEach
    void stopEverything() {
        transports.forEach(WebSocketTransport::close);
        server.close();
    }

    private WebSocketTransport started(RoomEvents room, RecordingListener events) {
        WebSocketTransport transport = server.transport(ROOM, PeerIdentity.generate());
        transports.add(transport);
        transport.signalListener(room);
        transport.start(events);
        return transport;
    }

    @Test
    void membersOutliveTheConnectionToTheServerAndThoseGoneMeanwhileAreReportedLeft() throws Exception {
        RoomEvents aliceRoom = new RoomEvents();
        RecordingListener aliceEvents = new RecordingListener();
        WebSocketTransport alice = started(aliceRoom, aliceEvents);
        WebSocketTransport bob = started(new RoomEvents(), new RecordingListener());
        WebSocketTransport carol = started(new RoomEvents(), new RecordingListener());
        Await.until(
                "Alice hears of Bob and Carol",
                () -> aliceRoom.isMember(bob.self()) && aliceRoom.isMember(carol.self()),
                () -> aliceRoom.snapshot().toString());
        assertEquals("ice 1", aliceRoom.snapshot().get(0), "the welcome's ICE servers come first");

        server.stop();
        Await.until(
                "Alice's relay reports both disconnected",
                () -> !aliceEvents.isConnectedTo(bob.self()) && !aliceEvents.isConnectedTo(carol.self()));
        assertTrue(
                aliceRoom.isMember(bob.self()) && aliceRoom.isMember(carol.self()),
                "losing the server is not losing the members: " + aliceRoom.snapshot());
        carol.close();

        server.start();
        Await.until("Alice is back with Bob", () -> aliceEvents.isConnectedTo(bob.self()));
        Await.until(
                "Carol, gone meanwhile, is reported left",
                () -> !aliceRoom.isMember(carol.self()),
                () -> aliceRoom.snapshot().toString());
        assertTrue(aliceRoom.isMember(bob.self()), aliceRoom.snapshot().toString());
        assertEquals(2, aliceRoom.count("ice 1"), "one onIceServers per welcome: " + aliceRoom.snapshot());
        assertEquals(
                1,
                aliceRoom.count("joined " + carol.self()),
                aliceRoom.snapshot().toString());

        bob.close();
        Await.until(
                "Bob, who left cleanly, is reported left",
                () -> !aliceRoom.isMember(bob.self()),
                () -> aliceRoom.snapshot().toString());
        assertTrue(alice.isInRoom());
    }
}
