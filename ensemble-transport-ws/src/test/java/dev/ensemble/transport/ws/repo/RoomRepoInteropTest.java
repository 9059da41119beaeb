package dev.ensemble.transport.ws.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ensemble.collab.CollaborationEvents;
import dev.ensemble.collab.CollaborationSettings;
import dev.ensemble.collab.ephemeral.ChannelStatus;
import dev.ensemble.collab.ephemeral.Ephemeral;
import dev.ensemble.collab.ephemeral.EphemeralChannel;
import dev.ensemble.collab.ephemeral.EphemeralSettings;
import dev.ensemble.collab.peers.PeerMessaging;
import dev.ensemble.collab.peers.PeerMessagingActor;
import dev.ensemble.collab.peers.PeerMessagingSettings;
import dev.ensemble.collab.peers.Roster;
import dev.ensemble.collab.repo.AutomergeUrl;
import dev.ensemble.collab.repo.BridgedMessage;
import dev.ensemble.collab.repo.DocumentId;
import dev.ensemble.collab.repo.PeerMetadata;
import dev.ensemble.collab.repo.RepoConnection;
import dev.ensemble.collab.repo.RepoConnectionActor;
import dev.ensemble.collab.repo.RepoConnectionSettings;
import dev.ensemble.collab.repo.RepoConnectionState;
import dev.ensemble.collab.repo.RepoEphemeral;
import dev.ensemble.collab.repo.RepoEphemeralBridge;
import dev.ensemble.collab.repo.RepoEphemeralSettings;
import dev.ensemble.collab.repo.RepoEphemeralStatus;
import dev.ensemble.collab.repo.RepoMessage;
import dev.ensemble.collab.repo.RepoSharing;
import dev.ensemble.collab.repo.server.RepoAccessTokens;
import dev.ensemble.collab.repo.server.RepoServerSettings;
import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorToken;
import dev.ensemble.signaling.server.JoinTokens;
import dev.ensemble.signaling.server.SignalingServer;
import dev.ensemble.signaling.server.SignalingServerConfig;
import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.process.ChildProcess;
import dev.ensemble.transport.Backoff;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.ws.WebSocketBinarySockets;
import dev.ensemble.transport.ws.WebSocketTransport;
import dev.ensemble.transport.ws.WebSocketTransportConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Java room (two peers, each a {@link PeerMessagingActor} over the signaling server's relay and a
 * collaboration actor) and a JavaScript automerge-repo client (in Node) share one document through
 * our server: the room's document id is the automerge-repo document id, and each room peer also
 * syncs it with the server's {@code /automerge-repo} endpoint (docs/AUTOMERGE-REPO.md, "A Java room
 * and automerge-repo clients").
 */
class RoomRepoInteropTest {
    private static final ActorToken<PeerMessaging, Roster> PEERS = PeerMessaging.token("peers");
    private static final ActorToken<RepoConnection, RepoConnectionState> SERVER = RepoConnection.token("sync-server");
    private static final ActorToken<JsonDocumentActions, JsonNode> DOC =
            ActorToken.of("doc", JsonDocumentActions.class, JsonNode.class);
    private static final ActorToken<Ephemeral, ChannelStatus> CHANNEL = Ephemeral.token("channel");
    private static final ActorToken<RepoEphemeral, RepoEphemeralStatus> BRIDGE = RepoEphemeral.token("bridge");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ROOM = "shared-notes";
    private static final String ROOM_SECRET = "the room's join token secret, for this test only";
    private static final String REPO_SECRET = "the automerge-repo token secret, for this test only";
    private static final Backoff FAST = Backoff.of(Duration.ofMillis(50), Duration.ofMillis(300), 0.5);

    @TempDir
    Path temp;

    private NodeRepoPeers node;
    private SignalingServerConfig config;
    private SignalingServer server;
    private final List<ActorSystem> systems = new ArrayList<>();
    private final List<WebSocketTransport> transports = new ArrayList<>();
    private final List<RawRepoClient> raw = new ArrayList<>();

    @BeforeEach
    void prepare() throws Exception {
        NodeRepoPeers.assumeInstalled();
        node = new NodeRepoPeers(temp);
        config = SignalingServerConfig.loopback()
                .automergeRepo(RepoServerSettings.builder()
                        .dataDirectory(temp.resolve("data"))
                        .build())
                .build();
        startServer();
    }

