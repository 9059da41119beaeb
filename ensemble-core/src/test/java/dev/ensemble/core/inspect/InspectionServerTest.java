package dev.ensemble.core.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.process.ChildProcess;
import dev.ensemble.testkit.process.JavaCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectionServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private final InspectionServerTestInspector inspector = new InspectionServerTestInspector();
    private InspectionServer server;

    @AfterEach
    void closeServer() {
        if (server != null) {
            server.close();
        }
    }

    private InspectionServer serve(InspectionServer.Limits limits) throws IOException {
        server = InspectionServer.start(inspector, temp.resolve("7-test.sock"), "test", InspectionAccess.READ, limits);
        return server;
    }

    private InspectionServer serve() throws IOException {
        return serve(InspectionServer.Limits.DEFAULT);
    }

    private static JsonNode json(String line) throws IOException {
        return JSON.readTree(line);
    }

    private static void assertError(String line, Long id, String code) throws IOException {
        JsonNode error = json(line);
        assertEquals(id == null ? "null" : id.toString(), error.get("id").toString(), line);
        assertFalse(error.get("ok").asBoolean(), line);
        assertEquals(code, error.get("error").get("code").asText(), line);
        assertFalse(error.get("error").get("message").asText().isEmpty(), line);
    }

    @Test
    void sendsTheHelloFirstAndAnswersEachRequestLine() throws IOException {
        serve();
        try (InspectionServerTestClient client = InspectionServerTestClient.connect(server.socket())) {
            JsonNode hello = json(client.readLine());
            assertEquals("hello", hello.get("type").asText());
            assertEquals("read", hello.get("access").asText());

            client.send("{\"id\":1,\"op\":\"ls\",\"path\":\"/\"}\n");
            assertEquals("echo:{\"id\":1,\"op\":\"ls\",\"path\":\"/\"}", client.readLine());
            client.send("{\"id\":2,\"op\":\"tree\"}\r\n\n\r\n{\"id\":3,\"op\":\"top\",\"name\":\"é♪\"}\n");
            assertEquals("echo:{\"id\":2,\"op\":\"tree\"}", client.readLine());
            assertEquals("echo:{\"id\":3,\"op\":\"top\",\"name\":\"é♪\"}", client.readLine());
            // a line sent in pieces is one request
            client.send("{\"id\":4,");
            client.send("\"op\":\"pwd\"}\n");
            assertEquals("echo:{\"id\":4,\"op\":\"pwd\"}", client.readLine());
            assertEquals(4, inspector.session(1).requests.size(), "empty lines are not requests");
        }
    }

    @Test
    void startsByNameInTheOwnerOnlyDirectoryWithAnOwnerOnlySocket() throws IOException {
        String system = "sock-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100_000;
        server = InspectionServer.start(inspector, system, InspectionAccess.WRITE);
        Path socket = server.socket();
        assertEquals(InspectionSockets.socketFor(ProcessHandle.current().pid(), system), socket);
        assertEquals(
                "rwx------",
                PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(InspectionSockets.directory(), LinkOption.NOFOLLOW_LINKS)));
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS)));
        assertTrue(InspectionSockets.socketsOf(ProcessHandle.current().pid()).contains(socket));
        try (InspectionServerTestClient client = InspectionServerTestClient.connect(socket)) {
            assertEquals("write", json(client.readLine()).get("access").asText());
        }
        assertTrue(
                Thread.getAllStackTraces().keySet().stream()
                        .anyMatch(t -> t.getName().equals("ensemble-inspect-" + system + "-accept") && t.isDaemon()),
                "a daemon acceptor named after the system");
        server.close();
        assertFalse(Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void twoClientsAtOnceEachHaveTheirOwnSession() throws IOException {
        serve();
        try (InspectionServerTestClient alice = InspectionServerTestClient.connect(server.socket());
                InspectionServerTestClient bob = InspectionServerTestClient.connect(server.socket())) {
            int aliceSession = json(alice.readLine()).get("session").asInt();
            int bobSession = json(bob.readLine()).get("session").asInt();
            assertTrue(aliceSession != bobSession);

            alice.send("{\"id\":1,\"from\":\"alice\"}\n");
            bob.send("{\"id\":1,\"from\":\"bob\"}\n");
            assertEquals("echo:{\"id\":1,\"from\":\"alice\"}", alice.readLine());
            assertEquals("echo:{\"id\":1,\"from\":\"bob\"}", bob.readLine());
            assertEquals(List.of("{\"id\":1,\"from\":\"alice\"}"), inspector.session(aliceSession).requests);

            alice.close();
            Await.until(
                    "Alice's session closes",
                    () -> inspector.session(aliceSession).closed.get());
            bob.send("{\"id\":2}\n");
            assertEquals("echo:{\"id\":2}", bob.readLine());
            assertFalse(inspector.session(bobSession).closed.get());
        }
    }

    @Test
    void aClientThatDisconnectsMidLineOrMidStreamClosesItsSession() throws IOException {
        serve();
        InspectionServerTestClient midLine = InspectionServerTestClient.connect(server.socket());
        midLine.readLine();
        midLine.send("{\"id\":1,\"op\":\"l");
        midLine.close();
        Await.until(
                "the session of a client gone mid-line closes",
                Duration.ofSeconds(5),
                () -> inspector.session(1).closed.get());
        assertEquals(List.of(), inspector.session(1).requests, "half a line is no request");

        InspectionServerTestClient midStream = InspectionServerTestClient.connect(server.socket());
        midStream.readLine();
        midStream.send("flood 1000000 100\n");
        Await.until("the stream runs", () -> inspector.session(2).flooded.get() > 10);
        midStream.close();
        Await.until(
                "the session of a client gone mid-stream closes",
                Duration.ofSeconds(5),
                () -> inspector.session(2).closed.get());
        Await.until("the server forgets both", () -> server.connectionCount() == 0);
    }

    @Test
    void aLineAboveOneMebibyteIsAnsweredTooLargeAndTheConnectionStaysUsable() throws IOException {
        serve();
        try (InspectionServerTestClient client = InspectionServerTestClient.connect(server.socket())) {
            client.readLine();
            String big =
                    "{\"id\":5,\"op\":\"send\",\"args\":[\"" + "a".repeat(InspectionServer.MAX_LINE_BYTES) + "\"]}\n";
            client.send(big);
            assertError(client.readLine(), 5L, "too-large");
            client.send("[\"" + "b".repeat(InspectionServer.MAX_LINE_BYTES) + "\"]\n");
            assertError(client.readLine(), null, "too-large");

            client.send("{\"id\":6,\"op\":\"pwd\"}\n");
            assertEquals("echo:{\"id\":6,\"op\":\"pwd\"}", client.readLine());
            assertEquals(List.of("{\"id\":6,\"op\":\"pwd\"}"), inspector.session(1).requests);

            String largest = "{\"id\":7,\"pad\":\"" + "c".repeat(InspectionServer.MAX_LINE_BYTES - 17) + "\"}";
            assertEquals(InspectionServer.MAX_LINE_BYTES, largest.length());
            client.send(largest + "\r\n");
            assertEquals("echo:" + largest, client.readLine(), "a line of exactly 1 MiB is a request");
        }
    }

    @Test
    void aLineThatIsNotUtf8IsABadRequestAndTheConnectionStaysUsable() throws IOException {
        serve();
        try (InspectionServerTestClient client = InspectionServerTestClient.connect(server.socket())) {
            client.readLine();
            ByteArrayOutputStream bad = new ByteArrayOutputStream();
            bad.writeBytes("{\"id\":3,\"op\":\"cat\",\"path\":\"/".getBytes(StandardCharsets.UTF_8));
            bad.writeBytes(new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xc3});
            bad.writeBytes("\"}\n".getBytes(StandardCharsets.UTF_8));
            client.send(bad.toByteArray());
            assertError(client.readLine(), 3L, "bad-request");

            client.send("{\"id\":4}\n");
            assertEquals("echo:{\"id\":4}", client.readLine());
        }
    }

    @Test
    void aClientThatDoesNotReadIsCutOffWithoutHoldingUpTheSinksCaller() throws IOException {
        serve();
        try (InspectionServerTestClient slow = InspectionServerTestClient.connect(server.socket());
                InspectionServerTestClient other = InspectionServerTestClient.connect(server.socket())) {
            // Sessions open on each connection's own thread, in either order: the hello names them.
            int slowSession = json(slow.readLine()).get("session").asInt();
            other.readLine();
            int lines = 400;
            int lineBytes = 32 * 1024; // 12.5 MiB in all, three times the bound
            slow.send("flood " + lines + " " + lineBytes + "\n");
            InspectionServerTestInspector.Session session = inspector.session(slowSession);
            Await.until(
                    "every sink call of the stream returns although nobody reads",
                    Duration.ofSeconds(20),
                    session.floodDone::get,
                    () -> session.flooded.get() + " of " + lines + " sink calls returned");
            Await.until("the slow client's session closes", Duration.ofSeconds(5), session.closed::get);

            slow.awaitEnd();
            long received = slow.bytesRead();
            assertTrue(received < (long) lines * lineBytes, "cut off after " + received + " bytes");
            assertTrue(
                    received <= InspectionServer.MAX_QUEUED_BYTES,
                    "what was written before the cut-off is what the kernel buffers, got " + received);

            other.send("{\"id\":1}\n");
            assertEquals("echo:{\"id\":1}", other.readLine(), "the other client is untouched");
        }
    }

    @Test
    void aStaleSocketFileIsReplaced() throws IOException {
        Path socket = temp.resolve("7-test.sock");
        ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        crashed.bind(UnixDomainSocketAddress.of(socket));
        crashed.close(); // the file stays, as after a crash: connecting to it is refused
        assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS));

        serve();
        try (InspectionServerTestClient client = InspectionServerTestClient.connect(socket)) {
            assertEquals("hello", json(client.readLine()).get("type").asText());
        }
    }

    @Test
    void aLiveSocketOrAFileThatIsNotASocketIsRefusedAndLeftAlone() throws IOException {
        Path socket = temp.resolve("7-test.sock");
        try (ServerSocketChannel live = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            live.bind(UnixDomainSocketAddress.of(socket));
            IOException refused = assertThrows(IOException.class, this::serve);
            assertTrue(refused.getMessage().contains(socket.toString()), refused.getMessage());
            assertTrue(refused.getMessage().contains("another server answers"), refused.getMessage());
            assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
        }
        Files.delete(socket);

        Files.writeString(socket, "notes");
        IOException notASocket = assertThrows(IOException.class, this::serve);
        assertTrue(notASocket.getMessage().contains("not a socket"), notASocket.getMessage());
        assertEquals("notes", Files.readString(socket));
        Files.delete(socket);

        InspectionServer first = serve();
        IOException twice =
                assertThrows(IOException.class, () -> InspectionServer.start(inspector, socket, InspectionAccess.READ));
        assertTrue(twice.getMessage().contains("already served by this process"), twice.getMessage());
        assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), "the first server keeps its socket");
        try (InspectionServerTestClient client = InspectionServerTestClient.connect(first.socket())) {
            client.readLine();
        }
    }

    @Test
    void anotherProcessesSocketIsRefusedWhileItRunsRemovedWhenItExitsAndReplacedAfterAKill() throws Exception {
        try (ChildProcess child = ChildProcess.builder(
                        JavaCommand.of(InspectionServerTestMain.class).args(temp.toString()))
                .start(temp, "exits")) {
            Path socket = Path.of(child.awaitLine("the child listens", line -> line.startsWith("listening on "))
                    .substring("listening on ".length()));
            assertEquals(temp.resolve(child.pid() + "-child.sock"), socket);
            try (InspectionServerTestClient client = InspectionServerTestClient.connect(socket)) {
                assertEquals("hello", json(client.readLine()).get("type").asText());
            }
            IOException live = assertThrows(
                    IOException.class, () -> InspectionServer.start(inspector, socket, InspectionAccess.READ));
            assertTrue(live.getMessage().contains("another server answers"), live.getMessage());
            assertTrue(live.getMessage().contains("process " + child.pid() + " is running"), live.getMessage());

            assertEquals(143, child.terminate(), child.describe());
            assertFalse(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), "the shutdown hook deletes the socket");
        }
        try (ChildProcess child = ChildProcess.builder(
                        JavaCommand.of(InspectionServerTestMain.class).args(temp.toString()))
                .start(temp, "killed")) {
            Path socket = Path.of(child.awaitLine("the child listens", line -> line.startsWith("listening on "))
                    .substring("listening on ".length()));
            child.kill();
            assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), "a killed process leaves its socket");

            server = InspectionServer.start(inspector, socket, InspectionAccess.READ);
            try (InspectionServerTestClient client = InspectionServerTestClient.connect(socket)) {
                assertEquals("hello", json(client.readLine()).get("type").asText());
            }
        }
    }

    @Test
    void closeEndsEveryClientDeletesTheFileAndIsIdempotent() throws IOException {
        serve();
        Path socket = server.socket();
        try (InspectionServerTestClient alice = InspectionServerTestClient.connect(socket);
                InspectionServerTestClient bob = InspectionServerTestClient.connect(socket)) {
            // Sessions open on each connection's own thread, in either order: the hello names them.
            int aliceSession = json(alice.readLine()).get("session").asInt();
            int bobSession = json(bob.readLine()).get("session").asInt();
            bob.send("flood 1000000 100\n");
            Await.until(
                    "Bob's stream runs",
                    () -> inspector.session(bobSession).flooded.get() > 10);

            server.close();
            assertTrue(inspector.session(aliceSession).closed.get(), "sessions are closed when close returns");
            assertTrue(inspector.session(bobSession).closed.get(), "sessions are closed when close returns");
            assertFalse(Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
            alice.awaitEnd();
            bob.awaitEnd();
            inspector.session(aliceSession).sink.accept("{\"id\":1,\"late\":true}"); // dropped, never thrown
            server.close();
            assertTrue(inspector.session(aliceSession).closeCalls.get() >= 1);
            assertThrows(IOException.class, () -> InspectionServerTestClient.connect(socket));
        }
    }

    @Test
    void aPathTooLongForAUnixSocketIsRefusedUpFront() {
        Path socket = temp.resolve("x".repeat(InspectionSockets.MAX_PATH_BYTES) + ".sock");
        IllegalArgumentException refused = assertThrows(
                IllegalArgumentException.class, () -> InspectionServer.start(inspector, socket, InspectionAccess.READ));
        assertTrue(refused.getMessage().contains(socket.toString()), refused.getMessage());
        assertTrue(refused.getMessage().contains("at most " + InspectionSockets.MAX_PATH_BYTES), refused.getMessage());
        assertFalse(Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
        assertThrows(
                IllegalArgumentException.class,
                () -> InspectionServer.start(inspector, "s".repeat(200), InspectionAccess.READ));
    }

    @Test
    void connectionsBeyondTheLimitAreToldSoAndClosed() throws IOException {
        serve(new InspectionServer.Limits(InspectionServer.MAX_LINE_BYTES, InspectionServer.MAX_QUEUED_BYTES, 2));
        try (InspectionServerTestClient first = InspectionServerTestClient.connect(server.socket());
                InspectionServerTestClient second = InspectionServerTestClient.connect(server.socket())) {
            first.readLine();
            second.readLine();
            try (InspectionServerTestClient third = InspectionServerTestClient.connect(server.socket())) {
                String refusal = third.readLine();
                assertError(refusal, null, "busy");
                assertTrue(refusal.contains("at most 2"), refusal);
                third.awaitEnd();
            }
            first.close();
            Await.until("the first connection is forgotten", () -> server.connectionCount() == 1);
            try (InspectionServerTestClient fourth = InspectionServerTestClient.connect(server.socket())) {
                assertEquals("hello", json(fourth.readLine()).get("type").asText());
            }
        }
        assertEquals(3, inspector.sessions.size(), "no session for the refused connection");
    }

    @Test
    void anInspectorThatFailsToOpenEndsThatConnectionOnly() throws IOException {
        serve();
        inspector.failOpen = new IllegalStateException("test: no session");
        try (InspectionServerTestClient refused = InspectionServerTestClient.connect(server.socket())) {
            refused.awaitEnd();
        }
        inspector.failOpen = null;
        try (InspectionServerTestClient client = InspectionServerTestClient.connect(server.socket())) {
            assertEquals("hello", json(client.readLine()).get("type").asText());
        }
    }

    @Test
    void refusesAPeerOfAnotherUser() throws IOException {
        UserPrincipal me = Files.getOwner(temp);
        UserPrincipal mallory = () -> "mallory";
        assertNull(InspectionServer.refusal(me, me));
        String refusal = InspectionServer.refusal(mallory, me);
        assertError(refusal, null, "forbidden");
        assertTrue(refusal.contains("user mallory may not attach; only " + me.getName() + " may"), refusal);
    }

    @Test
    void namesTheSystemAfterTheSocketFile() {
        assertEquals("piano", InspectionServer.systemNameOf(Path.of("/run/ensemble/4242-piano.sock")));
        assertEquals("my-server", InspectionServer.systemNameOf(Path.of("/tmp/my-server.sock")));
        assertEquals("inspect", InspectionServer.systemNameOf(Path.of("inspect")));
    }
}
