package dev.ensemble.collab.ephemeral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.collab.ephemeral.EphemeralRoom.Note;
import dev.ensemble.collab.sim.LinkConditions;
import dev.ensemble.collab.sim.NetworkSimulator;
import dev.ensemble.core.ActionFailed;
import dev.ensemble.core.ActorEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a channel does with bad input from a peer, and with bad calls from its own application:
 * the message is dropped with an error naming the culprit, and everything else carries on.
 */
class EphemeralBadInputTest {
    private static final byte[] GOOD_NOTE = "{\"sender\":\"mallory\",\"index\":1}".getBytes(StandardCharsets.UTF_8);

    private EphemeralRoom room;
    private Mallory mallory;

    @BeforeEach
    void setUp() {
        NetworkSimulator network = NetworkSimulator.builder()
                .seed(1)
                .conditions(
                        LinkConditions.builder().latency(Duration.ofMillis(5)).build())
                .build();
        room = new EphemeralRoom(network, 2);
        mallory = new Mallory(network, "mallory");
    }

    @AfterEach
    void tearDown() {
        room.close();
    }

    @Test
    void aTruncatedMessageIsDroppedWithAnErrorNamingThePeer() {
        mallory.sendRaw(room.peer(0).id, "", new byte[] {1, 2, 3});
        assertOnlyError(
                "dropped a malformed ephemeral message of 3 bytes from " + mallory.id + ": an ephemeral frame needs"
                        + " at least 19 bytes (header and a topic), was 3",
                null);
        assertOthersUnaffected();
    }

    @Test
    void aMessageOfAnotherVersionIsDroppedWithAnErrorNamingThePeer() {
        byte[] frame = new Frame(1, 1, "notes", GOOD_NOTE).encode();
        frame[0] = 2;
        mallory.sendRaw(room.peer(0).id, "", frame);
        assertOnlyError(
                "dropped a malformed ephemeral message of " + frame.length + " bytes from " + mallory.id + ":"
                        + " unsupported ephemeral frame version 2 at offset 0: this peer speaks version 1 only",
                null);
        assertOthersUnaffected();
    }

    @Test
    void aTopicLengthBeyondTheFrameIsDroppedWithAnErrorNamingThePeer() {
        byte[] frame = new Frame(1, 1, "notes", new byte[0]).encode();
        frame[17] = 9;
        mallory.sendRaw(room.peer(0).id, "", frame);
        assertOnlyError(
                "dropped a malformed ephemeral message of 23 bytes from " + mallory.id + ": topic length at offset 17"
                        + " must be 1..5 for a frame of 23 bytes, was 9",
                null);
        assertOthersUnaffected();
    }

    @Test
    void anOversizedMessageIsDroppedWithAnErrorNamingThePeer() {
        mallory.sendFrame(room.peer(0).id, "", "pings", new byte[17]);
        assertOnlyError(
                "dropped an oversized message from " + mallory.id + " on topic \"pings\": at most 16 bytes, was 17",
                "pings");
        assertOthersUnaffected();
    }

    @Test
    void aMessageOnAnUnknownTopicIsDroppedWithAnErrorNamingThePeer() {
        mallory.sendFrame(room.peer(0).id, "", "cursors", GOOD_NOTE);
        assertOnlyError(
                "dropped a message from " + mallory.id
                        + " on unknown topic \"cursors\" (this channel has [notes, pings])",
                "cursors");
        assertOthersUnaffected();
    }

    @Test
    void aMessageItsCodecCannotDecodeIsDroppedWithAnErrorNamingThePeer() {
        mallory.sendFrame(room.peer(0).id, "", "notes", "{\"sender\":".getBytes(StandardCharsets.UTF_8));
        List<EphemeralError> errors = room.peer(0).channelErrors();
        assertEquals(1, errors.size(), errors.toString());
        assertEquals(mallory.id, errors.get(0).peer());
        assertEquals("notes", errors.get(0).topic());
        assertTrue(
                errors.get(0)
                        .reason()
                        .startsWith("dropped an undecodable message from " + mallory.id
                                + " on topic \"notes\" (json(Note)): "),
                errors.get(0).reason());
        assertOthersUnaffected();
    }

    @Test
    void sendingOnATopicThatIsNotRegisteredFailsTheCallAndSendsNothing() {
        List<ActorEvent> failures = failuresOf(room.peer(0));
        room.peer(0).channel.actions().broadcast(Topic.bytes("cursors"), new byte[] {1});
        room.network.runUntilQuiet(1_000_000);
        assertEquals(1, failures.size());
        ActionFailed failed =
                assertInstanceOf(ActionFailed.class, failures.get(0).payload());
        assertEquals(
                "topic \"cursors\" is not registered on channel \"\" (registered: [notes, pings]); add it with"
                        + " EphemeralSettings.Builder.topic()",
                failed.cause().getMessage());
        assertEquals(List.of(), room.peer(1).channelEvents);
        assertEquals(0, room.peer(0).channel.state().sent());
    }

    @Test
    void sendingAMessageLargerThanItsTopicAllowsFailsTheCallAndSendsNothing() {
        List<ActorEvent> failures = failuresOf(room.peer(0));
        room.peer(0).channel.actions().send(room.peer(1).id, EphemeralRoom.PINGS, new byte[17]);
        room.network.runUntilQuiet(1_000_000);
        assertEquals(1, failures.size());
        ActionFailed failed =
                assertInstanceOf(ActionFailed.class, failures.get(0).payload());
        assertEquals(
                "a message on topic \"pings\" must be at most 16 bytes encoded, was 17: send less, or raise the"
                        + " topic's maxPayloadBytes on every peer",
                failed.cause().getMessage());
        assertEquals(List.of(), room.peer(1).channelEvents);
    }

    private static List<ActorEvent> failuresOf(EphemeralRoom.Peer peer) {
        List<ActorEvent> failures = Collections.synchronizedList(new ArrayList<>());
        peer.channel.onEvent(ActorEvent.ACTION_FAILED, failures::add);
        return failures;
    }

    private void assertOnlyError(String reason, String topic) {
        List<EphemeralError> errors = room.peer(0).channelErrors();
        assertEquals(1, errors.size(), errors.toString());
        EphemeralError error = errors.get(0);
        assertEquals(mallory.id, error.peer(), "the error names the peer");
        assertEquals("", error.channel());
        if (topic == null) {
            assertNull(error.topic());
        } else {
            assertEquals(topic, error.topic());
        }
        assertEquals(reason, error.reason());
        assertEquals(1, room.peer(0).channel.state().rejected());
        assertEquals(0, room.peer(0).channel.state().delivered());
    }

    /** The same channel still delivers: from another peer, and from the culprit once it behaves. */
    private void assertOthersUnaffected() {
        room.peer(1).channel.actions().broadcast(EphemeralRoom.NOTES, new Note("peer-1", 0));
        room.network.runUntilQuiet(1_000_000);
        mallory.sendFrame(room.peer(0).id, "", "notes", GOOD_NOTE);
        assertEquals(1, room.peer(0).notesFrom(room.peer(1).id).size(), "another peer is unaffected");
        assertEquals(
                List.of(new Note("mallory", 1)),
                room.peer(0).notesFrom(mallory.id).stream()
                        .map(EphemeralMessage::message)
                        .toList(),
                "the culprit's next good message is delivered");
    }
}
