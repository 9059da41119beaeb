package dev.ensemble.piano.sound;

import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.ShortMessage;

/**
 * A MIDI channel message and when it was played.
 *
 * @param micros microseconds since the recording started
 * @param command the {@link ShortMessage} command, for example {@link ShortMessage#NOTE_ON}
 * @param channel 0 to 15
 * @param data1 first data byte
 * @param data2 second data byte
 */
public record TimedMidi(long micros, int command, int channel, int data1, int data2) {
    /**
     * @param micros when, since the recording started
     * @param message the message
     * @return the record
     */
    public static TimedMidi of(long micros, ShortMessage message) {
        return new TimedMidi(
                micros, message.getCommand(), message.getChannel(), message.getData1(), message.getData2());
    }

    /** @return true for a note-on with a velocity, which starts a sound */
    public boolean isNoteOn() {
        return command == ShortMessage.NOTE_ON && data2 > 0;
    }

    /** @return true for a note-off, or a note-on without velocity (which MIDI treats as one) */
    public boolean isNoteOff() {
        return command == ShortMessage.NOTE_OFF || command == ShortMessage.NOTE_ON && data2 == 0;
    }

    /**
     * @return the message
     * @throws IllegalStateException if the fields do not form a valid message (not possible for
     *     records made by {@link #of})
     */
    public ShortMessage toMessage() {
        try {
            return new ShortMessage(command, channel, data1, data2);
        } catch (InvalidMidiDataException e) {
            throw new IllegalStateException("invalid recorded MIDI message " + this, e);
        }
    }
}
