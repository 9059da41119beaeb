package dev.ensemble.piano.sound;

import javax.sound.midi.MidiSystem;
import javax.sound.midi.MidiUnavailableException;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Synthesizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where MIDI messages go to become sound.
 *
 * <pre>{@code
 * SoundOutput out = SoundOutput.audibleOrSilent();
 * out.send(new ShortMessage(ShortMessage.NOTE_ON, 0, 60, 100));
 * }</pre>
 *
 * <p><em>Not thread-safe</em>: owned by one {@link SoundEngine}, used on its dedicated thread.
 */
public interface SoundOutput extends AutoCloseable {
    /**
     * Plays a message now.
     *
     * @param message a channel message
     */
    void send(ShortMessage message);

    /** @return true if this output makes sound */
    boolean audible();

    /** @return what this output is, for people (for example why it is silent) */
    String description();

    /** Releases the device. */
    @Override
    void close();

    /**
     * @param reason why there is no sound, shown to people
     * @return an output that plays nothing
     */
    static SoundOutput silent(String reason) {
        return new SoundOutput() {
            @Override
            public void send(ShortMessage message) {}

            @Override
            public boolean audible() {
                return false;
            }

            @Override
            public String description() {
                return "silent: " + reason;
            }

            @Override
            public void close() {}
        };
    }

    /**
     * Opens the JDK's default synthesizer on the default audio device, with a short output
     * buffer (30 ms) where the JVM allows it.
     *
     * @return the output
     * @throws MidiUnavailableException if there is no synthesizer or no audio device
     */
    static SoundOutput synthesizer() throws MidiUnavailableException {
        Synthesizer synthesizer = MidiSystem.getSynthesizer();
        String latency = LowLatencyOpener.open(synthesizer);
        javax.sound.midi.Receiver receiver = synthesizer.getReceiver();
        String name = synthesizer.getDeviceInfo().getName() + " on the default audio device, " + latency;
        return new SoundOutput() {
            @Override
            public void send(ShortMessage message) {
                receiver.send(message, -1);
            }

            @Override
            public boolean audible() {
                return true;
            }

            @Override
            public String description() {
                return name;
            }

            @Override
            public void close() {
                receiver.close();
                synthesizer.close();
            }
        };
    }

    /**
     * Opens the synthesizer, or explains why not and plays silently.
     *
     * @return an audible output, or a silent one whose description says why
     */
    static SoundOutput audibleOrSilent() {
        try {
            return synthesizer();
        } catch (MidiUnavailableException | RuntimeException e) {
            Logger log = LoggerFactory.getLogger(SoundOutput.class);
            log.debug("no synthesizer", e);
            return silent("no audio device (" + e.getMessage() + "); playing silently");
        }
    }
}
