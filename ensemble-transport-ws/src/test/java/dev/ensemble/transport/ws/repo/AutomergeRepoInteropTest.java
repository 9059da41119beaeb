package dev.ensemble.transport.ws.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.ensemble.collab.CollaborationEvents;
import dev.ensemble.collab.CollaborationSettings;
import dev.ensemble.collab.repo.AutomergeUrl;
import dev.ensemble.collab.repo.DocumentId;
import dev.ensemble.collab.repo.RepoConnection;
import dev.ensemble.collab.repo.RepoConnectionActor;
import dev.ensemble.collab.repo.RepoConnectionSettings;
import dev.ensemble.collab.repo.RepoConnectionState;
import dev.ensemble.collab.repo.RepoEvents;
import dev.ensemble.collab.repo.RepoMessage;
import dev.ensemble.collab.repo.RepoSharing;
import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorToken;
import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.process.ChildProcess;
import dev.ensemble.transport.ws.WebSocketBinarySockets;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Java {@code CollaborationActor} and JavaScript automerge-repo clients share documents through
 * the reference automerge-repo sync server (Node, started here on 127.0.0.1).
 */
class AutomergeRepoInteropTest {
    private static final ActorToken<RepoConnection, RepoConnectionState> SERVER = RepoConnection.token("sync-server");
    private static final ActorToken<JsonDocumentActions, JsonNode> DOC =
            ActorToken.of("doc", JsonDocumentActions.class, JsonNode.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path temp;

    private NodeRepoPeers node;
    private URI server;
    private final List<ActorSystem> systems = new ArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        NodeRepoPeers.assumeInstalled();
        node = new NodeRepoPeers(temp);
        server = node.startServer(temp.resolve("server-data"));
    }

    @AfterEach
    void stopEverything() {
        systems.forEach(ActorSystem::close);
        if (node != null) {
            node.close();
        }
    }

    private ActorClient<JsonDocumentActions, JsonNode> open(
            String name, DocumentId id, RepoSharing sharing, JsonNode initial) {
        return open(name, id, sharing, initial, "java-" + name);
    }

    private ActorClient<JsonDocumentActions, JsonNode> open(
            String name, DocumentId id, RepoSharing sharing, JsonNode initial, String peerId) {
        ActorSystem system = ActorSystem.builder(name)
                .add(
                        SERVER,
                        () -> new RepoConnectionActor(RepoConnectionSettings.builder(
                                        server, WebSocketBinarySockets.create(Duration.ofSeconds(10), 64 << 20))
                                .peerId(peerId)
                                .build()))
                .add(
                        DOC,
                        () -> new JsonDocument(CollaborationSettings.builder(id.toString(), JsonNode.class, initial)
                                .repo(sharing)
                                .build()),
                        SERVER)
                .start();
        systems.add(system);
        return system.client(DOC);
    }

