package dev.ensemble.piano.ui;

import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorProps;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.inspect.InspectionAccess;
import dev.ensemble.piano.model.Player;
import dev.ensemble.piano.room.PianoInspection;
import dev.ensemble.piano.room.PianoRoom;
import dev.ensemble.piano.session.PianoActions;
import dev.ensemble.piano.session.PianoSession;
import dev.ensemble.piano.session.PianoState;
import dev.ensemble.piano.sound.SoundActions;
import dev.ensemble.piano.sound.SoundEngine;
import dev.ensemble.piano.sound.SoundOutput;
import dev.ensemble.piano.sound.SoundState;
import dev.ensemble.transport.webrtc.WebRtcNatives;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.util.Optional;
import javax.swing.SwingUtilities;

/**
 * Opens the piano window for one player in a room they have joined (usually a network room).
 *
 * <pre>{@code
 * PianoApp.open(room, "room \"amber-otter-42\" on ws://127.0.0.1:8787/", "another player joins with: ...",
 *         Optional.of(InspectionAccess.READ), System.out, System.err, provider::close);
 * }</pre>
 *
 * <p>Thread-safe: builds the actors on the calling thread and the window on the event dispatch
 * thread. Closing the window leaves the room, runs {@code onClosed} and ends the program.
 */
public final class PianoApp {
    private PianoApp() {}

    /**
     * Shows the window for this player of the room; returns once it is visible.
     *
     * @param room the room this player joined; the window's piano leaves it when the window closes
     * @param roomLine where the room is, shown in the window
     * @param joinHint how another player joins, shown in the window (may be empty)
     * @param inspect what a shell may do on the piano's inspection socket; empty: no socket
     * @param out where how to attach a shell is printed
     * @param err where a socket that could not open is reported
     * @param onClosed runs after the player left the room, before the program ends (closes the server, ...)
     * @throws IllegalStateException if the window cannot be shown (the actors started are stopped;
     *     the room and {@code onClosed} are the caller's to close)
     */
    public static void open(
            PianoRoom room,
            String roomLine,
            String joinHint,
            Optional<InspectionAccess> inspect,
            PrintStream out,
            PrintStream err,
            Runnable onClosed) {
        Player self = room.self();
        PianoInspection inspection = PianoInspection.start(inspect);
        ActorSystem system = inspection.system();
        inspection.mount(room);
        inspection.printHint(inspect, out, err);
        out.flush();
        system.spawn(
                SoundEngine.token(self.id()),
                () -> new SoundEngine(SoundOutput::audibleOrSilent, false),
                SoundEngine.PROPS);
        ActorClient<PianoActions, PianoState> piano = system.spawn(
                PianoSession.token(self.id()),
                () -> new PianoSession(room),
                ActorProps.defaults(),
                SoundEngine.token(self.id()));
        ActorClient<SoundActions, SoundState> sound = system.client(SoundEngine.token(self.id()));
        MidiInput midi = MidiInput.openAll(piano.actions());
        Runnable shutdown = () -> {
            midi.close();
            system.close();
        };
        try {
            SwingUtilities.invokeAndWait(() -> new PianoWindow(
                            piano,
                            sound,
                            midi.names(),
                            roomLine,
                            joinHint,
                            () -> piano.actions().leave().whenComplete((summary, error) -> {
                                shutdown.run();
                                onClosed.run();
                                WebRtcNatives.closeStandardOutputForExit();
                                System.exit(0);
                            }))
                    .setVisible(true));
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
