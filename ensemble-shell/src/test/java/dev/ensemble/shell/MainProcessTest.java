package dev.ensemble.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ensemble.testkit.process.ChildProcess;
import dev.ensemble.testkit.process.JavaCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shell's main class in a child JVM: {@code -c}, {@code --format json}, and its exit statuses. */
class MainProcessTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private ScriptedInspectionServer server;

    @BeforeEach
    void start() throws Exception {
        server = ScriptedInspectionServer.piano(dir.resolve("piano.sock"));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private ChildProcess shell(String name, String... args) throws Exception {
        return ChildProcess.builder(JavaCommand.of(Main.class).args(args)).start(dir, name);
    }

    @Test
    void aJsonScriptPrintsOneProtocolObjectPerLineAndExitsZero() throws Exception {
        try (ChildProcess shell = shell(
                "json", "--socket", server.path().toString(), "-c", "cd /piano; ls; cat audio", "--format", "json")) {
            assertEquals(0, shell.awaitExit(), shell.describe());
            List<String> lines = shell.stdout();
            assertEquals(3, lines.size(), shell.describe());
            assertEquals(JSON.readTree("{\"path\":\"/piano\"}"), JSON.readTree(lines.get(0)));
            assertEquals(
                    JSON.readTree("{\"path\":\"/piano\",\"entries\":["
                            + "{\"name\":\"audio\",\"path\":\"/piano/audio\",\"kind\":\"actor\"},"
                            + "{\"name\":\"room\",\"path\":\"/piano/room\",\"kind\":\"supervisor\"}]}"),
                    JSON.readTree(lines.get(1)));
            assertEquals(
                    JSON.readTree("{\"path\":\"/piano/audio\",\"type\":\"AudioActor\","
                            + "\"state\":{\"muted\":false,\"volume\":7}}"),
                    JSON.readTree(lines.get(2)));
            assertEquals("", shell.stderrText());
        }
    }

    @Test
    void aFailingCommandMakesTheExitStatusOneAndTheRestStillRuns() throws Exception {
        try (ChildProcess shell = shell("text", "--socket", server.path().toString(), "-c", "ls /piano; nosuch; pwd")) {
            assertEquals(1, shell.awaitExit(), shell.describe());
            assertEquals("audio\nroom/\n/\n", shell.stdoutText());
            assertEquals("unknown command \"nosuch\"; try help\n", shell.stderrText());
        }
    }

    @Test
    void pidFindsTheProcesssSocketInTheRuntimeDirectory() throws Exception {
        Path runtime = Files.createDirectories(dir.resolve("run"));
        Path sockets = Files.createDirectories(runtime.resolve("ensemble"));
        try (ScriptedInspectionServer piano = ScriptedInspectionServer.piano(sockets.resolve("4242-piano.sock"));
                ChildProcess shell = ChildProcess.builder(
                                JavaCommand.of(Main.class).args("--pid", "4242", "-c", "pwd; ls"))
                        .environment("XDG_RUNTIME_DIR", runtime.toString())
                        .start(dir, "pid")) {
            assertEquals(0, shell.awaitExit(), shell.describe());
            assertEquals("/\npiano/\n", shell.stdoutText());
            assertEquals(1, piano.requests("ls").size());
        }
    }

    @Test
    void pidWithSeveralSystemsListsTheirSocketsAndExitsThree() throws Exception {
        Path runtime = Files.createDirectories(dir.resolve("run"));
        Path sockets = Files.createDirectories(runtime.resolve("ensemble"));
        Path a = Files.createFile(sockets.resolve("77-a.sock"));
        Path b = Files.createFile(sockets.resolve("77-b.sock"));
        Files.createFile(sockets.resolve("777-c.sock"));
        try (ChildProcess shell = ChildProcess.builder(
                        JavaCommand.of(Main.class).args("--pid", "77", "-c", "ls"))
                .environment("XDG_RUNTIME_DIR", runtime.toString())
                .start(dir, "several")) {
            assertEquals(3, shell.awaitExit(), shell.describe());
            assertEquals(
                    "ensemble-shell: process 77 has 2 inspected systems; choose one with --socket PATH:\n" + "  " + a
                            + "\n  " + b + "\n",
                    shell.stderrText());
        }
    }

    @Test
    void badFlagsExitTwo() throws Exception {
        try (ChildProcess shell = shell("usage", "--pid", "abc")) {
            assertEquals(2, shell.awaitExit(), shell.describe());
            assertTrue(
                    shell.stderrText()
                            .startsWith(
                                    "ensemble-shell: --pid must be a process id (a positive integer), not \"abc\"\nusage:"),
                    shell.describe());
        }
    }

    @Test
    void aFailedAttachExitsThree() throws Exception {
        Path missing = dir.resolve("missing.sock");
        try (ChildProcess shell = shell("missing", "--socket", missing.toString(), "-c", "ls")) {
            assertEquals(3, shell.awaitExit(), shell.describe());
            assertEquals("ensemble-shell: no inspection socket at " + missing + "\n", shell.stderrText());
        }
        try (ChildProcess shell = shell(
                "remote",
                "--server",
                "ws://127.0.0.1:9",
                "--room",
                "r",
                "--node",
                "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
                "--timeout",
                "1",
                "-c",
                "ls")) {
            // Nothing listens on port 9: the node is never connected, and the shell says where it looked.
            assertEquals(3, shell.awaitExit(), shell.describe());
            List<String> stderr = shell.stderr();
            assertEquals(2, stderr.size(), shell.describe());
            assertTrue(
                    stderr.get(0).startsWith("ensemble-shell: this shell's identity is did:key:z"), shell.describe());
            assertEquals(
                    "ensemble-shell: node did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK was not connected"
                            + " within 1000 ms in room \"r\" of ws://127.0.0.1:9: is it running, in that room, with"
                            + " that did:key?",
                    stderr.get(1),
                    shell.describe());
        }
    }

    @Test
    void aProcessThatGoesAwayMidScriptExitsThreeAndRunsNothingMore() throws Exception {
        try (ChildProcess shell = shell(
                "vanish",
                "--socket",
                server.path().toString(),
                "--format",
                "json",
                "-c",
                "cat /piano/vanishing; pwd")) {
            assertEquals(3, shell.awaitExit(), shell.describe());
            assertEquals(
                    "{\"error\":{\"code\":\"disconnected\",\"message\":\"the process closed the connection\"}}\n",
                    shell.stdoutText());
        }
    }
}
