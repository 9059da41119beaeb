package dev.ensemble.collab.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorEvent;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorToken;
import dev.ensemble.testkit.Await;
import dev.ensemble.transport.Backoff;
import java.net.URI;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The connection actor against a server the test plays, frame by frame. */
class RepoConnectionActorTest {
    private static final ActorToken<RepoConnection, RepoConnectionState> SERVER = RepoConnection.token("server");
    private static final RepoCodec CODEC = RepoCodec.standard();
    private static final DocumentId DOC = DocumentId.parse("1Bhh3pU9gLXZiNDL6PEa1Gs9fh");

    private final FakeSockets sockets = new FakeSockets();
    private final List<ActorEvent> events = new CopyOnWriteArrayList<>();
    private ActorSystem system;
    private ActorClient<RepoConnection, RepoConnectionState> client;

    @BeforeEach
    void start() {
        system = ActorSystem.builder("repo-connection-test")
                .add(
                        SERVER,
                        () -> new RepoConnectionActor(
                                RepoConnectionSettings.builder(URI.create("ws://127.0.0.1:1"), sockets)
                                        .peerId("java-test")
                                        .reconnect(Backoff.of(Duration.ofMillis(10), Duration.ofMillis(10), 0))
                                        .build()))
                .start();
        client = system.client(SERVER);
        client.onEvent(events::add);
    }

    @AfterEach
    void stop() {
        system.close();
    }

    private FakeSockets.Connection joined() {
        Await.until("the actor connects", () -> !sockets.connections.isEmpty());
        FakeSockets.Connection connection = sockets.last();
        connection.opens();
        Await.until("the actor sends join", () -> !connection.sent.isEmpty());
        connection.serverSends(CODEC.encode(new RepoMessage.Peer("server-1", "java-test", PeerMetadata.EMPTY, "1")));
        Await.until("the actor is connected", () -> client.state().connected());
        return connection;
    }

    private List<Object> payloads(String name) {
        return events.stream()
                .filter(e -> e.name().equals(name))
                .map(ActorEvent::payload)
                .toList();
    }

    @Test
    void joinsWithItsPeerIdPeerMetadataAndVersionOne() {
        FakeSockets.Connection connection = joined();
        assertEquals(
                new RepoMessage.Join("java-test", PeerMetadata.EPHEMERAL, List.of("1")),
                CODEC.decode(connection.sent.get(0)));
        assertEquals("a4", HexFormat.of().formatHex(connection.sent.get(0), 0, 1), "one map of four entries");
        assertEquals("server-1", client.state().serverPeerId());
        Await.until("the connected event", () -> !payloads(RepoEvents.CONNECTED).isEmpty());
        assertEquals(
                new RepoEvents.Connected(1, "server-1", PeerMetadata.EMPTY),
                payloads(RepoEvents.CONNECTED).get(0));
    }

    @Test
    void sendsSyncAndRequestAddressedToTheServer() {
        FakeSockets.Connection connection = joined();
        client.actions().sendSync(1, DOC, new byte[] {0x42, 1}, true);
        client.actions().sendSync(1, DOC, new byte[] {0x42, 2}, false);
        client.actions().sendSync(7, DOC, new byte[] {0x42, 3}, false);
        Await.until("two messages after join", () -> connection.sent.size() == 3);
        assertEquals(
                new RepoMessage.Request("java-test", "server-1", DOC, new byte[] {0x42, 1}),
                CODEC.decode(connection.sent.get(1)));
        assertEquals(
                new RepoMessage.Sync("java-test", "server-1", DOC, new byte[] {0x42, 2}),
                CODEC.decode(connection.sent.get(2)));
        client.actions().sendEphemeral(DOC, new byte[] {(byte) 0xa0});
        Await.until("the ephemeral message", () -> connection.sent.size() == 4);
        RepoMessage.Ephemeral ephemeral =
                assertInstanceOf(RepoMessage.Ephemeral.class, CODEC.decode(connection.sent.get(3)));
        assertEquals(1, ephemeral.count());
    }

    @Test
    void deliversEachDocumentsMessagesAsItsEvent() {
        FakeSockets.Connection connection = joined();
        RepoMessage unavailable = new RepoMessage.DocUnavailable("server-1", "java-test", DOC);
        connection.serverSends(CODEC.encode(unavailable));
        Await.until(
                "the document's event", () -> payloads(RepoEvents.document(DOC)).equals(List.of(unavailable)));
    }

