package dev.ensemble.piano.sound;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.MidiUnavailableException;
import javax.sound.midi.Receiver;
import javax.sound.midi.Synthesizer;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/**
 * Renders a {@link MidiRecording} into a WAV file with the JDK's software synthesizer (Gervill),
 * without a sound card: every message is played at the time it was recorded.
 *
 * <p>Gervill renders offline through {@code com.sun.media.sound.AudioSynthesizer.openStream},
 * in a package {@code java.desktop} does not export. The executable jar's manifest declares
 * {@code Add-Exports: java.desktop/com.sun.media.sound}; elsewhere run the JVM with
 * {@code --add-exports java.desktop/com.sun.media.sound=ALL-UNNAMED}. Without it,
 * {@link #unavailableReason()} says so and {@link #render} fails with that message.
 *
 * <pre>{@code
 * WavRenderer.render(recording, Path.of("jam.wav"));
 * }</pre>
 *
 * <p>Thread-safe: stateless; each call uses its own synthesizer.
 */
public final class WavRenderer {
    /** 44.1 kHz, 16-bit signed little-endian, stereo. */
    public static final AudioFormat FORMAT = new AudioFormat(44_100f, 16, 2, true, false);
    /** Sound after the last message, so the last notes can ring out. */
    public static final Duration TAIL = Duration.ofSeconds(1);

    private static final String AUDIO_SYNTHESIZER = "com.sun.media.sound.AudioSynthesizer";

    private WavRenderer() {}

    /** @return why rendering cannot work on this JVM, or empty if it can */
    public static Optional<String> unavailableReason() {
        try {
            openStreamMethod();
            return Optional.empty();
        } catch (RenderException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * Renders the recording, followed by {@link #TAIL} of ring-out.
     *
     * @param recording what was heard
     * @param wav the file to write (replaced if it exists)
     * @throws RenderException if this JVM cannot render offline, or the file cannot be written
     */
    public static void render(MidiRecording recording, Path wav) throws RenderException {
        Method openStream = openStreamMethod();
        Synthesizer synthesizer;
        try {
            synthesizer = MidiSystem.getSynthesizer();
        } catch (MidiUnavailableException e) {
            throw new RenderException("no software synthesizer in this JVM: " + e.getMessage(), e);
        }
        try {
            AudioInputStream rendered = (AudioInputStream) openStream.invoke(synthesizer, FORMAT, null);
            try (Receiver receiver = synthesizer.getReceiver()) {
                for (TimedMidi event : recording.events()) {
                    receiver.send(event.toMessage(), event.micros());
                }
                long frames = (long)
                        (FORMAT.getFrameRate() * (recording.length().plus(TAIL).toNanos() / 1e9));
                AudioInputStream limited = new AudioInputStream(rendered, FORMAT, frames);
                Path parent = wav.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                AudioSystem.write(limited, AudioFileFormat.Type.WAVE, wav.toFile());
            }
        } catch (IllegalAccessException | InvocationTargetException | IllegalArgumentException e) {
            Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
            throw new RenderException("the software synthesizer refused to render offline: " + cause, cause);
        } catch (MidiUnavailableException e) {
            throw new RenderException("the software synthesizer has no receiver: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new RenderException("cannot write WAV file " + wav + ": " + e.getMessage(), e);
        } finally {
            synthesizer.close();
        }
    }

    private static Method openStreamMethod() throws RenderException {
        Class<?> type;
        try {
            type = Class.forName(AUDIO_SYNTHESIZER);
        } catch (ClassNotFoundException e) {
            throw new RenderException(
                    "this JVM has no " + AUDIO_SYNTHESIZER + " (the Gervill synthesizer):" + " cannot render WAV files",
                    e);
        }
        Module desktop = type.getModule();
        if (!desktop.isExported(type.getPackageName(), WavRenderer.class.getModule())) {
            throw new RenderException("rendering a WAV file needs access to " + type.getPackageName()
                    + ": run the executable jar, or add the JVM option --add-exports "
                    + desktop.getName() + "/" + type.getPackageName() + "=ALL-UNNAMED");
        }
        try {
            return type.getMethod("openStream", AudioFormat.class, java.util.Map.class);
        } catch (NoSuchMethodException e) {
            throw new RenderException(
                    AUDIO_SYNTHESIZER + " has no openStream(AudioFormat, Map) on this JVM:"
                            + " cannot render WAV files",
                    e);
        }
    }
}
