package dev.ensemble.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.signaling.protocol.ErrorCode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Runs {@link Main} as a real process, configured through the command line and the environment. */
class MainProcessTest {

    private static final Pattern LISTENING = Pattern.compile("listening on (ws://127\\.0\\.0\\.1:\\d+)");
    private Process process;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Process launch(List<String> args, String... environment) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        for (int i = 0; i < environment.length; i += 2) {
            builder.environment().put(environment[i], environment[i + 1]);
        }
        return builder.start();
    }

    /** Reads the process's output on a daemon thread, so that the test can wait for a line with a deadline. */
    private static BlockingQueue<String> readLines(Process process) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader output = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line = output.readLine(); line != null; line = output.readLine()) {
                            lines.add(line);
                        }
                    } catch (IOException e) {
                        lines.add("(output closed: " + e + ")");
                    }
                },
                "server-output");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    @Test
    void servesUntilTerminatedAndThenTellsItsClients() throws Exception {
        process = launch(
                List.of("--host", "127.0.0.1", "--metrics-port", "-1"),
                "ENSEMBLE_SIGNALING_PORT",
                "0",
                "ENSEMBLE_SIGNALING_MAX_PEERS_PER_ROOM",
                "1");
        BlockingQueue<String> lines = readLines(process);
        URI uri = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (uri == null) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("the server did not say where it listens within 20 s");
            }
            Matcher matcher = LISTENING.matcher(line);
            if (line.startsWith("signaling server") && matcher.find()) {
                uri = URI.create(matcher.group(1));
            }
        }
        try (TestClient first = TestClient.verified(uri);
                TestClient second = TestClient.verified(uri)) {
            first.join("solo");
            second.send(new dev.ensemble.signaling.protocol.ClientMessage.Join("solo", null));
            second.expectError(ErrorCode.ROOM_FULL);

            process.destroy();
            first.expectError(ErrorCode.SHUTTING_DOWN);
            assertEquals(1001, first.awaitClosed().code());
        }
        assertTrue(process.waitFor(10, TimeUnit.SECONDS), "the server did not exit after SIGTERM");
    }

    @Test
    void exitsWithAnErrorNamingTheAddressWhenThePortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            process =
                    launch(List.of("--host", "127.0.0.1", "--port", "" + taken.getLocalPort(), "--metrics-port", "-1"));
            assertTrue(process.waitFor(20, TimeUnit.SECONDS), "the server should exit at once");
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(1, process.exitValue(), output);
            assertTrue(output.contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()), output);
        }
    }

    @Test
    void rejectsAnUnknownOptionWithExitCodeTwo() throws Exception {
        process = launch(List.of("--colour", "blue"));
        assertTrue(process.waitFor(20, TimeUnit.SECONDS), "the server should exit at once");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, process.exitValue(), output);
        assertTrue(output.contains("unknown option --colour"), output);
    }
}
