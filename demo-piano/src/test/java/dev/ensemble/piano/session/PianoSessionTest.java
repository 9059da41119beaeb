package dev.ensemble.piano.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.core.ActionFailed;
import dev.ensemble.core.ActorEvent;
import dev.ensemble.piano.PianoFixture;
import dev.ensemble.piano.PianoFixture.Member;
import dev.ensemble.piano.latency.LatencyCompensation;
import dev.ensemble.piano.model.Instrument;
import dev.ensemble.piano.model.RoomSettings;
import dev.ensemble.piano.sound.SoundActions;
import dev.ensemble.piano.sound.TimedMidi;
import dev.ensemble.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sound.midi.ShortMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PianoSessionTest {
    private final PianoFixture fixture = new PianoFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    private static boolean present(Member member, String peerId) {
        return member.piano().state().players().stream()
                .anyMatch(v -> v.player().id().equals(peerId));
    }

    private static List<TimedMidi> on(Member member, int command, int channel) {
        return member.recording().events().stream()
                .filter(e -> e.command() == command && e.channel() == channel)
                .toList();
    }

    private static int channelOfPeer(Member listener, String peerId) {
        // Each player gets channel 0; peers the next free channels in order of arrival.
        List<String> order = listener.piano().state().players().stream()
                .map(v -> v.player().id())
                .toList();
        int channel = order.indexOf(peerId);
        return channel >= SoundActions.PERCUSSION_CHANNEL ? channel + 1 : channel;
    }

    @Test
    void everyoneHearsAPlayersNotesOnThatPlayersChannelAndKeysLightInTheirColour() {
        Member alice = fixture.join("alice");
        Member bob = fixture.join("bob");
        Await.until("alice sees bob", () -> present(alice, "bob"));

        bob.piano().actions().press(60, 100);
        Await.until("alice hears bob's note", () -> alice.piano().state().notesHeard() == 1);

        assertEquals(
                Integer.valueOf(bob.player().colorRgb()),
                alice.piano().state().litKeys().get(60));
        int bobChannel = channelOfPeer(alice, "bob");
        assertEquals(1, on(alice, ShortMessage.NOTE_ON, bobChannel).size());
        assertEquals(1, bob.piano().state().notesSent());
        // A player's own notes are held back by the latency compensation too (so that everyone
        // hears them at about the same time): bob hears himself soon, not necessarily yet.
        Await.until("bob hears himself", () -> bob.piano().state().notesHeard() == 1);

        bob.piano().actions().release(60);
        Await.until(
                "the key goes dark at alice",
                () -> alice.piano().state().litKeys().isEmpty());
    }

    @Test
    void aPeerThatVanishesHasEveryHeldNoteReleasedAndItsChannelSilenced() {
        Member alice = fixture.join("alice");
        Member bob = fixture.join("bob");
        Await.until("alice sees bob", () -> present(alice, "bob"));
        int bobChannel = channelOfPeer(alice, "bob");
        bob.piano().actions().pedal(true);
        bob.piano().actions().press(60, 90);
        bob.piano().actions().press(64, 90);
        Await.until("alice hears both notes", () -> alice.piano().state().notesHeard() == 2);

        bob.room().close();

        Await.until(
                "bob's keys go dark at alice",
                () -> alice.piano().state().litKeys().isEmpty() && !present(alice, "bob"));
        List<Integer> released = on(alice, ShortMessage.NOTE_OFF, bobChannel).stream()
                .map(TimedMidi::data1)
                .toList();
        assertEquals(List.of(60, 64), released);
        List<TimedMidi> controls = on(alice, ShortMessage.CONTROL_CHANGE, bobChannel);
        TimedMidi last = controls.get(controls.size() - 1);
        assertEquals(123, last.data1(), "all notes off ends the silencing");
        assertTrue(controls.stream().anyMatch(c -> c.data1() == 64 && c.data2() == 0), "the pedal is released");
    }

    @Test
    void releasingEverythingOnFocusLossReleasesThisPlayersNotesForEveryone() {
        Member alice = fixture.join("alice");
        Member bob = fixture.join("bob");
        Await.until("bob sees alice", () -> present(bob, "alice"));
        alice.piano().actions().press(60, 90);
        alice.piano().actions().press(67, 90);
        alice.piano().actions().pedal(true);
        Await.until("bob hears alice", () -> bob.piano().state().litKeys().size() == 2);

        alice.piano().actions().releaseEverything();

        Await.until(
                "alice's keys go dark at bob",
                () -> bob.piano().state().litKeys().isEmpty());
        Await.until(
                "alice's keys go dark at alice",
                () -> alice.piano().state().litKeys().isEmpty());
        int aliceChannel = channelOfPeer(bob, "alice");
        Await.until(
                "bob hears the pedal come up",
                () -> on(bob, ShortMessage.CONTROL_CHANGE, aliceChannel).stream()
                        .anyMatch(c -> c.data1() == 64 && c.data2() == 0));
    }

    @Test
    void leavingReleasesHeldNotesEverywhereAndEndsWithASummary() {
        Member alice = fixture.join("alice");
        Member bob = fixture.join("bob");
        Await.until("bob sees alice", () -> present(bob, "alice"));
        alice.piano().actions().press(60, 90);
        Await.until("bob hears alice", () -> bob.piano().state().notesHeard() == 1);

        SessionSummary summary = alice.piano().actions().leave().join();

        assertEquals(1, summary.notesSent());
        Await.until(
                "alice's key goes dark at bob",
                () -> bob.piano().state().litKeys().isEmpty());
        assertTrue(alice.piano().state().litKeys().isEmpty());
        SessionSummary bobs = bob.piano().actions().summary().join();
        assertEquals(1, bobs.peers().get(0).notesReceived());
        assertEquals("alice", bobs.peers().get(0).peerId());
    }

    @Test
    void aBadKeyFailsThatCallWithItsValueAndThePianoKeepsPlaying() {
        Member alice = fixture.join("alice");
        List<ActorEvent> failures = new CopyOnWriteArrayList<>();
        alice.piano().onEvent(ActorEvent.ACTION_FAILED, failures::add);

        alice.piano().actions().press(200, 90);
        alice.piano().actions().press(60, 0);
        alice.piano().actions().press(60, 90);

        Await.until("two failures reported", () -> failures.size() == 2);
        Await.until("the good note is heard", () -> alice.piano().state().notesHeard() == 1);
        assertTrue(
                ((ActionFailed) failures.get(0).payload())
                        .cause()
                        .getMessage()
                        .contains("a MIDI key must be 0 to 127, but was 200"),
                failures.toString());
        assertTrue(
                ((ActionFailed) failures.get(1).payload())
                        .cause()
                        .getMessage()
                        .contains("a note-on velocity must be 1 to 127, but was 0"),
                failures.toString());
    }

    @Test
    void aPlayersInstrumentIsProgrammedOnTheirChannelForEveryone() {
        Member alice = fixture.join("alice");
        Member bob = fixture.join("bob");
        Await.until("alice sees bob", () -> present(alice, "bob"));

        bob.piano().actions().chooseInstrument(Instrument.ORGAN);

        int bobChannel = channelOfPeer(alice, "bob");
        Await.until(
                "alice programs bob's channel with the organ",
                () -> on(alice, ShortMessage.PROGRAM_CHANGE, bobChannel).stream()
                        .anyMatch(p -> p.data1() == Instrument.ORGAN.program()));
        Await.until(
                "alice's list shows the organ",
                () -> alice.piano().state().players().stream()
                        .anyMatch(
                                v -> v.player().id().equals("bob") && v.player().instrument() == Instrument.ORGAN));
    }

    @Test
    void theMetronomeLeadersClicksAreHeardByEveryoneWithTheFirstBeatAccented() {
        Member alice = fixture.join("alice");
        Member bob = fixture.join("bob");
        Await.until("bob sees alice", () -> present(bob, "alice"));

        RoomSettings settings = alice.piano().actions().metronome(true, 240, 3).join();
        assertEquals("alice", settings.metronomeLeader());

        Await.until(
                "bob hears four clicks",
                () -> on(bob, ShortMessage.NOTE_ON, SoundActions.PERCUSSION_CHANNEL)
                                .size()
                        >= 4);
        List<Integer> clicks = on(bob, ShortMessage.NOTE_ON, SoundActions.PERCUSSION_CHANNEL).stream()
                .map(TimedMidi::data1)
                .toList();
        assertEquals(List.of(76, 77, 77, 76), clicks.subList(0, 4), "accent on beat one of three");
        Await.until(
                "alice hears her own clicks",
                () -> !on(alice, ShortMessage.NOTE_ON, SoundActions.PERCUSSION_CHANNEL)
                        .isEmpty());

        bob.piano().actions().metronome(false, 240, 3).join();
        Await.until(
                "alice sees it stopped", () -> !alice.piano().state().settings().metronomeOn());
        int heard =
                on(bob, ShortMessage.NOTE_ON, SoundActions.PERCUSSION_CHANNEL).size();
        // Sync point: a note from alice arrives after any click she sent before stopping.
        alice.piano().actions().press(60, 90);
        Await.until("bob hears alice's note", () -> bob.piano().state().notesHeard() == 1);
        Duration quarterBeat = Duration.ofMillis(62);
        long deadline = System.nanoTime() + quarterBeat.multipliedBy(8).toNanos();
        Await.until("two beats pass", Duration.ofSeconds(2), () -> System.nanoTime() - deadline > 0);
        assertTrue(
                on(bob, ShortMessage.NOTE_ON, SoundActions.PERCUSSION_CHANNEL).size() <= heard + 1,
                "the metronome stopped clicking");
    }

    @Test
    void theMetronomeStopsWhenItsLeaderVanishes() {
        Member alice = fixture.join("alice");
        Member bob = fixture.join("bob");
        Await.until("bob sees alice", () -> present(bob, "alice"));
        alice.piano().actions().metronome(true, 120, 4).join();
        Await.until(
                "bob sees the metronome on",
                () -> bob.piano().state().settings().metronomeOn());

        alice.room().close();

        Await.until(
                "bob sees the metronome off",
                () -> !bob.piano().state().settings().metronomeOn());
    }

    @Test
    void aBadTempoIsRefusedWithItsValue() {
        Member alice = fixture.join("alice");
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(
                CompletionException.class,
                () -> alice.piano().actions().metronome(true, 300, 4).join());
        assertEquals("tempo must be 40 to 240 BPM, but was 300", e.getCause().getMessage());
        assertEquals(RoomSettings.DEFAULT, alice.room().settings());
    }

    @Test
    void peersWithinRangeAreCompensatedFromMeasuredLatency() {
        Member alice = fixture.join("alice", Duration.ofMillis(5));
        Member bob = fixture.join("bob", Duration.ofMillis(20));
        Await.until("both measured each other", () -> measured(alice, "bob") && measured(bob, "alice"));

        for (Member member : List.of(alice, bob)) {
            PianoState state = member.piano().state();
            PeerView self = state.players().get(0);
            PeerView peer = state.players().get(1);
            assertTrue(self.self());
            if (LatencyCompensation.compensated(peer.latency())) {
                assertEquals(peer.latency(), self.delay(), "own notes wait for the only peer's latency");
                assertEquals(Duration.ZERO, peer.delay(), "the furthest peer's notes play at once");
            } else {
                // A loaded machine stretched the measured latency past 60 ms: nothing is delayed.
                assertEquals(Duration.ZERO, self.delay(), state.toString());
            }
        }
    }

    @Test
    void ownNotesWaitForTheRoomsLatencyBeforeTheyAreHeard() {
        Member alice = fixture.join("alice", Duration.ofMillis(10));
        fixture.join("bob", Duration.ofMillis(20));
        Await.until(
                "alice compensates for bob",
                () -> alice.piano().state().players().get(0).delay().toMillis() >= 25);
        Duration delay = alice.piano().state().players().get(0).delay();

        long pressed = System.nanoTime();
        alice.piano().actions().press(60, 90);
        Await.until("alice hears her note", () -> alice.piano().state().notesHeard() == 1);
        Duration waited = Duration.ofNanos(System.nanoTime() - pressed);

        assertTrue(
                waited.compareTo(delay.minusMillis(5)) >= 0,
                "heard after " + waited.toMillis() + " ms, but the compensation delay was " + delay.toMillis() + " ms");
    }

    private static boolean measured(Member member, String peerId) {
        return member.piano().state().players().stream()
                .anyMatch(v -> v.player().id().equals(peerId) && v.latency().toMillis() >= 25);
    }
}
