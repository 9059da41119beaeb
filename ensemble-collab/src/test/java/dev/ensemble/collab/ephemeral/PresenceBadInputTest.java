package dev.ensemble.collab.ephemeral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.collab.ephemeral.EphemeralRoom.Player;
import dev.ensemble.collab.sim.LinkConditions;
import dev.ensemble.collab.sim.NetworkSimulator;
import dev.ensemble.collab.wire.Envelope;
import dev.ensemble.collab.wire.EnvelopeCodec;
import dev.ensemble.core.ActionFailed;
import dev.ensemble.core.ActorEvent;
import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.transport.PeerId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a presence actor does with bad announcements: dropped with an error naming the peer, or
 * ignored when the sender is not in the room; the room's presence carries on.
 */
class PresenceBadInputTest {
    private static final String CHANNEL = PresenceSettings.DEFAULT_CHANNEL;
    private static final byte[] MALLORY =
            "{\"name\":\"Mallory\",\"colour\":\"#000000\"}".getBytes(StandardCharsets.UTF_8);

    private EphemeralRoom room;
    private Mallory mallory;
    private UnannouncedTransport unannounced;

    @BeforeEach
    void setUp() {
        NetworkSimulator network = NetworkSimulator.builder()
                .seed(1)
                .conditions(
                        LinkConditions.builder().latency(Duration.ofMillis(5)).build())
                .build();
        unannounced = new UnannouncedTransport();
        room = new EphemeralRoom(network, 2, List.of(unannounced));
        mallory = new Mallory(network, "mallory");
        room.peer(1).presence.actions().update(new Player("Bob", "#0088ff"));
        network.runUntilQuiet(1_000_000);
    }

    @AfterEach
    void tearDown() {
        room.close();
    }

    @Test
    void aMalformedAnnouncementIsDroppedWithAnErrorNamingThePeer() {
        mallory.sendRaw(room.peer(0).id, CHANNEL, new byte[] {1, 0});
        assertOnlyError(
                null,
                "dropped a malformed presence message of 2 bytes from " + mallory.id + ": an ephemeral frame"
                        + " needs at least 19 bytes (header and a topic), was 2");
        assertRoomUnaffected();
    }

    @Test
    void anOversizedAnnouncementIsDroppedWithAnErrorNamingThePeer() {
        mallory.sendFrame(room.peer(0).id, CHANNEL, "presence", new byte[PresenceSettings.DEFAULT_MAX_STATE_BYTES + 1]);
        assertOnlyError(
                "presence",
                "dropped an oversized presence state from " + mallory.id + ": at most 4096 bytes, was 4097");
        assertRoomUnaffected();
    }

    @Test
    void anAnnouncementOnAnUnknownTopicIsDroppedWithAnErrorNamingThePeer() {
        mallory.sendFrame(room.peer(0).id, CHANNEL, "hello", MALLORY);
        assertOnlyError(
                "hello",
                "dropped a presence message from " + mallory.id + " on unknown topic \"hello\" (expected"
                        + " \"presence\" or \"bye\")");
        assertRoomUnaffected();
    }

    @Test
    void anUndecodableStateIsDroppedWithAnErrorNamingThePeer() {
        mallory.sendFrame(room.peer(0).id, CHANNEL, "presence", "[1,2".getBytes(StandardCharsets.UTF_8));
        List<EphemeralError> errors = errors();
        assertEquals(1, errors.size(), errors.toString());
        assertEquals(mallory.id, errors.get(0).peer());
        assertTrue(
                errors.get(0)
                        .reason()
                        .startsWith("dropped an undecodable presence state from " + mallory.id + " (json(Player)): "),
                errors.get(0).reason());
        assertRoomUnaffected();
    }

    @Test
    void anAnnouncementFromAPeerNotInTheRoomIsIgnored() {
        PeerId stranger = TestPeers.id("stranger");
        unannounced.deliver(
                stranger,
                EnvelopeCodec.encode(Envelope.ephemeral(CHANNEL, new Frame(1, 1, "presence", MALLORY).encode())));
        room.network.runUntilQuiet(1_000_000);

        assertEquals(
                List.of(room.peer(1).id),
                List.copyOf(room.peer(0).presence.state().peers().keySet()),
                "the stranger does not appear");
        assertEquals(
                List.of(),
                room.peer(0).presenceEvents(PresenceEvents.APPEARED).stream()
                        .filter(e -> ((PeerPresence<?>) e.payload()).peer().equals(stranger))
                        .toList());
        assertEquals(List.of(), errors(), "ignored, not an error");
        assertRoomUnaffected();
    }

    @Test
    void publishingAStateLargerThanAllowedFailsTheCallAndPublishesNothing() {
        List<ActorEvent> failures = Collections.synchronizedList(new ArrayList<>());
        room.peer(0).presence.onEvent(ActorEvent.ACTION_FAILED, failures::add);
        room.peer(0).presence.actions().update(new Player("x".repeat(5000), "#000000"));
        room.network.runUntilQuiet(1_000_000);

        assertEquals(1, failures.size());
        ActionFailed failed =
                assertInstanceOf(ActionFailed.class, failures.get(0).payload());
        assertEquals(
                "a presence state must be at most 4096 bytes encoded, was 5030: publish less, or raise"
                        + " maxStateBytes on every peer",
                failed.cause().getMessage());
        assertNull(room.peer(0).presence.state().own());
        assertEquals(false, room.peer(1).sees(room.peer(0).id));
    }

    private List<EphemeralError> errors() {
        return room.peer(0).presenceEvents(PresenceEvents.ERROR).stream()
                .map(e -> (EphemeralError) e.payload())
                .toList();
    }

    private void assertOnlyError(String topic, String reason) {
        List<EphemeralError> errors = errors();
        assertEquals(1, errors.size(), errors.toString());
        assertEquals(new EphemeralError(mallory.id, CHANNEL, topic, reason), errors.get(0));
        assertEquals(false, room.peer(0).sees(mallory.id));
    }

    /** Presence from the others still flows, and the culprit's next good announcement is taken. */
    private void assertRoomUnaffected() {
        Player renamed = new Player("Bob B.", "#0088ff");
        room.peer(1).presence.actions().update(renamed);
        room.network.runUntilQuiet(1_000_000);
        assertEquals(
                renamed,
                room.peer(0).presence.state().of(room.peer(1).id).orElseThrow().state());
        mallory.sendFrame(room.peer(0).id, CHANNEL, "presence", MALLORY);
        assertEquals(
                new Player("Mallory", "#000000"),
                room.peer(0).presence.state().of(mallory.id).orElseThrow().state());
    }
}