    private static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text);
    }

    /** The view as JSON text read back, so that numbers compare by value (3 as int or long). */
    private static JsonNode normalized(JsonNode view) {
        try {
            return MAPPER.readTree(view.toString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void javaReadsADocumentThatJavaScriptCreated() throws Exception {
        String url = node.run("js-create", server, "url ", "create", "{\"title\":\"from js\",\"n\":3}");
        ActorClient<JsonDocumentActions, JsonNode> doc = open(
                "reader",
                AutomergeUrl.parse(url).documentId(),
                RepoSharing.find(SERVER),
                JsonNodeFactory.instance.objectNode());
        JsonNode expected = json("{\"title\":\"from js\",\"n\":3}");
        Await.until("Java holds the JavaScript document", () -> expected.equals(normalized(doc.state())), doc::state);
    }

    @Test
    void javaScriptReadsADocumentThatJavaCreated() throws Exception {
        DocumentId id = DocumentId.random();
        ActorClient<JsonDocumentActions, JsonNode> doc =
                open("creator", id, RepoSharing.create(SERVER), json("{\"title\":\"from java\",\"tags\":[\"a\"]}"));
        Await.until(
                "Java is connected", () -> systems.get(0).client(SERVER).state().connected());
        // The JavaScript client asks until the server holds the document: find may come too early.
        JsonNode read =
                json(Await.value("JavaScript reads the document from the server", () -> readFromJavaScript(id)));
        assertEquals(json("{\"title\":\"from java\",\"tags\":[\"a\"]}"), read);
    }

    @Test
    void concurrentTextEditsFromJavaAndJavaScriptConverge() throws Exception {
        DocumentId id = DocumentId.random();
        ActorClient<JsonDocumentActions, JsonNode> doc =
                open("editor", id, RepoSharing.create(SERVER), json("{\"text\":\"hello world\"}"));
        ChildProcess js = null;
        String jsDoc = null;
        // The JavaScript client may ask before the server holds Java's document: ask again then.
        for (int attempt = 0; attempt < 20 && jsDoc == null; attempt++) {
            js = node.client("js-edit-" + attempt, server, "edit", id.url().toString(), "text", "JS says ", "java");
            String first = js.awaitLine(
                    "js-edit finds the document",
                    Duration.ofSeconds(60),
                    l -> l.equals("ready") || l.startsWith("unavailable ") || l.startsWith("timeout"));
            if (first.equals("ready")) {
                // Concurrently: Java appends to the text and sets its own key.
                doc.actions().insertText("text", "hello world".length(), ", from Java");
                doc.actions().put("java", "true");
                jsDoc = js.awaitLine("js-edit sees Java's change", Duration.ofSeconds(60), l -> l.startsWith("doc "))
                        .substring(4);
            }
            js.awaitExit();
        }
        assertTrue(jsDoc != null, "the JavaScript client never found the document");
        JsonNode jsView = json(jsDoc);
        Await.until("Java holds the JavaScript change", () -> doc.state().has("js"), doc::state);
        Await.until(
                "Java and JavaScript hold the same document",
                () -> jsView.equals(normalized(doc.state())),
                () -> "; Java " + doc.state() + ", JavaScript " + jsView);
        assertEquals("JS says hello world, from Java", doc.state().get("text").asText());
    }

    @Test
    void aDocumentTheServerDoesNotHaveIsReportedUnavailable() throws Exception {
        List<CollaborationEvents.Unavailable> unavailable = new CopyOnWriteArrayList<>();
        DocumentId unknown = DocumentId.random();
        ActorClient<JsonDocumentActions, JsonNode> doc =
                open("finder", unknown, RepoSharing.find(SERVER), JsonNodeFactory.instance.objectNode());
        doc.onEvent(
                CollaborationEvents.UNAVAILABLE,
                event -> unavailable.add((CollaborationEvents.Unavailable) event.payload()));
        Await.until("the find ends in doc-unavailable", () -> !unavailable.isEmpty());
        assertEquals(
                new CollaborationEvents.Unavailable(
                        unknown.url().toString(), "the server has no document " + unknown.url() + " (doc-unavailable)"),
                unavailable.get(0));
        assertEquals(JsonNodeFactory.instance.objectNode(), doc.state(), "nothing was made up");
    }

    @Test
    void javaScriptIsToldThatAnUnknownDocumentIsUnavailable() throws Exception {
        String answer = node.run(
                "js-read-unknown",
                server,
                "unavailable ",
                "read",
                DocumentId.random().url().toString());
        assertTrue(answer.contains("is unavailable"), answer);
    }

    @Test
    void aJavaClientReconnectsWithTheSamePeerIdAndSyncsWhatChangedMeanwhile() throws Exception {
        Path data = temp.resolve("restarted-data");
        int port = server.getPort();
        DocumentId id = DocumentId.random();
        ActorClient<JsonDocumentActions, JsonNode> doc =
                open("reconnecting", id, RepoSharing.create(SERVER), json("{\"n\":1}"));
        ActorClient<RepoConnection, RepoConnectionState> connection =
                systems.get(0).client(SERVER);
        Await.until("the client is connected", () -> connection.state().connected());
        assertEquals("{\"n\":1}", readFromJavaScript(id));

        node.stopServer();
        Await.until(
                "the client notices the server is gone",
                () -> !connection.state().connected());
        doc.actions().put("n", "2");
        server = node.startServer(data, port);
        Await.until(
                "the client is connected again",
                () -> connection.state().connected() && connection.state().connection() > 1,
                connection::state);
        assertEquals("java-reconnecting", connection.state().peerId());
        Await.until(
                "JavaScript reads the change made while the server was down",
                () -> "{\"n\":2}".equals(readFromJavaScript(id)));
    }

    @Test
    void ephemeralMessagesCrossBetweenJavaAndJavaScriptThroughTheServer() throws Exception {
        ObjectMapper cbor = new ObjectMapper(new CBORFactory());
        DocumentId id = DocumentId.random();
        open("ephemeral", id, RepoSharing.create(SERVER), json("{\"n\":1}"));
        ActorClient<RepoConnection, RepoConnectionState> connection =
                systems.get(0).client(SERVER);
        List<RepoMessage.Ephemeral> received = new CopyOnWriteArrayList<>();
        connection.onEvent(RepoEvents.document(id), event -> {
            if (event.payload() instanceof RepoMessage.Ephemeral ephemeral) {
                received.add(ephemeral);
            }
        });
        Await.until("JavaScript can read the document", () -> readFromJavaScript(id) != null);

        ChildProcess broadcaster =
                node.client("js-broadcast", server, "broadcast", id.url().toString(), "{\"cursor\":7}");
        Await.until("Java receives the JavaScript broadcast", () -> !received.isEmpty());
        RepoMessage.Ephemeral first = received.get(0);
        assertEquals(json("{\"cursor\":7}"), cbor.readTree(first.data()), "cbor-x's map read by Jackson");
        assertTrue(first.senderId().startsWith("peer-"), "the originating JavaScript peer: " + first.senderId());
        broadcaster.close();

        ChildProcess listener =
                node.client("js-listen", server, "listen", id.url().toString());
        listener.awaitLine("js-listen finds the document", Duration.ofSeconds(60), "ready"::equals);
        byte[] message = cbor.writeValueAsBytes(json("{\"from\":\"java\"}"));
        String line = Await.value("JavaScript receives the Java message", () -> {
            connection.actions().sendEphemeral(id, message);
            return listener.stdout().stream()
                    .filter(l -> l.startsWith("ephemeral "))
                    .findFirst()
                    .orElse(null);
        });
        assertEquals("ephemeral java-ephemeral {\"from\":\"java\"}", line);
    }

    /** The document as a JavaScript client reads it from the server, or null if unavailable. */
    private String readFromJavaScript(DocumentId id) {
        try {
            ChildProcess client =
                    node.client("js-read", server, "read", id.url().toString());
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
}
