package dev.ensemble.piano.room;

import static dev.ensemble.piano.room.SimPianoRooms.playerId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.collab.sim.NetworkSimulator;
import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorProps;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.piano.model.Instrument;
import dev.ensemble.piano.model.Player;
import dev.ensemble.piano.model.TransportKind;
import dev.ensemble.piano.session.PianoActions;
import dev.ensemble.piano.session.PianoSession;
import dev.ensemble.piano.session.PianoState;
import dev.ensemble.piano.sound.SoundActions;
import dev.ensemble.piano.sound.SoundEngine;
import dev.ensemble.piano.sound.SoundOutput;
import dev.ensemble.piano.sound.SoundState;
import dev.ensemble.piano.sound.TimedMidi;
import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.transport.TestPeers;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.sound.midi.ShortMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Whole pianos (session and silent, recording sound engine) over network rooms with their default
 * configuration: actors on the shared pool, the settings document on its own thread, real timers.
 * The test thread delivers the simulator's traffic while it waits.
 */
class NetworkPianoSessionTest {
    private final NetworkSimulator network =
            NetworkSimulator.builder().seed(NetworkSimulator.chooseSeed()).build();
    private final ActorSystem pianos = ActorSystem.builder("network-pianos").start();
    private final List<NetworkPianoRoom> rooms = new ArrayList<>();

    private record Piano(
            Player player,
            ActorClient<PianoActions, PianoState> session,
            ActorClient<SoundActions, SoundState> sound) {}

    @AfterEach
    void close() {
        pianos.close();
        rooms.forEach(NetworkPianoRoom::close);
    }

    @Test
    void aPlayerWhoVanishesHasItsHeldNotesReleasedAndTheSettingsReachEveryone() {
        Piano alice = join("alice", 0);
        Piano bob = join("bob", 1);
        until("alice sees bob", () -> present(alice, "bob"));
        until("bob sees alice", () -> present(bob, "alice"));

        alice.session().actions().metronome(true, 150, 3).join();
        until(
                "bob sees alice's metronome",
                () -> bob.session().state().settings().tempoBpm() == 150);

        bob.session().actions().pedal(true);
        bob.session().actions().press(60, 90);
        bob.session().actions().press(64, 90);
        until("alice hears both of bob's notes", () -> alice.session().state().notesHeard() == 2);
        assertEquals(
                Integer.valueOf(bob.player().colorRgb()),
                alice.session().state().litKeys().get(60));

        network.goOffline(TestPeers.id("bob"));

        until(
                "bob's keys go dark at alice",
                () -> alice.session().state().litKeys().isEmpty() && !present(alice, "bob"));
        List<Integer> released = alice.sound().actions().recording().join().events().stream()
                .filter(e -> e.command() == ShortMessage.NOTE_OFF)
                .map(TimedMidi::data1)
                .toList();
        assertTrue(released.containsAll(List.of(60, 64)), "alice released bob's notes: " + released);
    }

    private Piano join(String name, int index) {
        String id = playerId(name);
        Player player = new Player(id, name, Player.paletteColor(index), Instrument.PIANO, TransportKind.LOCAL);
        NetworkPianoRoom room = NetworkPianoRoom.builder(TestPeers.id(name), player)
                .transport(network.transportFor(TestPeers.id(name)))
                .join();
        rooms.add(room);
        pianos.spawn(
                SoundEngine.token(id),
                () -> new SoundEngine(() -> SoundOutput.silent("test"), true),
                SoundEngine.PROPS);
        ActorClient<PianoActions, PianoState> session = pianos.spawn(
                PianoSession.token(id), () -> new PianoSession(room), ActorProps.defaults(), SoundEngine.token(id));
        return new Piano(player, session, pianos.client(SoundEngine.token(id)));
    }

    /** Waits for a condition, delivering the simulated network's traffic meanwhile. */
    private void until(String what, BooleanSupplier condition) {
        Await.until(what + " (seed " + network.seed() + ")", () -> {
            network.runUntilQuiet(100_000);
            return condition.getAsBoolean();
        });
    }

    private static boolean present(Piano piano, String name) {
        return piano.session().state().players().stream()
                .anyMatch(v -> v.player().id().equals(playerId(name)));
    }
}
