package dev.ensemble.piano.ui;

import dev.ensemble.core.ActorClient;
import dev.ensemble.piano.model.Instrument;
import dev.ensemble.piano.model.RoomSettings;
import dev.ensemble.piano.session.PianoActions;
import dev.ensemble.piano.session.PianoState;
import dev.ensemble.piano.sound.SoundActions;
import dev.ensemble.piano.sound.SoundState;
import java.awt.BorderLayout;
import java.awt.KeyEventDispatcher;
import java.awt.KeyboardFocusManager;
import java.awt.event.KeyEvent;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.util.List;
import java.util.OptionalInt;
import javax.swing.JCheckBox;
import javax.swing.JComboBox;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JSpinner;
import javax.swing.SpinnerNumberModel;
import javax.swing.SwingUtilities;
import javax.swing.WindowConstants;

/**
 * The piano window: instrument and metronome controls on top, the keyboard, the players list
 * on the right, the sound status below. Swing: EDT only.
 */
final class PianoWindow extends JFrame {
    private final ActorClient<PianoActions, PianoState> piano;
    private final ComputerKeyboard keys = new ComputerKeyboard();
    private final KeyboardPanel keyboard;
    private final PlayersList players = new PlayersList();
    private final JCheckBox metronomeOn = new JCheckBox("Metronome");
    private final JSpinner tempo =
            new JSpinner(new SpinnerNumberModel(100, RoomSettings.MIN_TEMPO, RoomSettings.MAX_TEMPO, 1));
    private final JSpinner beats =
            new JSpinner(new SpinnerNumberModel(4, RoomSettings.MIN_BEATS_PER_BAR, RoomSettings.MAX_BEATS_PER_BAR, 1));
    private final JLabel status = new JLabel(" ");
    private final JLabel octave = new JLabel();
    private boolean showingSettings;

    PianoWindow(
            ActorClient<PianoActions, PianoState> piano,
            ActorClient<SoundActions, SoundState> sound,
            List<String> midiInputs,
            String roomLine,
            String joinHint,
            Runnable onClose) {
        super("Ensemble piano — " + piano.state().self().name());
        this.piano = piano;
        this.keyboard = new KeyboardPanel(piano.actions());
        setDefaultCloseOperation(WindowConstants.DO_NOTHING_ON_CLOSE);

        JComboBox<Instrument> instrument = new JComboBox<>(Instrument.values());
        instrument.setSelectedItem(piano.state().self().instrument());
        instrument.setFocusable(false);
        instrument.addActionListener(e -> piano.actions().chooseInstrument((Instrument) instrument.getSelectedItem()));
        metronomeOn.setFocusable(false);
        metronomeOn.addActionListener(e -> changeMetronome());
        tempo.addChangeListener(e -> changeMetronome());
        beats.addChangeListener(e -> changeMetronome());

        JPanel top = new JPanel();
        top.add(new JLabel("Instrument"));
        top.add(instrument);
        top.add(metronomeOn);
        top.add(new JLabel("BPM"));
        top.add(tempo);
        top.add(new JLabel("beats/bar"));
        top.add(beats);
        top.add(octave);

        JPanel bottom = new JPanel(new BorderLayout());
        JLabel room = new JLabel(
                "<html>Playing in " + html(roomLine) + (joinHint.isEmpty() ? "" : "<br>" + html(joinHint)) + "</html>");
        bottom.add(room, BorderLayout.NORTH);
        bottom.add(status, BorderLayout.CENTER);
        bottom.add(
                new JLabel("<html>Keys: A–K white, W–O black, Z/X octave, space sustain."
                        + (midiInputs.isEmpty() ? "" : " MIDI: " + html(String.join(", ", midiInputs))) + "</html>"),
                BorderLayout.SOUTH);

        getContentPane().add(top, BorderLayout.NORTH);
        getContentPane().add(keyboard, BorderLayout.CENTER);
        getContentPane().add(new JScrollPane(players), BorderLayout.EAST);
        getContentPane().add(bottom, BorderLayout.SOUTH);
        pack();
        setLocationByPlatform(true);
        showOctave();

        KeyEventDispatcher dispatcher = this::dispatchKey;
        KeyboardFocusManager.getCurrentKeyboardFocusManager().addKeyEventDispatcher(dispatcher);
        addWindowFocusListener(new WindowAdapter() {
            @Override
            public void windowLostFocus(WindowEvent e) {
                keys.releaseAll();
                keyboard.releaseMouseKey();
                piano.actions().releaseEverything();
            }
        });
        keyboard.setFocusable(true);
        addWindowListener(new WindowAdapter() {
            @Override
            public void windowOpened(WindowEvent e) {
                keyboard.requestFocusInWindow();
            }

            @Override
            public void windowClosing(WindowEvent e) {
                KeyboardFocusManager.getCurrentKeyboardFocusManager().removeKeyEventDispatcher(dispatcher);
                dispose();
                onClose.run();
            }
        });
        piano.withCallbackExecutor(SwingUtilities::invokeLater).onState(this::show);
        sound.withCallbackExecutor(SwingUtilities::invokeLater)
                .onState(s -> status.setText("Sound: " + s.description()));
        show(piano.state());
        status.setText("Sound: " + sound.state().description());
    }

