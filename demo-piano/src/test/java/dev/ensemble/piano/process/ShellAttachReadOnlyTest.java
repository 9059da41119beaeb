package dev.ensemble.piano.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ensemble.testkit.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A piano's inspection without {@code --inspect-write} (read-only: a send is refused), with
 * {@code --no-inspect} (no socket), and with a socket that cannot be opened (it warns and plays on).
 * Lone headless players in in-process rooms: quick to start, and their app system is all there is.
 */
class ShellAttachReadOnlyTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void readOnlyByDefaultRefusesSendAndTheSocketGoesWithThePiano() throws Exception {
        Path runtime = Files.createDirectory(dir.resolve("run"));
        Map<String, String> env = Map.of("XDG_RUNTIME_DIR", runtime.toString());
        try (PeerProcess piano =
                PeerProcess.start(dir, "Ben", env, "--headless", "--bot", "melody", "--seconds", "120")) {
            String pid = String.valueOf(piano.child().pid());
            assertEquals(
                    "inspect this piano: java -jar ensemble-shell/target/ensemble-shell.jar --pid " + pid,
                    piano.child().awaitLine("how to attach a shell", line -> line.startsWith("inspect this piano:")));
            Path socket = runtime.resolve("ensemble").resolve(pid + "-piano.sock");
            assertTrue(Files.exists(socket), socket.toString());
            try (ShellRun shell = ShellRun.start(
                    dir,
                    "shell",
                    env,
                    "--socket",
                    socket.toString(),
                    "-c",
                    "ls; send /piano-bot-1 leave; ls /players",
                    "--format",
                    "json")) {
                assertEquals(1, shell.awaitExit(), shell.describe());
                List<JsonNode> out = shell.json();
                assertEquals(3, out.size(), shell.describe());
                assertTrue(out.get(0).get("entries").size() >= 3, out.get(0).toString());
                JsonNode refused = out.get(1).get("error");
                assertEquals(
                        "forbidden", refused.get("code").asText(), out.get(1).toString());
                assertEquals(
                        "send needs write access; this session is read-only",
                        refused.get("message").asText());
                assertEquals(
                        "no-such-path", out.get(2).get("error").get("code").asText(), "an in-process room has no tree");
            }
            piano.assertAlive();
            piano.stop(); // SIGTERM: the JVM exits normally (143), and its exit deletes the socket
            assertFalse(Files.exists(socket), "the socket is gone once the piano exited\n" + piano.console());
        }
    }

    @Test
    void noInspectOpensNoSocket() throws Exception {
        Path runtime = Files.createDirectory(dir.resolve("run"));
        Map<String, String> env = Map.of("XDG_RUNTIME_DIR", runtime.toString());
        try (PeerProcess piano = PeerProcess.start(
                dir, "Cy", env, "--headless", "--bot", "melody", "--seconds", "120", "--no-inspect")) {
            piano.child().awaitLine("the start line", line -> line.startsWith("playing in"));
            Path socket = runtime.resolve("ensemble").resolve(piano.child().pid() + "-piano.sock");
            assertFalse(Files.exists(socket), socket.toString());
            assertFalse(Files.exists(socket.getParent()), "not even the socket directory was made");
            piano.stop();
            assertTrue(
                    piano.output().stream().noneMatch(line -> line.startsWith("inspect this piano")), piano.console());
        }
    }

    @Test
    void aSocketThatCannotOpenIsAWarningAndThePianoPlaysOn() throws Exception {
        // A socket directory that other users could read: the socket is not put there.
        Path runtime = Files.createDirectory(dir.resolve("run"));
        Files.createDirectory(
                runtime.resolve("ensemble"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        try (PeerProcess piano = PeerProcess.start(
                dir, "Di", Map.of("XDG_RUNTIME_DIR", runtime.toString()), "--headless", "--bot", "melody")) {
            assertEquals(0, piano.child().awaitExit(), piano.console());
            Await.until("the summary", () -> piano.output().stream().anyMatch(line -> line.startsWith("SUMMARY")));
            assertTrue(
                    piano.child().stderr().stream()
                            .anyMatch(line -> line.startsWith("warning: the inspection socket could not be opened")),
                    piano.console());
        }
    }
}
