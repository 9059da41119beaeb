package dev.ensemble.piano.room;

import static dev.ensemble.piano.room.SimPianoRooms.playerId;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ensemble.collab.ephemeral.ChannelStatus;
import dev.ensemble.collab.ephemeral.Ephemeral;
import dev.ensemble.collab.ephemeral.EphemeralChannel;
import dev.ensemble.collab.ephemeral.EphemeralSettings;
import dev.ensemble.collab.ephemeral.PayloadCodec;
import dev.ensemble.collab.ephemeral.Presence;
import dev.ensemble.collab.ephemeral.PresenceActor;
import dev.ensemble.collab.ephemeral.PresenceSettings;
import dev.ensemble.collab.ephemeral.RoomPresence;
import dev.ensemble.collab.ephemeral.Topic;
import dev.ensemble.collab.peers.PeerMessaging;
import dev.ensemble.collab.peers.PeerMessagingActor;
import dev.ensemble.collab.peers.PeerMessagingSettings;
import dev.ensemble.collab.peers.Roster;
import dev.ensemble.collab.sim.NetworkSimulator;
import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorProps;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorToken;
import dev.ensemble.core.dispatch.DispatcherSelector;
import dev.ensemble.piano.model.Instrument;
import dev.ensemble.piano.model.NoteEvent;
import dev.ensemble.piano.model.Player;
import dev.ensemble.piano.model.TransportKind;
import dev.ensemble.piano.room.SimPianoRooms.Member;
import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.transport.PeerId;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A peer that joins the room's network with its own actors and sends what it likes on the
 * piano's topics: notes in another player's name, notes out of range, garbage, and a presence
 * with a blank name and an unknown instrument. Only its own valid notes are played, and the room
 * keeps working.
 */
class HostilePeerTest {
    private static final PeerId MALLORY = TestPeers.id("mallory");
    private static final ActorToken<PeerMessaging, Roster> PEERS = PeerMessaging.token("mallory-peers");
    private static final ActorToken<Ephemeral, ChannelStatus> CHANNEL = Ephemeral.token("mallory-channel");
    private static final ActorToken<Presence<PresenceCard>, RoomPresence<PresenceCard>> PRESENCE =
            Presence.token("mallory-presence");
    /** The note topic under its real name, but carrying raw bytes. */
    private static final Topic<byte[]> RAW_NOTES = new Topic<>(PianoTopics.NOTES.name(), PayloadCodec.bytes(), 1024);

    private final long seed = NetworkSimulator.chooseSeed();
    private SimPianoRooms rooms;
    private ActorSystem mallory;
    private ActorClient<Ephemeral, ChannelStatus> channel;

    @BeforeEach
    void roomWithAnIntruder() {
        rooms = new SimPianoRooms(seed, 2);
        ActorProps inline = ActorProps.defaults().withDispatcher(DispatcherSelector.callingThread());
        PeerMessagingSettings messaging = PeerMessagingSettings.builder()
                .transport(rooms.network.transportFor(MALLORY))
                .expiryCheck(SimPianoRooms.NEVER)
                .build();
        EphemeralSettings settings = EphemeralSettings.builder(PEERS)
                .channel(PianoTopics.CHANNEL)
                .topic(RAW_NOTES)
                .build();
        mallory = ActorSystem.builder("mallory")
                .add(PEERS, () -> new PeerMessagingActor(messaging), inline)
                .add(CHANNEL, () -> new EphemeralChannel(settings), inline, PEERS)
                .add(
                        PRESENCE,
                        () -> new PresenceActor<>(PresenceSettings.builder(PEERS, PayloadCodec.json(PresenceCard.class))
                                .checkInterval(SimPianoRooms.NEVER)
                                .build()),
                        inline,
                        PEERS)
                .start();
        channel = mallory.client(CHANNEL);
        mallory.client(PRESENCE).actions().update(new PresenceCard("", 0xFF0000, "KAZOO"));
        rooms.settle();
    }

    @AfterEach
    void close() {
        if (mallory != null) {
            mallory.close();
        }
        rooms.close();
    }

    @Test
    void notesSpoofedOutOfRangeOrGarbledAreDroppedAndTheRoomPlaysOn() throws Exception {
        PayloadCodec<NoteEvent> json = PayloadCodec.json(NoteEvent.class);
        channel.actions().broadcast(RAW_NOTES, json.encode(NoteEvent.on(playerId("player-1"), 60, 90)));
        channel.actions().broadcast(RAW_NOTES, json.encode(NoteEvent.on(MALLORY.toString(), 61, 90)));
        channel.actions()
                .broadcast(
                        RAW_NOTES,
                        ("{\"playerId\":\"" + MALLORY + "\",\"key\":200,\"velocity\":90,\"on\":true}")
                                .getBytes(StandardCharsets.UTF_8));
        channel.actions().broadcast(RAW_NOTES, new byte[] {(byte) 0xff, 0, 1});
        rooms.settle();

        Member alice = rooms.member(0);
        assertEquals(
                List.of(61),
                alice.heard(NoteEvent.class).stream().map(NoteEvent::key).toList(),
                "seed " + seed + ": only mallory's own valid note is played");
        Player shown = alice.room.players().get(2);
        assertEquals(
                new Player(MALLORY.toString(), MALLORY.shortForm(), 0xFF0000, Instrument.PIANO, TransportKind.LOCAL),
                shown,
                "a blank name shows the peer's short form, an unknown instrument plays the piano");

        rooms.member(1).room.send(NoteEvent.on(playerId("player-1"), 62, 90));
        rooms.settle();
        assertEquals(
                List.of(61, 62),
                alice.heard(NoteEvent.class).stream().map(NoteEvent::key).toList(),
                "the real player is still heard");
    }
}
