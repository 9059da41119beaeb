package dev.ensemble.piano.sound;

import java.util.concurrent.CompletableFuture;

/**
 * What a {@link SoundEngine} does: MIDI channel operations, one channel per player. All are
 * tells except {@link #recording()}. Out-of-range numbers fail the one call with an
 * {@link IllegalArgumentException} naming the value.
 */
public interface SoundActions {
    /** The MIDI channel of the General MIDI percussion kit, used for metronome clicks. */
    int PERCUSSION_CHANNEL = 9;

    /**
     * @param channel 0 to 15
     * @param program General MIDI program, 0 to 127
     */
    void program(int channel, int program);

    /**
     * @param channel 0 to 15
     * @param key 0 to 127
     * @param velocity 1 to 127
     */
    void noteOn(int channel, int key, int velocity);

    /**
     * @param channel 0 to 15
     * @param key 0 to 127
     */
    void noteOff(int channel, int key);

    /**
     * @param channel 0 to 15
     * @param down whether the sustain pedal is pressed
     */
    void sustain(int channel, boolean down);

    /**
     * Releases the pedal and every note on a channel: nothing keeps sounding.
     *
     * @param channel 0 to 15
     */
    void silence(int channel);

    /**
     * A metronome click on the percussion channel.
     *
     * @param accented true for the first beat of a bar
     */
    void click(boolean accented);

    /** @return everything played so far, if the engine records; an empty recording otherwise */
    CompletableFuture<MidiRecording> recording();
}
