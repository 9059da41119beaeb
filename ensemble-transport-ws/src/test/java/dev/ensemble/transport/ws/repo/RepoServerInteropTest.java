package dev.ensemble.transport.ws.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.ensemble.collab.CollaborationEvents;
import dev.ensemble.collab.CollaborationSettings;
import dev.ensemble.collab.repo.AutomergeUrl;
import dev.ensemble.collab.repo.DocumentId;
import dev.ensemble.collab.repo.PeerMetadata;
import dev.ensemble.collab.repo.RepoConnection;
import dev.ensemble.collab.repo.RepoConnectionActor;
import dev.ensemble.collab.repo.RepoConnectionSettings;
import dev.ensemble.collab.repo.RepoConnectionState;
import dev.ensemble.collab.repo.RepoEvents;
import dev.ensemble.collab.repo.RepoMessage;
import dev.ensemble.collab.repo.RepoSharing;
import dev.ensemble.collab.repo.server.RepoAccessTokens;
import dev.ensemble.collab.repo.server.RepoServerSettings;
import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorToken;
import dev.ensemble.signaling.server.Main;
import dev.ensemble.signaling.server.SignalingServer;
import dev.ensemble.signaling.server.SignalingServerConfig;
import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.process.ChildProcess;
import dev.ensemble.testkit.process.JavaCommand;
import dev.ensemble.transport.ws.WebSocketBinarySockets;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our signaling server as an automerge-repo sync server ({@code ws://127.0.0.1:PORT/automerge-repo}):
 * the reference JavaScript client ({@code @automerge/automerge-repo} with its WebSocket client
 * adapter, in Node) and our Java client ({@code collab.repo}) share documents through it, it keeps
 * them across a restart with the same data directory, and hostile clients are refused without
 * disturbing the others.
 */
class RepoServerInteropTest {
    private static final ActorToken<RepoConnection, RepoConnectionState> SERVER = RepoConnection.token("sync-server");
    private static final ActorToken<JsonDocumentActions, JsonNode> DOC =
            ActorToken.of("doc", JsonDocumentActions.class, JsonNode.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SECRET = "a test secret of more than sixteen characters";

    @TempDir
    Path temp;

    private NodeRepoPeers node;
    private SignalingServer server;
    private final List<ActorSystem> systems = new ArrayList<>();
    private final List<RawRepoClient> raw = new ArrayList<>();

    @BeforeEach
    void prepare() {
        NodeRepoPeers.assumeInstalled();
        node = new NodeRepoPeers(temp);
    }

    @AfterEach
    void stopEverything() {
        systems.forEach(ActorSystem::close);
        raw.forEach(RawRepoClient::close);
        if (node != null) {
            node.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private URI start(RepoServerSettings settings) throws Exception {
        server = new SignalingServer(
                        SignalingServerConfig.loopback().automergeRepo(settings).build())
                .start();
        return server.automergeRepoUri();
    }

    private URI start() throws Exception {
        return start(
                RepoServerSettings.builder().dataDirectory(temp.resolve("data")).build());
    }

    private RawRepoClient raw(URI uri) throws InterruptedException {
        RawRepoClient client = RawRepoClient.connect(uri);
        raw.add(client);
        return client;
    }

    private ActorClient<JsonDocumentActions, JsonNode> open(
            String name, URI uri, DocumentId id, RepoSharing sharing, JsonNode initial) {
        ActorSystem system = ActorSystem.builder(name)
                .add(
                        SERVER,
                        () -> new RepoConnectionActor(RepoConnectionSettings.builder(
                                        uri, WebSocketBinarySockets.create(Duration.ofSeconds(10), 64 << 20))
                                .peerId("java-" + name)
                                .build()))
                .add(
                        DOC,
                        () -> new JsonDocument(CollaborationSettings.builder(id.toString(), JsonNode.class, initial)
                                .repo(sharing.withFindTimeout(Duration.ofSeconds(20)))
                                .build()),
                        SERVER)
                .start();
        systems.add(system);
        return system.client(DOC);
    }

    private static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text);
    }

    private static JsonNode normalized(JsonNode view) {
        try {
            return MAPPER.readTree(view.toString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The document as a fresh JavaScript client reads it through the server, or null if unavailable. */
    private String readFromJavaScript(URI uri, DocumentId id) {
        try {
            ChildProcess client = node.client("js-read", uri, "read", id.url().toString());
            String line = client.awaitLine(
                    "js-read answers",
                    Duration.ofSeconds(60),
                    l -> l.startsWith("doc ") || l.startsWith("unavailable "));
            client.awaitExit();
            return line.startsWith("doc ") ? line.substring(4) : null;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aJavaScriptClientCreatesADocumentAnotherFindsItAndOurServerStillServesItAfterARestart() throws Exception {
        URI uri = start();
        String url = node.run("js-create", uri, "url ", "create", "{\"title\":\"from js\",\"n\":3}");
        DocumentId id = AutomergeUrl.parse(url).documentId();
        assertEquals(json("{\"title\":\"from js\",\"n\":3}"), json(readFromJavaScript(uri, id)));

        server.close();
        URI restarted = start();
        assertEquals(
                json("{\"title\":\"from js\",\"n\":3}"),
                json(readFromJavaScript(restarted, id)),
                "served from the data directory after the restart");
    }

    @Test
    void theServerProcessKilledWithSigkillServesWhatItAnsweredFromItsDataDirectory() throws Exception {
        Path data = temp.resolve("process-data");
        ChildProcess process = startProcess(data, "server-1");
        URI uri = processUri(process);
        String url = node.run("js-create", uri, "url ", "create", "{\"durable\":\"yes\"}");
        assertEquals(137, process.kill(), "killed, not stopped: nothing is flushed on the way out");

        ChildProcess restarted = startProcess(data, "server-2");
        assertEquals(
                "{\"durable\":\"yes\"}",
                readFromJavaScript(
                        processUri(restarted), AutomergeUrl.parse(url).documentId()));
        restarted.terminate();
    }

    private ChildProcess startProcess(Path data, String name) throws Exception {
        return ChildProcess.builder(JavaCommand.of(Main.class)
                        .args("--host", "127.0.0.1", "--port", "0", "--metrics-port", "-1", "--data", data.toString()))
                .start(temp, name);
    }

    private static URI processUri(ChildProcess process) {
        String line = process.awaitLine(
                "the server says where automerge-repo clients connect",
                Duration.ofSeconds(30),
                l -> l.contains("automerge-repo clients at "));
        return URI.create(
                line.substring(line.indexOf("automerge-repo clients at ") + "automerge-repo clients at ".length())
                        .trim());
    }

    @Test
    void javaAndJavaScriptShareDocumentsThroughOurServer() throws Exception {
        URI uri = start();
        String url = node.run("js-create", uri, "url ", "create", "{\"from\":\"js\"}");
        ActorClient<JsonDocumentActions, JsonNode> reader = open(
                "reader",
                uri,
                AutomergeUrl.parse(url).documentId(),
                RepoSharing.find(SERVER),
                JsonNodeFactory.instance.objectNode());
        JsonNode expected = json("{\"from\":\"js\"}");
        Await.until(
                "Java reads the JavaScript document", () -> expected.equals(normalized(reader.state())), reader::state);

        DocumentId id = DocumentId.random();
        ActorClient<JsonDocumentActions, JsonNode> writer =
                open("writer", uri, id, RepoSharing.create(SERVER), json("{\"from\":\"java\"}"));
        String read = Await.value("JavaScript reads the Java document", () -> readFromJavaScript(uri, id));
        assertEquals(json("{\"from\":\"java\"}"), json(read));
        writer.actions().put("more", "1");
        Await.until(
                "JavaScript reads Java's change",
                () -> "{\"from\":\"java\",\"more\":1}".equals(readFromJavaScript(uri, id)));
    }

    @Test
    void concurrentEditsFromJavaAndJavaScriptConvergeThroughOurServer() throws Exception {
        URI uri = start();
        DocumentId id = DocumentId.random();
        ActorClient<JsonDocumentActions, JsonNode> doc =
                open("editor", uri, id, RepoSharing.create(SERVER), json("{\"text\":\"hello world\"}"));
        Await.until("the server holds the document", () -> readFromJavaScript(uri, id) != null);
        ChildProcess js = node.client("js-edit", uri, "edit", id.url().toString(), "text", "JS says ", "java");
        js.awaitLine("js-edit finds the document", Duration.ofSeconds(60), "ready"::equals);
        doc.actions().insertText("text", "hello world".length(), ", from Java");
        doc.actions().put("java", "true");
        JsonNode jsView =
                json(js.awaitLine("js-edit sees Java's change", Duration.ofSeconds(60), l -> l.startsWith("doc "))
                        .substring(4));
        Await.until(
                "Java and JavaScript hold the same document",
                () -> jsView.equals(normalized(doc.state())),
                () -> "; Java " + doc.state() + ", JavaScript " + jsView);
        assertEquals("JS says hello world, from Java", doc.state().get("text").asText());
    }

    @Test
    void anUnknownDocumentIsUnavailableToJavaAndToJavaScript() throws Exception {
        URI uri = start();
        String answer = node.run(
                "js-read-unknown",
                uri,
                "unavailable ",
                "read",
                DocumentId.random().url().toString());
        assertTrue(answer.contains("is unavailable"), answer);

        List<CollaborationEvents.Unavailable> unavailable = new CopyOnWriteArrayList<>();
        DocumentId unknown = DocumentId.random();
        ActorClient<JsonDocumentActions, JsonNode> doc =
                open("finder", uri, unknown, RepoSharing.find(SERVER), JsonNodeFactory.instance.objectNode());
        doc.onEvent(
                CollaborationEvents.UNAVAILABLE,
                event -> unavailable.add((CollaborationEvents.Unavailable) event.payload()));
        Await.until("the find ends in doc-unavailable", () -> !unavailable.isEmpty());
        assertEquals(
                "the server has no document " + unknown.url() + " (doc-unavailable)",
                unavailable.get(0).reason());
    }

    @Test
    void ephemeralMessagesCrossFromJavaScriptToJavaThroughOurServer() throws Exception {
        URI uri = start();
        DocumentId id = DocumentId.random();
        open("ephemeral", uri, id, RepoSharing.create(SERVER), json("{\"n\":1}"));
        ActorClient<RepoConnection, RepoConnectionState> connection =
                systems.get(0).client(SERVER);
        List<RepoMessage.Ephemeral> received = new CopyOnWriteArrayList<>();
        connection.onEvent(RepoEvents.document(id), event -> {
            if (event.payload() instanceof RepoMessage.Ephemeral ephemeral) {
                received.add(ephemeral);
            }
        });
        Await.until("JavaScript can read the document", () -> readFromJavaScript(uri, id) != null);
        node.client("js-broadcast", uri, "broadcast", id.url().toString(), "{\"cursor\":7}");
        Await.until("Java receives the JavaScript broadcast", () -> !received.isEmpty());
        assertEquals(
                json("{\"cursor\":7}"),
                new ObjectMapper(new CBORFactory()).readTree(received.get(0).data()));
        assertTrue(
                received.get(0).senderId().startsWith("peer-"), received.get(0).senderId());
    }

    // ------------------------------------------------------------------ hostile clients

    @Test
    void hostileClientsAreToldWhyAndClosedWhileAJavaClientAndJavaScriptCarryOn() throws Exception {
        URI uri = start(RepoServerSettings.builder()
                .dataDirectory(temp.resolve("data"))
                .maxMessageBytes(64 * 1024)
                .messageRate(50, 100)
                .build());
        DocumentId id = DocumentId.random();
        open("bystander", uri, id, RepoSharing.create(SERVER), json("{\"n\":1}"));
        ActorClient<RepoConnection, RepoConnectionState> bystander =
                systems.get(0).client(SERVER);
        Await.until("the bystander is connected", () -> bystander.state().connected());

        RawRepoClient garbage = raw(uri);
        garbage.send(new byte[] {(byte) 0xa1, 0x61});
        assertEquals(1002, garbage.awaitClose());
        assertTrue(
                garbage.errors().get(0).startsWith("malformed message (frame is not well-formed CBOR"),
                garbage.errors().toString());

        RawRepoClient text = raw(uri);
        text.send("{\"type\":\"join\"}");
        assertEquals(1003, text.awaitClose());
        assertEquals(
                List.of("automerge-repo messages are binary frames holding one CBOR map; a text frame is not one"),
                text.errors());

        RawRepoClient huge = raw(uri);
        huge.send(new byte[64 * 1024 + 1]);
        assertEquals(1009, huge.awaitClose(), "closed by the frame limit before the frame is buffered");

        RawRepoClient future = raw(uri);
        future.send(new RepoMessage.Join("future", PeerMetadata.EMPTY, List.of("2")));
        assertEquals(1002, future.awaitClose());
        assertEquals(List.of("unsupported protocol version"), future.errors());

        RawRepoClient flooder = raw(uri);
        flooder.send(new RepoMessage.Join("flooder", PeerMetadata.EMPTY, List.of("1")));
        byte[] ephemeral = RepoCodecHolder.CODEC.encode(
                new RepoMessage.Ephemeral("flooder", "x", DocumentId.random(), 1, "s", new byte[] {(byte) 0xa0}));
        for (int i = 0; i < 500 && flooder.closeCode == null; i++) {
            try {
                flooder.send(ephemeral);
            } catch (WebsocketNotConnectedException closedMeanwhile) {
                break; // the server closed it before onClose reached this client's fields
            }
        }
        assertEquals(1008, flooder.awaitClose());
        assertTrue(flooder.errors().get(flooder.errors().size() - 1).startsWith("more than 50 messages per second"));

        RawRepoClient silentUnknown = raw(uri);
        silentUnknown.send(new RepoMessage.Join("curious", PeerMetadata.EMPTY, List.of("1")));
        Await.until("curious joins", () -> !silentUnknown.received.isEmpty());
        assertInstanceOf(RepoMessage.Peer.class, silentUnknown.received.get(0));

        assertEquals(1, bystander.state().connection(), "the Java client never lost its connection");
        assertTrue(bystander.state().connected());
        assertEquals("{\"n\":1}", readFromJavaScript(uri, id), "JavaScript is served as before");
    }

    @Test
    void withATokenSecretOnlyClientsWithATokenForTheDocumentGetIt() throws Exception {
        RepoAccessTokens tokens = new RepoAccessTokens(SECRET, Clock.systemUTC());
        URI uri = start(RepoServerSettings.builder()
                .dataDirectory(temp.resolve("data"))
                .accessPolicy(tokens.policy())
                .build());
        // The creating client also finds what it created (client.mjs checks with fresh clients on the same URL).
        URI creator = URI.create(uri + "?token=" + tokens.issueForAll(true, Duration.ofMinutes(5)));
        String url = node.run("js-create", creator, "url ", "create", "{\"secret\":true}");
        DocumentId id = AutomergeUrl.parse(url).documentId();

        URI reader = URI.create(uri + "?token=" + tokens.issue(List.of(id), false, Duration.ofMinutes(5)));
        assertEquals("{\"secret\":true}", readFromJavaScript(reader, id));
        URI other =
                URI.create(uri + "?token=" + tokens.issue(List.of(DocumentId.random()), false, Duration.ofMinutes(5)));
        assertEquals(null, readFromJavaScript(other, id), "a token for another document does not open it");

        RawRepoClient anonymous = raw(uri);
        anonymous.send(new RepoMessage.Join("anonymous", PeerMetadata.EMPTY, List.of("1")));
        assertEquals(1008, anonymous.awaitClose());
        assertEquals(
                List.of("this server needs an access token: connect to .../automerge-repo?token=TOKEN"),
                anonymous.errors());
    }

    /** One codec for the tests' hand-made frames. */
    private static final class RepoCodecHolder {
        static final dev.ensemble.collab.repo.RepoCodec CODEC = dev.ensemble.collab.repo.RepoCodec.standard();
    }
}
