package dev.ensemble.piano.bot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorProps;
import dev.ensemble.piano.PianoFixture;
import dev.ensemble.piano.PianoFixture.Member;
import dev.ensemble.piano.session.PianoSession;
import dev.ensemble.piano.sound.TimedMidi;
import dev.ensemble.testkit.Await;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BotPlayerTest {
    private final PianoFixture fixture = new PianoFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    private static Melody fourNotes() {
        return Melody.of(
                "four",
                List.of(
                        new MelodyNote(Duration.ZERO, Duration.ofMillis(40), 60, 90),
                        new MelodyNote(Duration.ofMillis(50), Duration.ofMillis(40), 62, 90),
                        new MelodyNote(Duration.ofMillis(100), Duration.ofMillis(40), 64, 90),
                        new MelodyNote(Duration.ofMillis(150), Duration.ofMillis(40), 60, 90)));
    }

    private ActorClient<BotActions, BotState> bot(Member member, Melody melody, boolean loop) {
        String id = member.player().id();
        return fixture.system()
                .spawn(
                        BotPlayer.token(id),
                        () -> new BotPlayer(melody, PianoSession.token(id), loop),
                        ActorProps.defaults(),
                        PianoSession.token(id));
    }

    @Test
    void playsItsMelodyOnceInOrderAndLeavesNothingHeld() {
        Member alice = fixture.join("alice");
        Member bob = fixture.join("bob");
        ActorClient<BotActions, BotState> bot = bot(alice, fourNotes(), false);

        bot.actions().start();

        Await.until("the bot finishes", () -> bot.state().finished());
        assertEquals(4, bot.state().notesPlayed());
        Await.until(
                "bob heard four notes and nothing is held",
                () -> bob.piano().state().notesHeard() == 4
                        && bob.piano().state().litKeys().isEmpty());
        List<Integer> keys =
                alice.recording().noteOns().stream().map(TimedMidi::data1).toList();
        assertEquals(List.of(60, 62, 64, 60), keys);
        List<TimedMidi> ons = alice.recording().noteOns();
        long spanMicros = ons.get(3).micros() - ons.get(0).micros();
        // The first message to a fresh sound engine may be late (class loading); the rest keep time.
        assertTrue(spanMicros >= 100_000, "the notes keep their timing, span was " + spanMicros + " us");
    }

    @Test
    void loopsUntilStoppedAndReleasesItsKeysWhenStopped() {
        Member alice = fixture.join("alice");
        ActorClient<BotActions, BotState> bot = bot(alice, fourNotes(), true);

        bot.actions().start();
        Await.until("the bot loops twice", () -> bot.state().loops() >= 2);
        bot.actions().stop();

        Await.until("the bot stops", () -> !bot.state().playing());
        Await.until("nothing is held", () -> alice.piano().state().litKeys().isEmpty());
        assertTrue(alice.piano().state().notesSent() >= 8);
    }
}
