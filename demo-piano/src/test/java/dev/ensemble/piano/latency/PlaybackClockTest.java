package dev.ensemble.piano.latency;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PlaybackClockTest {
    @Test
    void playsAtNowPlusDelay() {
        PlaybackClock clock = new PlaybackClock();
        assertEquals(1_030_000_000L, clock.playAt("bob", 1_000_000_000L, Duration.ofMillis(30)));
    }

    @Test
    void neverPlaysAPlayersMessageBeforeTheirPreviousOneWhenTheDelayShrinks() {
        PlaybackClock clock = new PlaybackClock();
        long noteOn = clock.playAt("bob", 0, Duration.ofMillis(50));
        long noteOff = clock.playAt("bob", 5_000_000, Duration.ofMillis(10));
        assertEquals(50_000_000, noteOn);
        assertEquals(50_000_000, noteOff, "the note-off waits for its note-on");
        assertEquals(
                20_000_000, clock.playAt("carol", 5_000_000, Duration.ofMillis(15)), "other players are not held back");
    }

    @Test
    void forgetsAPlayerWhoLeft() {
        PlaybackClock clock = new PlaybackClock();
        clock.playAt("bob", 0, Duration.ofSeconds(1));
        clock.forget("bob");
        assertEquals(10, clock.playAt("bob", 10, Duration.ZERO));
    }
}
