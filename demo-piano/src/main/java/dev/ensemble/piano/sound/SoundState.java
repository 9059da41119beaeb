package dev.ensemble.piano.sound;

/**
 * What a {@link SoundEngine} plays through.
 *
 * @param audible whether it makes sound
 * @param description what the output is, or why it is silent
 * @param recording whether it records what it plays
 */
public record SoundState(boolean audible, String description, boolean recording) {
    /** Before the output is opened. */
    public static final SoundState STARTING = new SoundState(false, "starting", false);
}
