package dev.ensemble.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ensemble.signaling.protocol.ClientMessage;
import dev.ensemble.signaling.protocol.RelayFrame;
import dev.ensemble.signaling.protocol.ServerMessage;
import dev.ensemble.testkit.Await;
import dev.ensemble.transport.PeerId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --inspect}: a real server's rooms and connections, read over its local inspection socket by a
 * JDK Unix-domain client speaking the protocol's lines (docs/SHELL.md), while real clients join, relay
 * and leave.
 */
class SignalingInspectionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerFixture fixture = new ServerFixture();

    @AfterEach
    void tearDown() throws InterruptedException {
        fixture.close();
    }

    /** The shell's side of the socket: one request line out, lines in until its reply. */
    private static final class Shell implements AutoCloseable {
        private final SocketChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private final AtomicLong ids = new AtomicLong();
        final JsonNode hello;

        Shell(Path socket) throws IOException {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            hello = JSON.readTree(readLine());
        }

        /** Sends {@code request} (without id) and returns its reply line. */
        JsonNode request(String op, String fields) throws IOException {
            long id = ids.incrementAndGet();
            String text = "{\"id\":" + id + ",\"op\":\"" + op + "\"" + (fields.isEmpty() ? "" : "," + fields) + "}\n";
            ByteBuffer out = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                channel.write(out);
            }
            while (true) {
                JsonNode reply = JSON.readTree(readLine());
                if (reply.path("id").asLong(-1) == id) {
                    return reply;
                }
            }
        }

        JsonNode result(String op, String fields) throws IOException {
            JsonNode reply = request(op, fields);
            assertTrue(reply.path("ok").asBoolean(), reply::toString);
            return reply.path("result");
        }

        private String readLine() throws IOException {
            while (true) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    byte b = buffer.get();
                    if (b == '\n') {
                        buffer.compact();
                        String text = line.toString(StandardCharsets.UTF_8);
                        line.reset();
                        return text;
                    }
                    line.write(b);
                }
                buffer.clear();
                if (channel.read(buffer) < 0) {
                    throw new IOException("the server closed the inspection socket");
                }
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private static Set<String> names(JsonNode entries) {
        Set<String> names = new TreeSet<>();
        entries.forEach(entry -> names.add(entry.path("name").asText()));
        return names;
    }

    private static Set<String> fields(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void aShellSeesRoomsAndConnectionsAsTheyChangeAndCannotSendToThem() throws Exception {
        SignalingServer server = fixture.start(b -> b.inspect(true));
        Path socket = server.inspectionSocket();
        assertNotNull(socket, "--inspect opens a socket");
        TestClient alice = fixture.verified(server);
        TestClient bob = fixture.verified(server);
        PeerId aliceId = alice.identity.peerId();
        PeerId bobId = bob.identity.peerId();
        alice.join("lobby");
        bob.join("lobby");
        bob.join("band/one");
        alice.expect(ServerMessage.PeerJoined.class);
        byte[] frame = new RelayFrame("lobby", aliceId, bobId, new byte[] {1, 2, 3}).encode();
        alice.sendBinary(frame);
        bob.expect(byte[].class);

        try (Shell shell = new Shell(socket)) {
            assertEquals("signaling", shell.hello.path("system").asText(), shell.hello::toString);
            assertEquals("read", shell.hello.path("access").asText());

            JsonNode rooms = shell.result("ls", "\"path\":\"/rooms\",\"long\":true");
            assertEquals(Set.of("lobby", "band%2Fone"), names(rooms.path("entries")), rooms::toString);
            for (JsonNode entry : rooms.path("entries")) {
                assertEquals("namespace", entry.path("kind").asText());
                assertEquals(
                        entry.path("name").asText().equals("lobby") ? "2 peers, open" : "1 peer, open",
                        entry.path("summary").asText(),
                        entry::toString);
            }

            JsonNode lobby = shell.result("cat", "\"path\":\"/rooms/lobby\"");
            assertEquals("/rooms/lobby", lobby.path("path").asText());
            JsonNode state = lobby.path("state");
            assertEquals(
                    Set.of("room", "closed", "peers", "elsewhere", "framesRelayed", "bytesRelayed"), fields(state));
            assertEquals("lobby", state.path("room").asText());
            assertFalse(state.path("closed").asBoolean());
            assertEquals(0, state.path("elsewhere").size());
            assertEquals(1, state.path("framesRelayed").asLong());
            assertEquals(frame.length, state.path("bytesRelayed").asLong());
            List<String> identities = new ArrayList<>();
            for (JsonNode peer : state.path("peers")) {
                assertEquals(
                        Set.of("identity", "connection", "connectedSince", "joinedAt", "framesRelayed", "bytesRelayed"),
                        fields(peer),
                        "nothing secret: " + peer);
                identities.add(peer.path("identity").asText());
                boolean sender = peer.path("identity").asText().equals(aliceId.toString());
                assertEquals(sender ? 1 : 0, peer.path("framesRelayed").asLong(), peer::toString);
                assertTrue(
                        java.time.Instant.parse(peer.path("joinedAt").asText())
                                        .compareTo(java.time.Instant.parse(
                                                peer.path("connectedSince").asText()))
                                >= 0,
                        peer::toString);
            }
            assertEquals(List.of(aliceId.toString(), bobId.toString()), identities, "in connection order");
            assertEquals(
                    "band/one",
                    shell.result("cat", "\"path\":\"/rooms/band%2Fone\"")
                            .path("state")
                            .path("room")
                            .asText(),
                    "the state keeps the real name");

            JsonNode connections = shell.result("ls", "\"path\":\"/connections\",\"long\":true");
            assertEquals(2, connections.path("entries").size(), connections::toString);
            JsonNode bobEntry = StreamSupport.stream(connections.path("entries").spliterator(), false)
                    .filter(e -> e.path("summary").asText().startsWith(bobId.toString()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("bob's connection: " + connections));
            JsonNode bobState = shell.result(
                            "cat", "\"path\":\"" + bobEntry.path("path").asText() + "\"")
                    .path("state");
            assertEquals(Set.of("id", "remoteAddress", "identity", "rooms", "since", "closing"), fields(bobState));
            assertEquals(bobId.toString(), bobState.path("identity").asText());
            assertEquals(JSON.readTree("[\"lobby\",\"band/one\"]"), bobState.path("rooms"));
            assertTrue(bobState.path("remoteAddress").asText().contains("127.0.0.1"), bobState::toString);

            // Namespaces take no messages; a read-only session sends nothing anyway.
            JsonNode send = shell.request("send", "\"path\":\"/rooms/lobby\",\"action\":\"kick\",\"args\":[]");
            assertFalse(send.path("ok").asBoolean(), send::toString);
            assertEquals("forbidden", send.path("error").path("code").asText(), send::toString);

            bob.close();
            Await.until("bob is gone from the lobby and his room is gone", () -> {
                try {
                    JsonNode now = shell.result("ls", "\"path\":\"/rooms\",\"long\":true");
                    return names(now.path("entries")).equals(Set.of("lobby"))
                            && now.path("entries")
                                    .get(0)
                                    .path("summary")
                                    .asText()
                                    .equals("1 peer, open");
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            assertEquals(
                    1,
                    shell.result("ls", "\"path\":\"/connections\"")
                            .path("entries")
                            .size());
            JsonNode gone = shell.request("cat", "\"path\":\"/rooms/band%2Fone\"");
            assertEquals("no-such-path", gone.path("error").path("code").asText(), gone::toString);

            alice.send(new ClientMessage.Leave("lobby"));
            alice.awaitMessage(ServerMessage.Left.class, left -> left.room().equals("lobby"));
            Await.until("no room is left", () -> {
                try {
                    return shell.result("ls", "\"path\":\"/rooms\"")
                            .path("entries")
                            .isEmpty();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
        }

        server.stop(java.time.Duration.ofSeconds(1));
        assertNull(server.inspectionSocket());
        assertFalse(Files.exists(socket), "the socket closes with the server");
    }

    @Test
    void aClosedRoomIsShownClosedAndItsInviteIsNotShown() throws Exception {
        dev.ensemble.transport.PeerIdentity owner = dev.ensemble.transport.PeerIdentity.generate();
        SignalingServer server = fixture.start(b -> b.inspect(true)
                .joinAuthorizer(InviteJoinAuthorizer.parse("jam=" + owner.peerId(), java.time.Clock.systemUTC())));
        TestClient client = fixture.track(TestClient.verified(server.uri(), owner));
        client.join("jam");
        try (Shell shell = new Shell(server.inspectionSocket())) {
            JsonNode rooms = shell.result("ls", "\"path\":\"/rooms\",\"long\":true");
            assertEquals(
                    "1 peer, closed",
                    rooms.path("entries").get(0).path("summary").asText(),
                    rooms::toString);
            JsonNode state = shell.result("cat", "\"path\":\"/rooms/jam\"").path("state");
            assertTrue(state.path("closed").asBoolean(), state::toString);
            assertEquals(
                    owner.peerId().toString(),
                    state.path("peers").get(0).path("identity").asText());
        }
    }

    @Test
    void withoutInspectThereIsNoSocket() throws Exception {
        SignalingServer server = fixture.start();
        assertNull(server.inspectionSocket());
    }
}
