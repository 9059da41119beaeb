package dev.ensemble.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.inspect.InspectionAccess;
import dev.ensemble.remote.RemoteActors;
import dev.ensemble.remote.inspect.InspectionGrants;
import dev.ensemble.remote.inspect.RemoteInspection;
import dev.ensemble.signaling.server.SignalingServer;
import dev.ensemble.signaling.server.SignalingServerConfig;
import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.process.ChildProcess;
import dev.ensemble.testkit.process.JavaCommand;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.ws.WebSocketTransport;
import dev.ensemble.transport.ws.WebSocketTransportConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shell's main class in a child JVM attaches to a node elsewhere ({@code --server --room
 * --node}) through a real signaling server on 127.0.0.1, with its did:key from {@code --identity}:
 * results compared field by field, a refusal without a grant, and a node that goes away mid-trace.
 */
class RemoteAttachProcessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROOM = "inspect";

    @TempDir
    Path dir;

    private SignalingServer server;
    private String url;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final ScriptedNodeInspector inspector = new ScriptedNodeInspector();

    @BeforeEach
    void startServer() throws Exception {
        server = new SignalingServer(SignalingServerConfig.loopback().build()).start();
        url = "ws://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        server.stop(Duration.ofSeconds(1));
    }

    /** A node in the room serving the scripted inspector to whom {@code grants} allows. */
    private Node node(InspectionGrants grants) {
        return node(grants, false);
    }

    /**
     * A node in the room; with {@code real}, it serves its own system's inspector (the system holds the
     * counter {@code /x}), else the scripted inspector.
     */
    private Node node(InspectionGrants grants, boolean real) {
        PeerIdentity identity = PeerIdentity.generate();
        ActorSystem system = real
                ? ActorSystem.builder("node").add(Counter.X, Counter::new).start()
                : ActorSystem.builder("node").start();
        RemoteActors remote = RemoteActors.builder(
                        system,
                        WebSocketTransport.create(
                                WebSocketTransportConfig.builder(URI.create(url + "/"), ROOM, identity)
                                        .build()))
                .start();
        Node node = new Node(identity, system, remote);
        closing.add(node);
        closing.add(RemoteInspection.serve(remote, real ? system.inspector() : inspector, grants));
        return node;
    }

    private record Node(PeerIdentity identity, ActorSystem system, RemoteActors remote) implements AutoCloseable {
        @Override
        public void close() {
            remote.close();
            system.close();
        }
    }

    private ChildProcess shell(String name, Node node, Path identity, String script) throws Exception {
        ChildProcess child = ChildProcess.builder(JavaCommand.of(Main.class)
                        .args(
                                "--server",
                                url,
                                "--room",
                                ROOM,
                                "--node",
                                node.identity().peerId().toString(),
                                "--identity",
                                identity.toString(),
                                "-c",
                                script,
                                "--format",
                                "json"))
                .start(dir, name);
        closing.add(child);
        return child;
    }

    @Test
    void aGrantedShellRunsAJsonScriptOnTheNodeAndExitsZero() throws Exception {
        Path key = dir.resolve("shell.key");
        PeerIdentity shellIdentity = PeerIdentity.loadOrCreate(key);
        Node node = node(InspectionGrants.none().grant(InspectionAccess.READ, shellIdentity.peerId()));
        ChildProcess shell = shell("granted", node, key, "ls /; cat /x");
        assertEquals(0, shell.awaitExit(), shell.describe());
        List<String> lines = shell.stdout();
        assertEquals(2, lines.size(), shell.describe());
        JsonNode ls = JSON.readTree(lines.get(0));
        assertEquals("/", ls.path("path").asText());
        assertEquals(1, ls.path("entries").size(), ls::toString);
        JsonNode x = ls.path("entries").get(0);
        assertEquals("x", x.path("name").asText());
        assertEquals("/x", x.path("path").asText());
        assertEquals("actor", x.path("kind").asText());
        JsonNode cat = JSON.readTree(lines.get(1));
        assertEquals("/x", cat.path("path").asText());
        assertEquals("Counter", cat.path("type").asText());
        assertEquals(JSON.readTree("{\"n\":1}"), cat.path("state"));
        assertEquals("", shell.stderrText(), "an identity from a file that exists is not announced");
        assertEquals(1, inspector.sessions.size());
        Await.until("the node's session closes when the shell exits", () -> inspector.sessions.get(0).closed);
    }

    @Test
    void aShellWithoutAGrantIsRefusedWithItsDidKeyAndExitsThree() throws Exception {
        Node node = node(InspectionGrants.none()
                .grant(InspectionAccess.READ, PeerIdentity.generate().peerId()));
        Path key = dir.resolve("new.key");
        ChildProcess shell = shell("refused", node, key, "ls /");
        assertEquals(3, shell.awaitExit(), shell.describe());
        String did = PeerIdentity.load(key).peerId().toString();
        assertEquals("", shell.stdoutText(), shell.describe());
        assertEquals(
                "ensemble-shell: created the identity " + did + " in " + key + "; the node must grant it\n"
                        + "ensemble-shell: node " + node.identity().peerId()
                        + " refused inspection: it grants this shell's identity no access (the node must grant it"
                        + " READ or WRITE in RemoteInspection.serve); this shell's identity is " + did + "\n",
                shell.stderrText());
        assertTrue(inspector.sessions.isEmpty(), "nothing opened on the node");
    }

    @Test
    void aShellWithoutIdentityPrintsItsFreshDidKeyForTheOperator() throws Exception {
        Node node = node(InspectionGrants.none());
        ChildProcess child = ChildProcess.builder(JavaCommand.of(Main.class)
                        .args(
                                "--server",
                                url,
                                "--room",
                                ROOM,
                                "--node",
                                node.identity().peerId().toString(),
                                "-c",
                                "ls /"))
                .start(dir, "fresh");
        closing.add(child);
        assertEquals(3, child.awaitExit(), child.describe());
        List<String> stderr = child.stderr();
        assertEquals(2, stderr.size(), child.describe());
        String prefix = "ensemble-shell: this shell's identity is ";
        assertTrue(stderr.get(0).startsWith(prefix), child.describe());
        String did = stderr.get(0).substring(prefix.length(), stderr.get(0).indexOf(' ', prefix.length()));
        assertTrue(did.startsWith("did:key:z"), did);
        assertTrue(
                stderr.get(1)
                        .endsWith("; this shell's identity is " + did + " (a fresh one for this run: keep one with"
                                + " --identity FILE and have the node grant it)"),
                child.describe());
    }

    @Test
    void aNodeThatGoesAwayMidTraceEndsTheScriptWithExitThree() throws Exception {
        Path key = dir.resolve("shell.key");
        PeerIdentity shellIdentity = PeerIdentity.loadOrCreate(key);
        Node node = node(InspectionGrants.none().grant(InspectionAccess.READ, shellIdentity.peerId()));
        ChildProcess shell = shell("vanish", node, key, "trace / --seconds 600; pwd");
        ScriptedNodeInspector.Session traced = Await.value(
                "the shell traces",
                Duration.ofSeconds(60),
                () -> inspector.sessions.stream()
                        .filter(s -> s.tracing)
                        .findFirst()
                        .orElse(null));
        shell.awaitLine("the trace's first event", Duration.ofSeconds(30), line -> line.contains("\"receiver\""));
        node.close();
        assertEquals(3, shell.awaitExit(), shell.describe());
        List<String> lines = shell.stdout();
        assertEquals(2, lines.size(), shell.describe());
        assertEquals(JSON.readTree(ScriptedNodeInspector.TRACE_EVENT), JSON.readTree(lines.get(0)));
        JsonNode error = JSON.readTree(lines.get(1)).path("error");
        assertEquals("disconnected", error.path("code").asText(), lines.get(1));
        assertTrue(
                error.path("message")
                        .asText()
                        .startsWith("the session with node " + node.identity().peerId() + " ended: "),
                lines.get(1));
    }

    @Test
    void aRealSystemsInspectorAnswersTheScriptThroughTheRoom() throws Exception {
        Path key = dir.resolve("shell.key");
        PeerIdentity shellIdentity = PeerIdentity.loadOrCreate(key);
        Node node = node(InspectionGrants.none().grant(InspectionAccess.READ, shellIdentity.peerId()), true);
        node.system().client(Counter.X).actions().inc();
        Await.until(
                "the counter counted",
                () -> node.system().client(Counter.X).state().n() == 1);
        ChildProcess shell = shell("real", node, key, "ls /; cat /x");
        assertEquals(0, shell.awaitExit(), shell.describe());
        List<String> lines = shell.stdout();
        assertEquals(2, lines.size(), shell.describe());
        JsonNode ls = JSON.readTree(lines.get(0));
        assertEquals("/", ls.path("path").asText());
        JsonNode x = null;
        for (JsonNode entry : ls.path("entries")) {
            if (entry.path("name").asText().equals("x")) {
                x = entry;
            }
        }
        assertEquals(JSON.readTree("{\"name\":\"x\",\"path\":\"/x\",\"kind\":\"actor\"}"), x, ls::toString);
        assertEquals(
                JSON.readTree("{\"path\":\"/x\",\"type\":\"Counter\",\"state\":{\"n\":1}}"),
                JSON.readTree(lines.get(1)));
    }

    @Test
    void aRealNodeThatGoesAwayMidTraceEndsTheScriptWithExitThree() throws Exception {
        Path key = dir.resolve("shell.key");
        PeerIdentity shellIdentity = PeerIdentity.loadOrCreate(key);
        Node node = node(InspectionGrants.none().grant(InspectionAccess.READ, shellIdentity.peerId()), true);
        ChildProcess shell = shell("real-vanish", node, key, "trace /x --seconds 600 --max 100000; pwd");
        // The trace shows the counter's messages once it runs: tell until one is printed.
        CounterActions counter = node.system().client(Counter.X).actions();
        Await.until("the shell prints a traced message", Duration.ofSeconds(60), () -> {
            counter.inc();
            return shell.stdout().stream().anyMatch(line -> line.contains("\"receiver\":\"/x\""));
        });
        node.close();
        assertEquals(3, shell.awaitExit(), shell.describe());
        List<String> lines = shell.stdout();
        JsonNode event = JSON.readTree(lines.get(0));
        assertEquals("/x", event.path("receiver").asText(), lines.get(0));
        assertEquals("inc", event.path("action").asText(), lines.get(0));
        JsonNode error = JSON.readTree(lines.get(lines.size() - 1)).path("error");
        assertEquals("disconnected", error.path("code").asText(), shell.describe());
    }
}
