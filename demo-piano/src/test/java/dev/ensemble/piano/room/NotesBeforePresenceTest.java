package dev.ensemble.piano.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.collab.ephemeral.ChannelStatus;
import dev.ensemble.collab.ephemeral.Ephemeral;
import dev.ensemble.collab.ephemeral.EphemeralChannel;
import dev.ensemble.collab.ephemeral.EphemeralSettings;
import dev.ensemble.collab.ephemeral.PayloadCodec;
import dev.ensemble.collab.ephemeral.Presence;
import dev.ensemble.collab.ephemeral.PresenceActor;
import dev.ensemble.collab.ephemeral.PresenceSettings;
import dev.ensemble.collab.ephemeral.RoomPresence;
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
import dev.ensemble.piano.model.NoteEvent;
import dev.ensemble.piano.room.SimPianoRooms.Member;
import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.transport.PeerId;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A newcomer that starts playing before its presence reached the others (it sees them, they do
 * not see it yet): its first notes wait for its presence and are then heard, in order.
 */
class NotesBeforePresenceTest {
    private static final PeerId EARLY = TestPeers.id("early");
    private static final ActorToken<PeerMessaging, Roster> PEERS = PeerMessaging.token("early-peers");
    private static final ActorToken<Ephemeral, ChannelStatus> CHANNEL = Ephemeral.token("early-channel");
    private static final ActorToken<Presence<PresenceCard>, RoomPresence<PresenceCard>> PRESENCE =
            Presence.token("early-presence");

    private final long seed = NetworkSimulator.chooseSeed();
    private SimPianoRooms rooms;
    private ActorSystem early;

    @BeforeEach
    void roomWithANewcomerWithoutPresence() {
        rooms = new SimPianoRooms(seed, 2);
        ActorProps inline = ActorProps.defaults().withDispatcher(DispatcherSelector.callingThread());
        PeerMessagingSettings messaging = PeerMessagingSettings.builder()
                .transport(rooms.network.transportFor(EARLY))
                .expiryCheck(SimPianoRooms.NEVER)
                .build();
        EphemeralSettings settings = EphemeralSettings.builder(PEERS)
                .channel(PianoTopics.CHANNEL)
                .topic(PianoTopics.NOTES)
                .build();
        early = ActorSystem.builder("early")
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
        rooms.settle();
    }

    @AfterEach
    void close() {
        if (early != null) {
            early.close();
        }
        rooms.close();
    }

    @Test
    void notesSentBeforeThePresenceArrivedAreHeardInOrderOnceItHas() {
        ActorClient<Ephemeral, ChannelStatus> channel = early.client(CHANNEL);
        for (int key : new int[] {60, 62, 64}) {
            channel.actions().broadcast(PianoTopics.NOTES, NoteEvent.on(EARLY.toString(), key, 90));
        }
        rooms.settle();
        Member alice = rooms.member(0);
        assertTrue(alice.messagesFrom(EARLY.toString()).isEmpty(), "seed " + seed + ": not heard while not listed");
        assertEquals(2, alice.room.players().size(), "seed " + seed);

        early.client(PRESENCE).actions().update(new PresenceCard("Early", 0x00FF00, "ORGAN"));
        rooms.settle();

        for (Member member : List.of(rooms.member(0), rooms.member(1))) {
            assertEquals(
                    List.of(60, 62, 64),
                    member.messagesFrom(EARLY.toString()).stream()
                            .map(m -> ((NoteEvent) m).key())
                            .toList(),
                    "seed " + seed + ": heard once listed, in order");
            int listed = -1;
            int firstNote = -1;
            synchronized (member.heard) {
                for (int i = 0; i < member.heard.size(); i++) {
                    Object each = member.heard.get(i);
                    if (listed < 0
                            && each instanceof SimPianoRooms.PlayersHeard players
                            && players.players().stream().anyMatch(p -> p.id().equals(EARLY.toString()))) {
                        listed = i;
                    }
                    if (firstNote < 0
                            && each instanceof NoteEvent note
                            && note.playerId().equals(EARLY.toString())) {
                        firstNote = i;
                    }
                }
            }
            assertTrue(
                    listed >= 0 && listed < firstNote,
                    "seed " + seed + ": the player is listed before its" + " notes are heard (listed at " + listed
                            + ", first note at " + firstNote + ")");
        }
    }
}
