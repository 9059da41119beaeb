package dev.ensemble.piano.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.piano.model.Instrument;
import dev.ensemble.piano.model.NoteEvent;
import dev.ensemble.piano.model.PianoMessage;
import dev.ensemble.piano.model.Player;
import dev.ensemble.piano.model.RoomSettings;
import dev.ensemble.piano.model.TransportKind;
import dev.ensemble.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LocalRoomHubTest {
    private final LocalRoomHub hub = new LocalRoomHub("test");

    @AfterEach
    void close() {
        hub.close();
    }

    private static Player player(String id) {
        return new Player(id, id, 0x112233, Instrument.PIANO, TransportKind.WEBRTC);
    }

    /** Everything one member heard. */
    static final class Ears extends RoomListener {
        final List<PianoMessage> messages = new CopyOnWriteArrayList<>();
        final List<Player> left = new CopyOnWriteArrayList<>();
        final List<Duration> latencies = new CopyOnWriteArrayList<>();
        final List<RoomSettings> settings = new CopyOnWriteArrayList<>();
        volatile List<Player> players = List.of();

        @Override
        public void onMessage(PianoMessage message) {
            messages.add(message);
        }

        @Override
        public void onPlayers(List<Player> now) {
            players = now;
        }

        @Override
        public void onPlayerLeft(Player player) {
            left.add(player);
        }

        @Override
        public void onLatency(String peerId, Duration oneWay) {
            latencies.add(oneWay);
        }

        @Override
        public void onSettings(RoomSettings changed) {
            settings.add(changed);
        }
    }

    @Test
    void deliversMessagesToEveryoneElseInOrder() {
        PianoRoom alice = hub.join(player("alice"));
        PianoRoom bob = hub.join(player("bob"));
        Ears bobHears = new Ears();
        Ears aliceHears = new Ears();
        bob.subscribe(bobHears);
        alice.subscribe(aliceHears);

        for (int key = 60; key < 70; key++) {
            alice.send(NoteEvent.on("alice", key, 90));
        }

        Await.until("bob hears ten notes", () -> bobHears.messages.size() == 10);
        assertEquals(
                List.of(60, 61, 62, 63, 64, 65, 66, 67, 68, 69),
                bobHears.messages.stream().map(m -> ((NoteEvent) m).key()).toList());
        assertTrue(aliceHears.messages.isEmpty(), "a player does not hear their own messages from the room");
        assertEquals(TransportKind.LOCAL, alice.self().transport());
    }

    @Test
    void measuresTheSimulatedLatencyWithPings() {
        PianoRoom alice = hub.join(player("alice"), Duration.ofMillis(10));
        hub.join(player("bob"), Duration.ofMillis(15));
        Ears ears = new Ears();
        alice.subscribe(ears);

        Await.until("a ping arrives", () -> !ears.latencies.isEmpty());
        assertTrue(ears.latencies.get(0).toMillis() >= 25, ears.latencies.toString());
    }

    @Test
    void tellsOthersWhenAPlayerLeavesOrChangesInstrument() {
        PianoRoom alice = hub.join(player("alice"));
        PianoRoom bob = hub.join(player("bob"));
        Ears ears = new Ears();
        alice.subscribe(ears);

        bob.updatePresence(bob.self().withInstrument(Instrument.STRINGS));
        Await.until(
                "alice sees the strings",
                () -> ears.players.stream()
                        .anyMatch(p -> p.id().equals("bob") && p.instrument() == Instrument.STRINGS));
        bob.close();
        Await.until("alice hears bob left", () -> ears.left.size() == 1 && ears.players.size() == 1);
        bob.send(NoteEvent.on("bob", 60, 90));
        assertEquals(List.of(player("alice").withTransport(TransportKind.LOCAL)), alice.players());
    }

    @Test
    void sharesSettingsWithEveryoneAndRefusesBadOnes() {
        PianoRoom alice = hub.join(player("alice"));
        PianoRoom bob = hub.join(player("bob"));
        Ears ears = new Ears();
        bob.subscribe(ears);

        alice.updateSettings(s -> s.withTempo(180).withMetronome(true, "alice")).join();
        Await.until("bob hears the settings", () -> !ears.settings.isEmpty());
        assertEquals(180, bob.settings().tempoBpm());
        assertTrue(alice.updateSettings(s -> s.withBeatsPerBar(0)).isCompletedExceptionally());
        assertEquals(4, bob.settings().beatsPerBar());
    }

    @Test
    void refusesADuplicateIdAndMessagesOfAnotherPlayer() {
        PianoRoom alice = hub.join(player("alice"));
        IllegalArgumentException duplicate =
                assertThrows(IllegalArgumentException.class, () -> hub.join(player("alice")));
        assertEquals("player id \"alice\" is already in room \"test\": ids must be unique", duplicate.getMessage());
        IllegalArgumentException impostor =
                assertThrows(IllegalArgumentException.class, () -> alice.send(NoteEvent.on("bob", 60, 90)));
        assertTrue(impostor.getMessage().startsWith("player \"alice\" may only send its own messages"));
    }

    @Test
    void aThrowingListenerDoesNotStopTheOthers() {
        PianoRoom alice = hub.join(player("alice"));
        PianoRoom bob = hub.join(player("bob"));
        bob.subscribe(new RoomListener() {
            @Override
            public void onMessage(PianoMessage message) {
                throw new IllegalStateException("listener bug");
            }
        });
        Ears ears = new Ears();
        bob.subscribe(ears);

        alice.send(NoteEvent.on("alice", 60, 90));
        alice.send(NoteEvent.off("alice", 60));

        Await.until("the second listener hears both", () -> ears.messages.size() == 2);
    }
}