    /** Replaces the server by one that requires room join tokens and automerge-repo access tokens. */
    private void requireTokens(RepoAccessTokens repoTokens) throws Exception {
        server.close();
        config = config.toBuilder()
                .joinTokenSecret(ROOM_SECRET)
                .automergeRepo(RepoServerSettings.builder()
                        .dataDirectory(temp.resolve("data"))
                        .accessPolicy(repoTokens.policy())
                        .build())
                .build();
        startServer();
    }

    /** Starts the server; after the first start, on the same port and data directory. */
    private void startServer() throws Exception {
        server = new SignalingServer(config).start();
        config = config.toBuilder().port(server.port()).build();
    }

    @AfterEach
    void stopEverything() {
        systems.forEach(ActorSystem::close);
        raw.forEach(RawRepoClient::close);
        transports.forEach(WebSocketTransport::close);
        if (node != null) {
            node.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /**
     * A room peer: its room (relay), its connection to the server's automerge-repo endpoint (with
     * its did:key as peer id), its document, and the room's ephemeral channel bridged to the
     * document's automerge-repo ephemeral messages.
     */
    private RoomPeer roomPeer(String name, DocumentId id) {
        return roomPeer(name, id, RepoSharing.find(SERVER), JsonNodeFactory.instance.objectNode());
    }

    private RoomPeer roomPeer(String name, DocumentId id, RepoSharing sharing, JsonNode initial) {
        return roomPeer(name, PeerIdentity.generate(), id, sharing, initial, null, null);
    }

    /**
     * @param joinToken the room's join token, or null
     * @param repoToken the automerge-repo endpoint's access token, or null
     */
    private RoomPeer roomPeer(
            String name,
            PeerIdentity identity,
            DocumentId id,
            RepoSharing sharing,
            JsonNode initial,
            String joinToken,
            String repoToken) {
        WebSocketTransportConfig.Builder room = WebSocketTransportConfig.builder(server.uri(), ROOM, identity)
                .backoff(FAST)
                .connectTimeout(Duration.ofSeconds(3));
        if (joinToken != null) {
            room.joinToken(joinToken);
        }
        WebSocketTransport transport = WebSocketTransport.create(room.build());
        transports.add(transport);
        URI repoUri = repoToken == null
                ? server.automergeRepoUri()
                : URI.create(server.automergeRepoUri() + "?token=" + repoToken);
        ActorSystem system = ActorSystem.builder(name)
                .add(
                        PEERS,
                        () -> new PeerMessagingActor(PeerMessagingSettings.builder()
                                .transport(transport)
                                .build()))
                .add(
                        SERVER,
                        () -> new RepoConnectionActor(RepoConnectionSettings.builder(
                                        repoUri, WebSocketBinarySockets.create(Duration.ofSeconds(10), 64 << 20))
                                .peerId(identity.peerId().toString())
                                .reconnect(FAST)
                                .build()))
                .add(
                        DOC,
                        () -> new JsonDocument(CollaborationSettings.builder(id.toString(), JsonNode.class, initial)
                                .peers(PEERS)
                                .repo(sharing.withFindTimeout(Duration.ofSeconds(30)))
                                .resyncInterval(Duration.ofMillis(500))
                                .build()),
                        PEERS,
                        SERVER)
                .add(
                        CHANNEL,
                        () -> new EphemeralChannel(EphemeralSettings.builder(PEERS)
                                .topic(RepoEphemeralSettings.defaultTopic())
                                .build()),
                        PEERS)
                .add(
                        BRIDGE,
                        () -> new RepoEphemeralBridge(RepoEphemeralSettings.of(id, CHANNEL, PEERS, SERVER)),
                        CHANNEL,
                        PEERS,
                        SERVER)
                .start();
        systems.add(system);
        RoomPeer peer = new RoomPeer(
                identity.peerId(),
                system.client(DOC),
                system.client(BRIDGE),
                system.client(PEERS),
                system.client(SERVER),
                ConcurrentHashMap.newKeySet(),
                new CopyOnWriteArrayList<>(),
                new CopyOnWriteArrayList<>());
        peer.doc()
                .onEvent(CollaborationEvents.MERGED, event -> peer.mergedFrom().add(event.payload()));
        peer.bridge().onEvent(RepoEphemeralBridge.MESSAGE, event -> peer.heard().add((BridgedMessage) event.payload()));
        peer.bridge().onEvent(RepoEphemeralBridge.ERROR, event -> peer.errors().add((String) event.payload()));
        return peer;
    }

    private record RoomPeer(
            PeerId id,
            ActorClient<JsonDocumentActions, JsonNode> doc,
            ActorClient<RepoEphemeral, RepoEphemeralStatus> bridge,
            ActorClient<PeerMessaging, Roster> peers,
            ActorClient<RepoConnection, RepoConnectionState> server,
            Set<Object> mergedFrom,
            List<BridgedMessage> heard,
            List<String> errors) {
        JsonNode view() {
            return normalized(doc.state());
        }

        long heardFrom(String sender) {
            return heard.stream().filter(m -> m.from().equals(sender)).count();
        }
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException("not JSON: " + text, e);
        }
    }

    /** As JavaScript prints it: numbers and booleans as JSON, text as strings. */
    private static JsonNode normalized(JsonNode view) {
        return json(view.toString());
    }

    /** The document as a fresh JavaScript client reads it through the server, or null if unavailable. */
    private JsonNode readFromJavaScript(DocumentId id) {
        return readFromJavaScript(id, server.automergeRepoUri());
    }

    private JsonNode readFromJavaScript(DocumentId id, URI uri) {
        try {
            ChildProcess client = node.client("js-read", uri, "read", id.url().toString());
            String line = client.awaitLine(
                    "js-read answers",
                    Duration.ofSeconds(60),
                    l -> l.startsWith("doc ") || l.startsWith("unavailable "));
            client.awaitExit();
            return line.startsWith("doc ") ? json(line.substring(4)) : null;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aJavaRoomAndAJavaScriptClientShareOneDocumentThroughOurServer() throws Exception {
        String url = node.run("js-create", server.automergeRepoUri(), "url ", "create", "{\"text\":\"hello world\"}");
        DocumentId id = AutomergeUrl.parse(url).documentId();
        RoomPeer alice = roomPeer("alice", id);
        RoomPeer bob = roomPeer("bob", id);
        JsonNode created = json("{\"text\":\"hello world\"}");
        Await.until(
                "both room peers hold the JavaScript document",
                () -> created.equals(alice.view()) && created.equals(bob.view()),
                () -> "; Alice " + alice.view() + ", Bob " + bob.view());

        // Three writers at once: JavaScript inserts at the start and sets "js" as soon as it has
        // the document; Alice and Bob edit the text at other places and set keys of their own.
        ChildProcess js = node.client(
                "js-edit", server.automergeRepoUri(), "edit", id.url().toString(), "text", "JS says ", "bob");
        js.awaitLine("js-edit finds the document", Duration.ofSeconds(60), "ready"::equals);
        alice.doc().actions().insertText("text", "hello world".length(), ", from Alice");
        alice.doc().actions().put("alice", "true");
        bob.doc().actions().insertText("text", "hello".length(), " there");
        bob.doc().actions().put("bob", "true");
        js.awaitLine("js-edit sees Bob's key", Duration.ofSeconds(60), l -> l.startsWith("doc "));

        JsonNode expected =
                json("{\"text\":\"JS says hello there world, from Alice\",\"js\":true,\"alice\":true,\"bob\":true}");
        Await.until(
                "the room's peers converge on all three writers' edits",
                () -> expected.equals(alice.view()) && expected.equals(bob.view()),
                () -> "; Alice " + alice.view() + ", Bob " + bob.view());
        Await.until(
                "a fresh JavaScript client reads the same document from the server",
                () -> expected.equals(readFromJavaScript(id)));
        assertTrue(
                bob.mergedFrom().contains(alice.id()) || alice.mergedFrom().contains(bob.id()),
                "the room's peers synced with each other over the relay, not only through the server: Alice merged from "
                        + alice.mergedFrom() + ", Bob from " + bob.mergedFrom());

        // The server goes down and comes back on the same data directory: it still holds the
        // document, and the room (relay and automerge-repo connections both reconnect) keeps
        // sharing it with JavaScript.
        server.close();
        startServer();
        assertEquals(expected, readFromJavaScript(id), "served from the data directory after the restart");
        bob.doc().actions().put("after", "\"restart\"");
        JsonNode later =
                json("{\"text\":\"JS says hello there world, from Alice\",\"js\":true,\"alice\":true,\"bob\":true,"
                        + "\"after\":\"restart\"}");
        Await.until(
                "Bob's change after the restart reaches Alice and the server",
                () -> later.equals(alice.view()) && later.equals(readFromJavaScript(id)),
                () -> "; Alice " + alice.view());
    }

    @Test
    void ephemeralMessagesCrossBetweenTheRoomsChannelAndAJavaScriptClientOnceEach() throws Exception {
        String url = node.run("js-create", server.automergeRepoUri(), "url ", "create", "{\"title\":\"cursors\"}");
        DocumentId id = AutomergeUrl.parse(url).documentId();
        RoomPeer alice = roomPeer("alice", id);
        RoomPeer bob = roomPeer("bob", id);
        Await.until(
                "the room's peers see each other and hold the document",
                () -> alice.peers().state().peers().contains(bob.id())
                        && bob.peers().state().peers().contains(alice.id())
                        && alice.view().has("title")
                        && bob.view().has("title"));
        Await.until(
                "both peers' automerge-repo connections have joined the server",
                () -> alice.server().state().connected() && bob.server().state().connected());

        // Room to JavaScript: Alice's message reaches the web client through the server, and Bob
        // once, through the room (the server's copy is dropped: its sender is in Bob's roster).
        ChildProcess listener = node.client(
                "js-listen", server.automergeRepoUri(), "listen", id.url().toString());
        listener.awaitLine("js-listen finds the document", Duration.ofSeconds(60), "ready"::equals);
        String line = Await.value("JavaScript hears Alice's broadcast", () -> {
            alice.bridge().actions().broadcast(json("{\"cursor\":3,\"who\":\"alice\"}"));
            return listener.stdout().stream()
                    .filter(l -> l.startsWith("ephemeral "))
                    .findFirst()
                    .orElse(null);
        });
        assertEquals("ephemeral " + alice.id() + " {\"cursor\":3,\"who\":\"alice\"}", line);

        // JavaScript to the room: each peer hears the web client from the server. The server sends
        // Bob the copies of Alice's messages before these on the same connection, so once Bob has
        // heard JavaScript, every copy of Alice's has been dropped or delivered.
        ChildProcess broadcaster = node.client(
                "js-broadcast", server.automergeRepoUri(), "broadcast", id.url().toString(), "{\"from\":\"js\"}");
        broadcaster.awaitLine("js-broadcast finds the document", Duration.ofSeconds(60), "ready"::equals);
        Await.until(
                "both room peers hear the JavaScript client",
                () -> alice.heard().stream().anyMatch(m -> !m.fromRoom())
                        && bob.heard().stream().anyMatch(m -> !m.fromRoom()),
                () -> "; Alice heard " + alice.heard() + ", Bob heard " + bob.heard());
        BridgedMessage fromJs =
                bob.heard().stream().filter(m -> !m.fromRoom()).findFirst().orElseThrow();
        assertEquals(json("{\"from\":\"js\"}"), fromJs.message());
        assertTrue(fromJs.from().startsWith("peer-"), fromJs.from());
        long sentByAlice = alice.bridge().state().sent();
        assertEquals(
                sentByAlice,
                bob.heardFrom(alice.id().toString()),
                "Bob heard each of Alice's messages exactly once: " + bob.heard());
        assertTrue(bob.heard().stream()
                .filter(m -> m.from().equals(alice.id().toString()))
                .allMatch(BridgedMessage::fromRoom));
        assertTrue(
                bob.bridge().state().duplicates() >= 1,
                "the server's copies were dropped: " + bob.bridge().state());

        // Bad data from the server's side: told, dropped, and the bridge carries on.
        RawRepoClient hostile = RawRepoClient.connect(server.automergeRepoUri());
        raw.add(hostile);
        hostile.send(new RepoMessage.Join("hostile", PeerMetadata.EMPTY, List.of("1")));
        Await.until("the hostile client joins", () -> !hostile.received.isEmpty());
        hostile.send(
                new RepoMessage.Ephemeral("hostile", "ensemble-sync-server", id, 1, "s", new byte[] {(byte) 0xff}));
        Await.until("Alice is told of the bad data", () -> !alice.errors().isEmpty());
        assertTrue(
                alice.errors().get(0).contains("dropped an ephemeral message from \"hostile\""),
                alice.errors().get(0));
        int before = bob.heard().size();
        Await.until("Alice's bridge still delivers", () -> {
            alice.bridge().actions().broadcast(json("{\"still\":true}"));
            return bob.heard().size() > before
                    && bob.heard().stream().anyMatch(m -> m.message().has("still"));
        });
    }

    @Test
    void aDocumentTheRoomCreatesIsReadAndEditedByJavaScript() throws Exception {
        DocumentId id = DocumentId.random();
        JsonNode initial = json("{\"title\":\"groceries\",\"items\":[\"milk\"]}");
        // Both peers create it from the same initial state: the same initial change, written once.
        RoomPeer alice = roomPeer("alice", id, RepoSharing.create(SERVER), initial);
        RoomPeer bob = roomPeer("bob", id, RepoSharing.create(SERVER), initial);
        Await.until("JavaScript reads what the room created", () -> initial.equals(readFromJavaScript(id)));

        ChildProcess js = node.client(
                "js-edit", server.automergeRepoUri(), "edit", id.url().toString(), "title", "weekly ", "bob");
        js.awaitLine("js-edit finds the document", Duration.ofSeconds(60), "ready"::equals);
        bob.doc().actions().put("bob", "true");
        js.awaitLine("js-edit sees Bob's key", Duration.ofSeconds(60), l -> l.startsWith("doc "));
        JsonNode expected = json("{\"title\":\"weekly groceries\",\"items\":[\"milk\"],\"js\":true,\"bob\":true}");
        Await.until(
                "the room holds JavaScript's edit of the text it created",
                () -> expected.equals(alice.view()) && expected.equals(bob.view()),
                () -> "; Alice " + alice.view() + ", Bob " + bob.view());
        assertEquals(expected, readFromJavaScript(id));
    }

    @Test
    void theRoomsJoinRulesAndTheEndpointsTokensBothApplyAndRoomMembershipOpensTheDocument() throws Exception {
        RepoAccessTokens repoTokens = new RepoAccessTokens(REPO_SECRET, Clock.systemUTC());
        JoinTokens joinTokens = new JoinTokens(ROOM_SECRET, Clock.systemUTC());
        requireTokens(repoTokens);
        URI creator =
                URI.create(server.automergeRepoUri() + "?token=" + repoTokens.issueForAll(true, Duration.ofMinutes(5)));
        String url = node.run("js-create", creator, "url ", "create", "{\"secret\":\"plans\"}");
        DocumentId id = AutomergeUrl.parse(url).documentId();
        JsonNode created = json("{\"secret\":\"plans\"}");

        // Bob may join the room but holds a repo token for another document only; Alice may join
        // the room and open the document.
        PeerIdentity aliceIdentity = PeerIdentity.generate();
        PeerIdentity bobIdentity = PeerIdentity.generate();
        RoomPeer bob = roomPeer(
                "bob",
                bobIdentity,
                id,
                RepoSharing.find(SERVER),
                JsonNodeFactory.instance.objectNode(),
                joinTokens.issue(ROOM, bobIdentity.peerId(), Duration.ofMinutes(5)),
                repoTokens.issue(List.of(DocumentId.random()), false, Duration.ofMinutes(5)));
        List<Object> bobUnavailable = new CopyOnWriteArrayList<>();
        bob.doc().onEvent(CollaborationEvents.UNAVAILABLE, event -> bobUnavailable.add(event.payload()));
        // Bob joins first: with nobody in the room to hand him the document, the server's refusal is
        // what he hears. (Had Alice been there first, her copy could reach him before the refusal,
        // and doc-unavailable means nothing to a peer that holds the document: no event.)
        Await.until("the server refuses the document to Bob", () -> !bobUnavailable.isEmpty());
        RoomPeer alice = roomPeer(
                "alice",
                aliceIdentity,
                id,
                RepoSharing.find(SERVER),
                JsonNodeFactory.instance.objectNode(),
                joinTokens.issue(ROOM, aliceIdentity.peerId(), Duration.ofMinutes(5)),
                repoTokens.issue(List.of(id), false, Duration.ofMinutes(5)));
        // Mallory holds a repo token for another document and no join token.
        PeerIdentity malloryIdentity = PeerIdentity.generate();
        RoomPeer mallory = roomPeer(
                "mallory",
                malloryIdentity,
                id,
                RepoSharing.find(SERVER),
                JsonNodeFactory.instance.objectNode(),
                null,
                repoTokens.issue(List.of(DocumentId.random()), false, Duration.ofMinutes(5)));
        List<Object> malloryUnavailable = new CopyOnWriteArrayList<>();
        mallory.doc().onEvent(CollaborationEvents.UNAVAILABLE, event -> malloryUnavailable.add(event.payload()));

        Await.until(
                "Bob holds the document all the same: a room member receives it from Alice",
                () -> created.equals(alice.view()) && created.equals(bob.view()),
                () -> "; Alice " + alice.view() + ", Bob " + bob.view());
        bob.doc().actions().put("bob", "true");
        JsonNode edited = json("{\"secret\":\"plans\",\"bob\":true}");
        Await.until(
                "Bob's edit reaches the server through Alice",
                () -> edited.equals(readFromJavaScript(id, creator)),
                () -> "; Alice " + alice.view());

        Await.until("the server refuses the document to Mallory", () -> !malloryUnavailable.isEmpty());
        assertTrue(
                !mallory.peers().state().peers().contains(alice.id()),
                "Mallory is not in the room: " + mallory.peers().state());
        assertEquals(
                json("{}"), mallory.view(), "without the room or a grant for the document, Mallory has nothing of it");
    }
}
