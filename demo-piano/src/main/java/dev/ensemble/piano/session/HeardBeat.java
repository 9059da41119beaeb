package dev.ensemble.piano.session;

/**
 * A metronome click this player's synthesizer played, emitted by {@link PianoSession} as the
 * event {@value PianoSession#HEARD_BEAT}.
 *
 * @param atMillis when it was played (this machine's clock, milliseconds since the epoch)
 * @param leaderId the player leading the metronome
 * @param beat the beat in the bar, from 0 (accented)
 * @param beatsPerBar beats in the bar
 */
public record HeardBeat(long atMillis, String leaderId, int beat, int beatsPerBar) {}
