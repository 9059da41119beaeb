package dev.ensemble.piano.room;

import static dev.ensemble.piano.room.SimPianoRooms.playerId;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ensemble.collab.sim.NetworkSimulator;
import dev.ensemble.core.dispatch.DispatcherSelector;
import dev.ensemble.piano.model.Instrument;
import dev.ensemble.piano.model.NoteEvent;
import dev.ensemble.piano.model.PianoMessage;
import dev.ensemble.piano.model.Player;
import dev.ensemble.piano.model.TransportKind;
import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.transport.PeerId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The players list shows the transport each peer is reached over, and follows it when it changes. */
class TransportShownTest {
    private final long seed = NetworkSimulator.chooseSeed();
    /** Stands for the WebRTC data channels. */
    private final NetworkSimulator direct =
            NetworkSimulator.builder().seed(seed).build();
    /** Stands for the signaling server's relay. */
    private final NetworkSimulator relay =
            NetworkSimulator.builder().seed(seed + 1).build();

    private final List<NetworkPianoRoom> rooms = new ArrayList<>();
    private final List<NoteEvent> heardByAlice = new ArrayList<>();

    @BeforeEach
    void twoPlayersWithTwoTransportsEach() {
        for (String id : List.of("alice", "bob")) {
            PeerId peer = TestPeers.id(id);
            rooms.add(NetworkPianoRoom.builder(
                            peer, new Player(playerId(id), id, 0, Instrument.PIANO, TransportKind.LOCAL))
                    .transport(new RenamedTransport("webrtc", direct.transportFor(peer)))
                    .transport(new RenamedTransport("websocket", relay.transportFor(peer)))
                    .dispatcher(DispatcherSelector.callingThread())
                    .callbackExecutor(Runnable::run)
                    .pingInterval(SimPianoRooms.NEVER)
                    .checkInterval(SimPianoRooms.NEVER)
                    .resyncInterval(SimPianoRooms.NEVER)
                    .join());
        }
        rooms.get(0).subscribe(new RoomListener() {
            @Override
            public void onMessage(PianoMessage message) {
                heardByAlice.add((NoteEvent) message);
            }
        });
        settle();
    }

    @AfterEach
    void close() {
        rooms.forEach(NetworkPianoRoom::close);
    }

    @Test
    void aPeerReachedDirectlyIsShownAsWebRtcAndAsRelayOnceOnlyTheRelayReachesIt() {
        assertEquals(TransportKind.WEBRTC, bobAsAliceSeesHim().transport(), "seed " + seed);

        direct.goOffline(TestPeers.id("bob"));
        settle();
        assertEquals(
                TransportKind.RELAY, bobAsAliceSeesHim().transport(), "seed " + seed + ": bob only over the relay");
        rooms.get(1).send(NoteEvent.on(playerId("bob"), 60, 90));
        settle();
        assertEquals(1, heardByAlice.size(), "bob's notes come over the relay");

        direct.goOnline(TestPeers.id("bob"));
        settle();
        assertEquals(TransportKind.WEBRTC, bobAsAliceSeesHim().transport(), "seed " + seed + ": back to direct");
    }

    private Player bobAsAliceSeesHim() {
        return rooms.get(0).players().stream()
                .filter(p -> p.id().equals(playerId("bob")))
                .findFirst()
                .orElseThrow(() -> new AssertionError(
                        "alice does not see bob: " + rooms.get(0).players()));
    }

    private void settle() {
        for (int i = 0; i < 3; i++) {
            direct.runUntilQuiet(1_000_000);
            relay.runUntilQuiet(1_000_000);
        }
    }
}
