package dev.ensemble.piano.sound;

import dev.ensemble.core.Actor;
import dev.ensemble.core.ActorProps;
import dev.ensemble.core.ActorToken;
import dev.ensemble.core.dispatch.DispatcherSelector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.ShortMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The actor that owns a MIDI output and plays what it is told, optionally recording every
 * message with the time it was played (what this player heard) for {@link WavRenderer}.
 *
 * <p>It runs on a {@linkplain #PROPS dedicated thread}: a synthesizer may block and is not meant
 * to be driven from many threads. The output is opened in {@code onStart} (a missing audio device
 * gives a silent output whose {@linkplain SoundState#description() description} says why) and
 * closed in {@code onStop}.
 *
 * <pre>{@code
 * ActorToken<SoundActions, SoundState> token = SoundEngine.token("alice");
 * system.spawn(token, () -> new SoundEngine(SoundOutput::audibleOrSilent, true), SoundEngine.PROPS);
 * system.client(token).actions().noteOn(0, 60, 100);
 * }</pre>
 */
public final class SoundEngine extends Actor<SoundState> implements SoundActions {
    /** A dedicated thread. */
    public static final ActorProps PROPS = ActorProps.defaults().withDispatcher(DispatcherSelector.dedicated());

    private static final Logger LOG = LoggerFactory.getLogger(SoundEngine.class);
    private static final int SUSTAIN_CONTROLLER = 64;
    private static final int ALL_NOTES_OFF_CONTROLLER = 123;
    private static final int ACCENT_CLICK_KEY = 76;
    private static final int CLICK_KEY = 77;

    private final Supplier<SoundOutput> outputFactory;
    private final boolean record;
    /** Owned by this actor's turns; opened in onStart. */
    private SoundOutput output;
    /** Owned by this actor's turns; a restart starts a new recording. */
    private final List<TimedMidi> recorded = new ArrayList<>();

    private long startNanos;
    private long startMillis;

    /**
     * @param outputFactory opens the output; called in each instance's first turn
     * @param record whether to keep every message played, for {@link #recording()}
     */
    public SoundEngine(Supplier<SoundOutput> outputFactory, boolean record) {
        super(SoundState.STARTING);
        this.outputFactory = Objects.requireNonNull(outputFactory, "outputFactory");
        this.record = record;
    }

    /**
     * @param playerId whose ears this engine is
     * @return the engine's token for that player
     */
    public static ActorToken<SoundActions, SoundState> token(String playerId) {
        return ActorToken.of("sound-" + playerId, SoundActions.class, SoundState.class);
    }

    @Override
    protected void onStart() {
        startNanos = System.nanoTime();
        startMillis = System.currentTimeMillis();
        output = outputFactory.get();
        setState(new SoundState(output.audible(), output.description(), record));
        LOG.info("{}: sound through {}", name(), output.description());
    }

    @Override
    protected void onStop() {
        if (output != null) {
            output.close();
        }
    }

    @Override
    public void program(int channel, int program) {
        send(ShortMessage.PROGRAM_CHANGE, channel, program, 0);
    }

    @Override
    public void noteOn(int channel, int key, int velocity) {
        if (velocity < 1) {
            throw new IllegalArgumentException("a note-on velocity must be 1 to 127, but was " + velocity);
        }
        send(ShortMessage.NOTE_ON, channel, key, velocity);
    }

    @Override
    public void noteOff(int channel, int key) {
        send(ShortMessage.NOTE_OFF, channel, key, 0);
    }

    @Override
    public void sustain(int channel, boolean down) {
        send(ShortMessage.CONTROL_CHANGE, channel, SUSTAIN_CONTROLLER, down ? 127 : 0);
    }

    @Override
    public void silence(int channel) {
        send(ShortMessage.CONTROL_CHANGE, channel, SUSTAIN_CONTROLLER, 0);
        send(ShortMessage.CONTROL_CHANGE, channel, ALL_NOTES_OFF_CONTROLLER, 0);
    }

    @Override
    public void click(boolean accented) {
        int key = accented ? ACCENT_CLICK_KEY : CLICK_KEY;
        send(ShortMessage.NOTE_ON, PERCUSSION_CHANNEL, key, accented ? 120 : 90);
        send(ShortMessage.NOTE_OFF, PERCUSSION_CHANNEL, key, 0);
    }

    @Override
    public CompletableFuture<MidiRecording> recording() {
        return reply(new MidiRecording(recorded, Duration.ofNanos(System.nanoTime() - startNanos), startMillis));
    }

    private void send(int command, int channel, int data1, int data2) {
        ShortMessage message;
        try {
            message = new ShortMessage(command, channel, data1, data2);
        } catch (InvalidMidiDataException e) {
            throw new IllegalArgumentException(
                    "invalid MIDI message (command " + command + ", channel " + channel + ", data " + data1 + ", "
                            + data2 + "): " + e.getMessage(),
                    e);
        }
        output.send(message);
        if (record) {
            recorded.add(TimedMidi.of((System.nanoTime() - startNanos) / 1_000, message));
        }
    }
}