    @Test
    void dropsMalformedFramesWithAnErrorEventAndStaysConnected() {
        FakeSockets.Connection connection = joined();
        connection.serverSends(new byte[] {0x01});
        connection.serverSends(HexFormat.of().parseHex("ff0001"));
        connection.serverSends(HexFormat.of().parseHex("a1" + "6474797065" + "656c65617665")); // unknown type: silent
        Await.until("two errors", () -> payloads(RepoEvents.ERROR).size() == 2, () -> payloads(RepoEvents.ERROR));
        assertEquals(
                "malformed frame from the server: a frame must be one CBOR map, but it holds an integer (first byte 0x01)",
                payloads(RepoEvents.ERROR).get(0));
        RepoMessage unavailable = new RepoMessage.DocUnavailable("server-1", "java-test", DOC);
        connection.serverSends(CODEC.encode(unavailable));
        Await.until(
                "a good frame after the bad ones still arrives",
                () -> !payloads(RepoEvents.document(DOC)).isEmpty());
        assertTrue(client.state().connected());
    }

    @Test
    void reportsTheServersErrorMessage() {
        Await.until("the actor connects", () -> !sockets.connections.isEmpty());
        FakeSockets.Connection connection = sockets.last();
        connection.opens();
        connection.serverSends(
                CODEC.encode(new RepoMessage.ErrorMessage("server-1", "java-test", "unsupported protocol version")));
        Await.until("the error event", () -> !payloads(RepoEvents.ERROR).isEmpty());
        assertEquals(
                "the server refused us: unsupported protocol version",
                payloads(RepoEvents.ERROR).get(0));
        assertEquals(
                "the server refused us: unsupported protocol version",
                client.state().lastProblem());
    }

    @Test
    void refusesAnotherProtocolVersionAndCloses() {
        Await.until("the actor connects", () -> !sockets.connections.isEmpty());
        FakeSockets.Connection connection = sockets.last();
        connection.opens();
        connection.serverSends(CODEC.encode(new RepoMessage.Peer("server-1", "java-test", PeerMetadata.EMPTY, "2")));
        Await.until("the actor closes", () -> connection.closedByClient);
        Await.until("the error event", () -> !payloads(RepoEvents.ERROR).isEmpty());
        assertEquals(
                "the server selected protocol version \"2\"; only \"1\" is spoken here",
                payloads(RepoEvents.ERROR).get(0));
    }

    @Test
    void reconnectsWithTheSamePeerIdAndDropsSyncMessagesOfTheOldConnection() {
        FakeSockets.Connection first = joined();
        first.serverCloses("server went away");
        Await.until(
                "the disconnected event",
                () -> !payloads(RepoEvents.DISCONNECTED).isEmpty());
        Await.until("a second connection", () -> sockets.connections.size() == 2);
        FakeSockets.Connection second = joined();
        assertEquals(2, client.state().connection());
        assertEquals(
                new RepoMessage.Join("java-test", PeerMetadata.EPHEMERAL, List.of("1")),
                CODEC.decode(second.sent.get(0)));
        client.actions().sendSync(1, DOC, new byte[] {0x42}, false);
        client.actions().sendSync(2, DOC, new byte[] {0x43}, false);
        Await.until("one sync on the new connection", () -> second.sent.size() == 2);
        assertEquals(
                new RepoMessage.Sync("java-test", "server-1", DOC, new byte[] {0x43}),
                CODEC.decode(second.sent.get(1)));
    }

    @Test
    void keepsRetryingAServerThatIsNotThere() {
        Await.until("the actor connects", () -> !sockets.connections.isEmpty());
        sockets.last().listener.closed("connection refused");
        Await.until("a retry", () -> sockets.connections.size() >= 2);
        sockets.last().listener.closed("connection refused");
        Await.until("another retry", () -> sockets.connections.size() >= 3);
        Await.until(
                "the state names the problem",
                () -> "connection refused".equals(client.state().lastProblem()),
                client::state);
        assertTrue(payloads(RepoEvents.DISCONNECTED).isEmpty(), "never connected, so never disconnected");
    }

    @Test
    void logsNameTheServerWithoutTheQueryThatCarriesItsAccessToken() {
        assertEquals(
                "ws://127.0.0.1:1/automerge-repo?…",
                RepoConnectionActor.withoutQuery(URI.create("ws://127.0.0.1:1/automerge-repo?token=secret.jwt")));
        assertEquals(
                "ws://127.0.0.1:1/automerge-repo",
                RepoConnectionActor.withoutQuery(URI.create("ws://127.0.0.1:1/automerge-repo")));
    }
}
