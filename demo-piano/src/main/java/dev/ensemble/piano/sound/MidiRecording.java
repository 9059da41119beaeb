package dev.ensemble.piano.sound;

import java.time.Duration;
import java.util.List;

/**
 * Everything a {@link SoundEngine} played, with the times it was played: what this player
 * heard. Render it with {@link WavRenderer}.
 *
 * @param events in the order played
 * @param length from the start of the recording to when it was taken
 * @param startedAtMillis when the recording started (this machine's clock, ms since the epoch):
 *     an event at {@code micros} was played at {@code startedAtMillis + micros / 1000}
 */
public record MidiRecording(List<TimedMidi> events, Duration length, long startedAtMillis) {
    /** Copies the list. */
    public MidiRecording {
        events = List.copyOf(events);
    }

    /** @return the note-ons, the moments a sound started */
    public List<TimedMidi> noteOns() {
        return events.stream().filter(TimedMidi::isNoteOn).toList();
    }
}
