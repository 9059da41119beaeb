package dev.ensemble.piano.ui;

import dev.ensemble.piano.session.PianoActions;
import java.util.ArrayList;
import java.util.List;
import javax.sound.midi.MidiDevice;
import javax.sound.midi.MidiMessage;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.MidiUnavailableException;
import javax.sound.midi.Receiver;
import javax.sound.midi.Sequencer;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Synthesizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects MIDI keyboards to the piano: every input device present plays it, with its
 * velocities and sustain pedal.
 *
 * <p>Thread-safe: devices call back on their own threads, and only tell the piano actor.
 */
final class MidiInput implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MidiInput.class);
    private static final int SUSTAIN_CONTROLLER = 64;

    private final List<MidiDevice> opened = new ArrayList<>();

    private MidiInput() {}

    /**
     * Opens every MIDI input device; devices that cannot be opened are skipped with a log line.
     *
     * @param piano what they play
     * @return the opened inputs, possibly none
     */
    static MidiInput openAll(PianoActions piano) {
        MidiInput input = new MidiInput();
        for (MidiDevice.Info info : MidiSystem.getMidiDeviceInfo()) {
            try {
                MidiDevice device = MidiSystem.getMidiDevice(info);
                if (device instanceof Sequencer || device instanceof Synthesizer || device.getMaxTransmitters() == 0) {
                    continue;
                }
                device.open();
                device.getTransmitter().setReceiver(new ToPiano(piano));
                input.opened.add(device);
                LOG.info("playing from MIDI input {}", info.getName());
            } catch (MidiUnavailableException | RuntimeException e) {
                LOG.warn("cannot open MIDI input {}: {}", info.getName(), e.getMessage());
            }
        }
        return input;
    }

    /** @return the names of the opened devices */
    List<String> names() {
        return opened.stream().map(d -> d.getDeviceInfo().getName()).toList();
    }

    @Override
    public void close() {
        opened.forEach(MidiDevice::close);
    }

    private record ToPiano(PianoActions piano) implements Receiver {
        @Override
        public void send(MidiMessage message, long timeStamp) {
            if (!(message instanceof ShortMessage m)) {
                return;
            }
            if (m.getCommand() == ShortMessage.NOTE_ON && m.getData2() > 0) {
                piano.press(m.getData1(), m.getData2());
            } else if (m.getCommand() == ShortMessage.NOTE_OFF || m.getCommand() == ShortMessage.NOTE_ON) {
                piano.release(m.getData1());
            } else if (m.getCommand() == ShortMessage.CONTROL_CHANGE && m.getData1() == SUSTAIN_CONTROLLER) {
                piano.pedal(m.getData2() >= 64);
            }
        }

        @Override
        public void close() {}
    }
}
