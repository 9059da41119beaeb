package dev.ensemble.piano.cli;

import dev.ensemble.piano.model.Player;
import dev.ensemble.piano.model.TransportKind;
import dev.ensemble.piano.room.PianoRoom;
import dev.ensemble.piano.ui.PianoApp;
import dev.ensemble.transport.webrtc.WebRtcNatives;
import java.awt.AWTError;
import java.awt.GraphicsEnvironment;
import java.awt.HeadlessException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;

/**
 * The entry point of {@code demo-piano.jar}: opens the piano window in a network room, or runs
 * headless.
 *
 * <pre>
 * java -jar demo-piano.jar                                       # a server here, a new room, the window
 * java -jar demo-piano.jar --server ws://127.0.0.1:8787 --room x # the window, in a room elsewhere
 * java -jar demo-piano.jar --headless --bots 3 --seconds 5       # three bots, then a SUMMARY line
 * </pre>
 *
 * <p>Exit codes: 0 done, 1 could not run (no display, server unreachable, room full, ...), 2 bad
 * command line.
 */
public final class Main {
    /** Set when the window opened: then the program ends when the window closes. */
    private static volatile boolean windowOpen;

    private Main() {}

    /**
     * Runs and exits with {@link #run}'s code (unless the window stays open).
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != 0 || !windowOpen) {
            WebRtcNatives.closeStandardOutputForExit();
            System.exit(code);
        }
    }

    private static Optional<String> displayProblem() {
        if (GraphicsEnvironment.isHeadless()) {
            return Optional.of("no display to open the piano window on");
        }
        try {
            GraphicsEnvironment.getLocalGraphicsEnvironment().getScreenDevices();
            return Optional.empty();
        } catch (AWTError | HeadlessException e) {
            String why = String.valueOf(e.getMessage()).replaceAll("\\.$", "");
            return Optional.of("cannot reach the display to open the piano window on (" + why + ")");
        }
    }

    /**
     * Runs the program with the given streams, for {@link #main} and for tests.
     *
     * @param args the command line
     * @param out normal output (the SUMMARY line)
     * @param err problems and usage
     * @return the exit code: 0 fine (the window may still be open), 1 could not run, 2 bad command line
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        PianoOptions options;
        try {
            options = PianoOptions.parse(args);
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.println(PianoOptions.USAGE);
            return 2;
        }
        if (options.help()) {
            out.println(PianoOptions.USAGE);
            return 0;
        }
        if (!options.headless()) {
            Optional<String> noDisplay = displayProblem();
            if (noDisplay.isPresent()) {
                err.println("error: " + noDisplay.get() + "."
                        + " Run with --headless (for example: --headless --bot melody --seconds 10).");
                return 1;
            }
            try {
                openWindow(options, out, err);
            } catch (RoomUnavailableException e) {
                err.println("error: " + e.getMessage());
                return 1;
            } catch (IllegalStateException e) {
                err.println("error: " + e.getMessage() + ". Run with --headless to play without a window.");
                return 1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                err.println("error: interrupted");
                return 1;
            }
            windowOpen = true;
            return 0;
        }
        try {
            HeadlessRun.run(options, out, err);
            return 0;
        } catch (RoomUnavailableException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("error: interrupted");
            return 1;
        }
    }

    /** Joins the room (starting a server first, unless one was given) and shows the window in it. */
    private static void openWindow(PianoOptions options, PrintStream out, PrintStream err)
            throws RoomUnavailableException, InterruptedException {
        RoomProvider rooms = RoomProvider.of(options, Duration.ZERO, 1);
        try {
            Player player = new Player(
                    "player-1", options.name(), Player.paletteColor(0), options.instrument(), TransportKind.LOCAL);
            PianoRoom room = rooms.join(player, 0);
            String hint = rooms.joinHint(false).orElse("");
            out.println("playing in " + rooms.describe() + " as " + room.self().name());
            out.println(hint);
            out.flush();
            PianoApp.open(room, rooms.describe(), hint, options.inspect(), out, err, rooms::close);
        } catch (RoomUnavailableException | InterruptedException | RuntimeException e) {
            rooms.close();
            throw e;
        }
    }
}
