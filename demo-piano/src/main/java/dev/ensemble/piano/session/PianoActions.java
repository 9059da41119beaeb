package dev.ensemble.piano.session;

import dev.ensemble.piano.model.Instrument;
import dev.ensemble.piano.model.RoomSettings;
import java.util.concurrent.CompletableFuture;

/**
 * What a player does with their piano. Tells return at once; invalid input (a key outside 0 to
 * 127, a velocity outside 1 to 127) fails that one call with a message naming the value, and the
 * piano keeps playing.
 */
public interface PianoActions {
    /**
     * A key goes down. Pressing a key already held does nothing.
     *
     * @param key MIDI key, 0 to 127
     * @param velocity 1 to 127
     */
    void press(int key, int velocity);

    /**
     * A key comes up. Releasing a key not held does nothing.
     *
     * @param key MIDI key, 0 to 127
     */
    void release(int key);

    /**
     * @param down whether the sustain pedal is pressed
     */
    void pedal(boolean down);

    /** Releases every key and the pedal this player holds (the window lost focus, a bot stopped). */
    void releaseEverything();

    /**
     * @param instrument what this player sounds like, for everyone
     */
    void chooseInstrument(Instrument instrument);

    /**
     * Changes the room's metronome; whoever turns it on leads it.
     *
     * @param on whether it clicks
     * @param tempoBpm {@value RoomSettings#MIN_TEMPO} to {@value RoomSettings#MAX_TEMPO}
     * @param beatsPerBar {@value RoomSettings#MIN_BEATS_PER_BAR} to {@value RoomSettings#MAX_BEATS_PER_BAR}
     * @return the room's settings afterwards, or a failure naming the bad value
     */
    CompletableFuture<RoomSettings> metronome(boolean on, int tempoBpm, int beatsPerBar);

    /** @return what this player sent, heard and measured so far */
    CompletableFuture<SessionSummary> summary();

    /**
     * Leaves the room: everything this player holds is released for everyone, everything heard is
     * silenced.
     *
     * @return the final summary
     */
    CompletableFuture<SessionSummary> leave();
}
