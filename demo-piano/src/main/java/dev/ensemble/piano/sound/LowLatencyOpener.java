package dev.ensemble.piano.sound;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import javax.sound.midi.MidiUnavailableException;
import javax.sound.midi.Synthesizer;
import javax.sound.sampled.SourceDataLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens Gervill with a latency fit for playing: its default buffer is 120 ms, which makes a
 * keyboard feel sluggish. The setting is only reachable through
 * {@code com.sun.media.sound.AudioSynthesizer.open(SourceDataLine, Map)}, in a package
 * {@code java.desktop} exports only to the executable jar (see {@link WavRenderer}); elsewhere
 * the synthesizer opens with its default and says so.
 *
 * <p>Thread-safe: stateless.
 */
final class LowLatencyOpener {
    /** The output buffer asked for. */
    static final Duration LATENCY = Duration.ofMillis(30);
    /** Voices: enough for a room of players holding chords under the pedal. */
    static final int MAX_POLYPHONY = 128;

    private static final Logger LOG = LoggerFactory.getLogger(LowLatencyOpener.class);
    private static final String AUDIO_SYNTHESIZER = "com.sun.media.sound.AudioSynthesizer";

    private LowLatencyOpener() {}

    /**
     * Opens the synthesizer on the default audio device.
     *
     * @param synthesizer a closed synthesizer
     * @return a note on the latency, for the output's description
     * @throws MidiUnavailableException if there is no audio device
     */
    static String open(Synthesizer synthesizer) throws MidiUnavailableException {
        Method open = lowLatencyOpen(synthesizer);
        if (open == null) {
            synthesizer.open();
            return "default latency " + synthesizer.getLatency() / 1000 + " ms";
        }
        try {
            open.invoke(synthesizer, null, Map.of("latency", LATENCY.toNanos() / 1000, "max polyphony", MAX_POLYPHONY));
            return "latency " + LATENCY.toMillis() + " ms";
        } catch (InvocationTargetException | IllegalAccessException | RuntimeException e) {
            // The device may refuse the small buffer: the default one is better than silence.
            LOG.debug("cannot open the synthesizer with {} ms latency; trying its default", LATENCY.toMillis(), e);
            synthesizer.close();
            synthesizer.open();
            return "default latency " + synthesizer.getLatency() / 1000 + " ms";
        }
    }

    private static Method lowLatencyOpen(Synthesizer synthesizer) {
        try {
            Class<?> type = Class.forName(AUDIO_SYNTHESIZER);
            if (!type.isInstance(synthesizer)
                    || !type.getModule().isExported(type.getPackageName(), LowLatencyOpener.class.getModule())) {
                return null;
            }
            return type.getMethod("open", SourceDataLine.class, Map.class);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            return null;
        }
    }
}
