package dev.ensemble.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.process.ChildProcess;
import dev.ensemble.testkit.process.JavaCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive prompt through a pseudo-terminal: util-linux {@code script} runs the shell's main
 * class on a pty, so JLine sees a real terminal, and the test types into it. Checks that TAB
 * completes a path by asking the process, that the up arrow recalls history (kept in the XDG state
 * directory), and that Ctrl-C ends a watch with a cancel and returns to the prompt.
 */
class InteractivePromptTest {
    @TempDir
    Path dir;

    private static final String UP = "\u001bOA";

    private ScriptedInspectionServer server;
    private int seen;

    @BeforeEach
    void start() throws Exception {
        server = ScriptedInspectionServer.piano(dir.resolve("piano.sock"));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    /** Waits for {@code text} in the terminal's output after what earlier waits matched. */
    private void expect(ChildProcess shell, String text) {
        int from = seen;
        Await.until(
                "the terminal shows " + text,
                () -> shell.stdoutText().indexOf(text, from) >= 0,
                () -> shell.describe());
        seen = shell.stdoutText().indexOf(text, from) + text.length();
    }

    @Test
    void tabCompletesPathsUpRecallsHistoryAndCtrlCEndsAWatch() throws Exception {
        assumeTrue(ChildProcess.findOnPath("script").isPresent(), "util-linux script is not installed");
        // script runs the command through $SHELL -c (/bin/sh when SHELL is unset, as under CI); dash
        // forks rather than execs it, and the Ctrl-C below would then kill the shell in the JVM's
        // process group and make script exit 130. exec leaves the JVM alone on the terminal.
        // A build started in the background of a script inherits SIGINT ignored, and a JVM that
        // starts with it ignored never installs a handler for it (nor lets JLine): env restores the
        // default first, as an interactive terminal has it.
        String java = "exec env --default-signal=INT "
                + JavaCommand.of(Main.class).args("--socket", server.path().toString()).toList().stream()
                        .map(InteractivePromptTest::quote)
                        .collect(Collectors.joining(" "));
        Path state = dir.resolve("state");
        try (ChildProcess shell = ChildProcess.builder(List.of("script", "-qfec", java, "/dev/null"))
                .environment("TERM", "xterm")
                .environment("XDG_STATE_HOME", state.toString())
                .start(dir, "prompt")) {
            expect(shell, "attached to piano (pid 4242, write access)");
            expect(shell, "piano:/> ");

            shell.writeLine("cd /pi\t"); // TAB asks the process for the ls of / and completes to /piano/
            expect(shell, "piano:/piano> ");
            assertEquals("/", server.requests("ls").get(0).path("path").asText());

            shell.writeLine("cd ro\t"); // relative to the working path: ls of /piano
            expect(shell, "piano:/piano/room> ");

            shell.writeLine("cd /");
            expect(shell, "piano:/> ");
            // the up arrow as xterm sends it in keypad mode, which JLine switches on: ESC O A
            shell.writeLine(UP + UP); // "cd room/", relative to / now: fails
            expect(shell, "no actor or namespace at /room");
            expect(shell, "piano:/> ");
            shell.writeLine(UP + UP + UP + UP); // past the failed one and "cd /": "cd /piano/"
            expect(shell, "piano:/piano> ");

            shell.writeLine("send audio vo\t"); // the actor's actions: mute and volume
            expect(shell, "7");
            assertEquals("volume", server.requests("send").get(0).path("action").asText());
            assertEquals(
                    "/piano/audio",
                    server.requests("actions").get(0).path("path").asText());

            shell.writeLine("watch audio");
            expect(shell, "{\"muted\":false,\"volume\":7}");
            shell.writeLine("\u0003");
            expect(shell, "watch ended (cancelled)");
            expect(shell, "piano:/piano> ");
            assertEquals(1, server.requests("cancel").size());

            shell.writeLine("top -n 2"); // repaints: xterm's clear_screen before each refresh
            expect(shell, "\u001b[H\u001b[2Jtop at 12:00:01.250");
            expect(shell, "\u001b[H\u001b[2Jtop at 12:00:01.250");
            expect(shell, "piano:/piano> ");

            shell.writeLine("exit");
            assertEquals(0, shell.awaitExit(), shell.describe());
        }
        String history = Files.readString(state.resolve("ensemble").resolve("shell-history"), StandardCharsets.UTF_8);
        assertTrue(history.contains("cd /piano/"), history);
        assertTrue(history.contains("watch audio"), history);
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
