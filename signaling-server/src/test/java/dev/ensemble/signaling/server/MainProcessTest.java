package dev.ensemble.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.signaling.protocol.ClientMessage;
import dev.ensemble.signaling.protocol.ErrorCode;
import dev.ensemble.testkit.process.ChildProcess;
import dev.ensemble.testkit.process.JavaCommand;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@link Main} as a real process, configured through the command line and the environment. */
class MainProcessTest {

    private static final Pattern LISTENING = Pattern.compile("listening on (ws://127\\.0\\.0\\.1:\\d+)");
    /** JVM start and shutdown on a loaded machine. */
    private static final Duration STARTED = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private ChildProcess server;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
    }

    private static JavaCommand main(String... args) {
        return JavaCommand.of(Main.class).args(args);
    }

    @Test
    void servesUntilTerminatedAndThenTellsItsClients() throws Exception {
        server = ChildProcess.builder(main("--host", "127.0.0.1", "--metrics-port", "-1"))
                .environment("ENSEMBLE_SIGNALING_PORT", "0")
                .environment("ENSEMBLE_SIGNALING_MAX_PEERS_PER_ROOM", "1")
                .start(dir, "server");
        String listening = server.awaitLine(
                "where it listens",
                STARTED,
                line -> line.startsWith("signaling server")
                        && LISTENING.matcher(line).find());
        Matcher matcher = LISTENING.matcher(listening);
        assertTrue(matcher.find());
        URI uri = URI.create(matcher.group(1));
        try (TestClient first = TestClient.verified(uri);
                TestClient second = TestClient.verified(uri)) {
            first.join("solo");
            second.send(new ClientMessage.Join("solo", null));
            second.expectError(ErrorCode.ROOM_FULL);

            server.terminate(Duration.ofSeconds(10));
            first.expectError(ErrorCode.SHUTTING_DOWN);
            assertEquals(1001, first.awaitClosed().code());
        }
    }

    @Test
    void exitsWithAnErrorNamingTheAddressWhenThePortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            server = ChildProcess.builder(
                            main("--host", "127.0.0.1", "--port", "" + taken.getLocalPort(), "--metrics-port", "-1"))
                    .start(dir, "server");
            assertEquals(1, server.awaitExit(STARTED), server.describe());
            assertTrue(
                    server.stderrText().contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()),
                    server.describe());
        }
    }

    @Test
    void rejectsAnUnknownOptionWithExitCodeTwo() throws Exception {
        server = ChildProcess.builder(main("--colour", "blue")).start(dir, "server");
        assertEquals(2, server.awaitExit(STARTED), server.describe());
        assertTrue(server.stderrText().contains("unknown option --colour"), server.describe());
    }
}