    private boolean dispatchKey(KeyEvent e) {
        // Piano keys win over whatever has the focus: letters mean nothing to the number fields.
        if (!isFocused()) {
            return false;
        }
        int code = e.getKeyCode();
        if (e.getID() == KeyEvent.KEY_PRESSED) {
            if (code == KeyEvent.VK_SPACE) {
                piano.actions().pedal(true);
            } else if (code == KeyEvent.VK_Z) {
                keys.octaveDown();
                showOctave();
            } else if (code == KeyEvent.VK_X) {
                keys.octaveUp();
                showOctave();
            } else {
                OptionalInt note = keys.press(code);
                note.ifPresent(n -> piano.actions().press(n, e.isShiftDown() ? 120 : 90));
                return ComputerKeyboard.isNoteKey(code);
            }
            return true;
        }
        if (e.getID() == KeyEvent.KEY_TYPED) {
            // The typed letter of a piano key must not reach a text field too (the tempo spinner).
            int typed = KeyEvent.getExtendedKeyCodeForChar(e.getKeyChar());
            return ComputerKeyboard.isNoteKey(typed)
                    || typed == KeyEvent.VK_SPACE
                    || typed == KeyEvent.VK_Z
                    || typed == KeyEvent.VK_X;
        }
        if (e.getID() == KeyEvent.KEY_RELEASED) {
            if (code == KeyEvent.VK_SPACE) {
                piano.actions().pedal(false);
                return true;
            }
            OptionalInt note = keys.release(code);
            note.ifPresent(n -> piano.actions().release(n));
            return note.isPresent();
        }
        return false;
    }

    /** @return this player's piano as last published, for tests that drive the window */
    PianoState pianoState() {
        return piano.state();
    }

    /** @return the drawn keyboard, for tests that find a key on the screen */
    KeyboardPanel keyboardPanel() {
        return keyboard;
    }

    private static String html(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private void showOctave() {
        octave.setText("  octave " + (keys.octaveShift() >= 0 ? "+" : "") + keys.octaveShift());
        keyboard.showOctaveShift(keys.octaveShift());
    }

    private void changeMetronome() {
        if (showingSettings) {
            return;
        }
        piano.actions()
                .metronome(metronomeOn.isSelected(), (Integer) tempo.getValue(), (Integer) beats.getValue())
                .whenComplete((settings, error) -> {
                    if (error != null) {
                        SwingUtilities.invokeLater(() -> status.setText("Metronome: " + error.getMessage()));
                    }
                });
    }

    private void show(PianoState state) {
        keyboard.showLit(state.litKeys());
        players.show(state.players());
        RoomSettings settings = state.settings();
        showingSettings = true;
        try {
            metronomeOn.setSelected(settings.metronomeOn());
            tempo.setValue(settings.tempoBpm());
            beats.setValue(settings.beatsPerBar());
        } finally {
            showingSettings = false;
        }
    }
}
