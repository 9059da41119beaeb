package dev.ensemble.piano.ui;

import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorProps;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.piano.model.Instrument;
import dev.ensemble.piano.model.Player;
import dev.ensemble.piano.model.Transport;
import dev.ensemble.piano.room.LocalRoomHub;
import dev.ensemble.piano.room.PianoRoom;
import dev.ensemble.piano.session.PianoActions;
import dev.ensemble.piano.session.PianoSession;
import dev.ensemble.piano.session.PianoState;
import dev.ensemble.piano.sound.SoundActions;
import dev.ensemble.piano.sound.SoundEngine;
import dev.ensemble.piano.sound.SoundOutput;
import dev.ensemble.piano.sound.SoundState;
import java.lang.reflect.InvocationTargetException;
import java.util.UUID;
import javax.swing.SwingUtilities;

/**
 * Opens the piano window for one player in a local room (the network room plugs in here later).
 *
 * <pre>{@code
 * PianoApp.open("Alice", Instrument.PIANO);
 * }</pre>
 *
 * <p>Thread-safe: builds the actors on the calling thread and the window on the event dispatch
 * thread. Closing the window leaves the room and ends the program.
 */
public final class PianoApp {
    private PianoApp() {
    }

    /**
     * Joins a local room and shows the window; returns once it is visible.
     *
     * @param name this player's name
     * @param instrument this player's instrument
     * @throws IllegalStateException if the window cannot be shown (everything started is stopped)
     */
    public static void open(String name, Instrument instrument) {
        Player self = new Player("player-" + UUID.randomUUID().toString().substring(0, 8), name,
                Player.paletteColor(0), instrument, Transport.LOCAL);
        ActorSystem system = ActorSystem.builder("piano").start();
        LocalRoomHub hub = new LocalRoomHub("local");
        PianoRoom room = hub.join(self);
        system.spawn(SoundEngine.token(self.id()), () -> new SoundEngine(SoundOutput::audibleOrSilent, false),
                SoundEngine.PROPS);
        ActorClient<PianoActions, PianoState> piano = system.spawn(PianoSession.token(self.id()),
                () -> new PianoSession(room), ActorProps.defaults(), SoundEngine.token(self.id()));
        ActorClient<SoundActions, SoundState> sound = system.client(SoundEngine.token(self.id()));
        MidiInput midi = MidiInput.openAll(piano.actions());
        Runnable shutdown = () -> {
            midi.close();
            system.close();
            hub.close();
        };
        try {
            SwingUtilities.invokeAndWait(() -> new PianoWindow(piano, sound, midi.names(), () ->
                    piano.actions().leave().whenComplete((summary, error) -> {
                        shutdown.run();
                        System.exit(0);
                    })).setVisible(true));
        } catch (InvocationTargetException e) {
            shutdown.run();
            throw new IllegalStateException("cannot open the piano window: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdown.run();
            throw new IllegalStateException("interrupted while opening the piano window", e);
        }
    }
}
