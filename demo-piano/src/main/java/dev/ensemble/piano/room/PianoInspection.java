package dev.ensemble.piano.room;

import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.Subscription;
import dev.ensemble.core.inspect.InspectionAccess;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The piano's inspection: one socket per piano process, showing one tree. A piano runs the app's
 * system ({@code piano}: sound engines, pianos, bots) and one system per player in a network room
 * ({@code piano-ID}: its actors under {@code /piano}); the app's system opens the local socket and
 * each player's tree is mounted into it at {@code /players/NAME}, where NAME is the player's name
 * in lower case with anything but letters, digits, {@code .}, {@code _} and {@code -} turned into
 * {@code -} ({@code Bot 2} is {@code bot-2}; a name without a letter or digit is {@code player}; a
 * second player of the same name gets {@code -2}):
 *
 * <pre>
 * /                              the app's actors: sound-ID, piano-ID, bot-ID
 * /players/ada/piano/room        Ada's room actor (and peers, ephemeral, presence, settings)
 * </pre>
 *
 * <p>Thread-safe.
 */
public final class PianoInspection {
    /** Where the players' trees are mounted. */
    public static final String PLAYERS = "/players";

    private final ActorSystem app;
    private final Set<String> taken = ConcurrentHashMap.newKeySet();

    private PianoInspection(ActorSystem app) {
        this.app = app;
    }

    /**
     * Starts the app's system, serving inspection on the local socket unless {@code access} is empty.
     *
     * @param access what a shell of this user may do; empty: no socket
     * @return the app's system and its inspection
     */
    public static PianoInspection start(Optional<InspectionAccess> access) {
        ActorSystem.Builder builder = ActorSystem.builder("piano");
        access.ifPresent(builder::inspect);
        return new PianoInspection(builder.start());
    }

    /** @return the app's system (closing it closes the socket) */
    public ActorSystem system() {
        return app;
    }

    /**
     * Shows a player's room under {@link #PLAYERS}, if it runs a system of its own.
     *
     * @param room a joined room
     * @return a handle that takes it out of the tree again (nothing for an in-process room)
     */
    public Subscription mount(PianoRoom room) {
        if (!(room instanceof NetworkPianoRoom network)) {
            return () -> {};
        }
        String base = segment(room.self().name());
        String name = base;
        for (int n = 2; !taken.add(name); n++) {
            name = base + "-" + n;
        }
        String chosen = name;
        Subscription mounted = app.inspector().mount(PLAYERS + "/" + chosen, network.inspector());
        return () -> {
            mounted.cancel();
            taken.remove(chosen);
        };
    }

    /** @return a player's name as one path segment a shell can type without quotes */
    static String segment(String name) {
        String plain =
                name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
        // Without a letter or digit (empty, ".", "..") it would be no name, or a name cd reads as a move.
        return plain.matches(".*[a-z0-9].*") ? plain : "player";
    }

    /**
     * Prints how to attach a shell, or warns that the socket could not be opened (the piano plays
     * on); prints nothing when inspection is off.
     *
     * @param access what was asked for
     * @param out where the hint goes
     * @param err where the warning goes
     */
    public void printHint(Optional<InspectionAccess> access, PrintStream out, PrintStream err) {
        if (access.isEmpty()) {
            return;
        }
        if (app.inspectionSocket().isPresent()) {
            out.println("inspect this piano: java -jar ensemble-shell/target/ensemble-shell.jar --pid "
                    + ProcessHandle.current().pid()
                    + (access.get() == InspectionAccess.WRITE ? " (write access granted)" : ""));
        } else {
            err.println("warning: the inspection socket could not be opened (the log line above says why);"
                    + " the piano plays on without it");
        }
    }
}
