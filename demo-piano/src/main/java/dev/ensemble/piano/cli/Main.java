package dev.ensemble.piano.cli;

import dev.ensemble.piano.ui.PianoApp;
import java.awt.AWTError;
import java.awt.GraphicsEnvironment;
import java.awt.HeadlessException;
import java.io.PrintStream;
import java.util.Optional;

/**
 * The entry point of {@code demo-piano.jar}: opens the piano window, or runs headless.
 *
 * <pre>
 * java -jar demo-piano.jar                                  # the window, in a local room
 * java -jar demo-piano.jar --headless --bots 3 --seconds 5  # three bots, then a SUMMARY line
 * </pre>
 *
 * <p>Exit codes: 0 done, 1 could not run (for example no display), 2 bad command line.
 */
public final class Main {
    /** The line printed when the window opens in a local room. */
    public static final String LOCAL_ROOM_NOTICE = "Playing in a local room on this computer only:"
            + " networking (shared rooms over WebRTC or the relay) comes with the signaling server.";

    /** Set when the window opened: then the program ends when the window closes. */
    private static volatile boolean windowOpen;

    private Main() {
    }

    /**
     * Runs and exits with {@link #run}'s code (unless the window stays open).
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != 0 || !windowOpen) {
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
            out.println(LOCAL_ROOM_NOTICE);
            try {
                PianoApp.open(options.name(), options.instrument());
            } catch (IllegalStateException e) {
                err.println("error: " + e.getMessage() + ". Run with --headless to play without a window.");
                return 1;
            }
            windowOpen = true;
            return 0;
        }
        try {
            HeadlessRun.run(options, out, err);
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("error: interrupted");
            return 1;
        }
    }
}
