package dev.ensemble.remote.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.inspect.InspectionAccess;
import dev.ensemble.remote.RemoteActors;
import dev.ensemble.remote.RemoteCallException;
import dev.ensemble.signaling.server.SignalingServer;
import dev.ensemble.signaling.server.SignalingServerConfig;
import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.process.ChildProcess;
import dev.ensemble.testkit.process.JavaCommand;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.ws.WebSocketTransport;
import dev.ensemble.transport.ws.WebSocketTransportConfig;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shells on other nodes inspect a node through the WebSocket relay of a real signaling server on
 * 127.0.0.1: grants, requests and replies, streams, isolation between shells, sessions that end
 * with their shell, and hostile input.
 */
class RemoteInspectionTest {
    private static final String ROOM = "inspect";
    private static final Duration ATTACH = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    private SignalingServer server;
    private URI uri;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final ScriptedInspector inspector = new ScriptedInspector();

    /** One node in the room: its identity, system and remote layer. */
    private record Node(PeerIdentity identity, ActorSystem system, RemoteActors remote) implements AutoCloseable {
        PeerId id() {
            return identity.peerId();
        }

        @Override
        public void close() {
            remote.close();
            system.close();
        }
    }

    /** A sink that keeps the lines it is given, in order. */
    private static final class Lines implements Consumer<String> {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public void accept(String line) {
            lines.add(line);
        }

        JsonNode await(String what, Predicate<JsonNode> match) {
            return Await.value(
                    what,
                    () -> lines.stream()
                            .map(RemoteInspectionTest::parse)
                            .filter(match)
                            .findFirst()
                            .orElse(null));
        }

        List<JsonNode> parsed() {
            return lines.stream().map(RemoteInspectionTest::parse).toList();
        }
    }

    @BeforeEach
    void startServer() throws Exception {
        server = new SignalingServer(SignalingServerConfig.loopback().build()).start();
        uri = URI.create("ws://127.0.0.1:" + server.port() + "/");
    }

    @AfterEach
    void stopAll() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        server.stop(Duration.ofSeconds(1));
    }

    private Node node(String name) {
        PeerIdentity identity = PeerIdentity.generate();
        ActorSystem system = ActorSystem.builder(name).start();
        RemoteActors remote = RemoteActors.builder(
                        system,
                        WebSocketTransport.create(WebSocketTransportConfig.builder(uri, ROOM, identity)
                                .build()))
                .start();
        Node node = new Node(identity, system, remote);
        closing.add(node);
        return node;
    }

    private InspectionService serve(Node node, InspectionGrants grants, InspectionLimits limits) {
        InspectionService service = RemoteInspection.serve(node.remote(), inspector, grants, limits);
        closing.add(service);
        return service;
    }

    private static RemoteInspectionSession attach(Node shell, Node node, Lines sink) throws Exception {
        Await.until(
                "the shell's node sees the inspected node", () -> shell.remote().isUp(node.id()));
        RemoteInspectionSession session =
                RemoteInspection.attach(shell.remote(), node.id(), sink).get(ATTACH.toSeconds(), TimeUnit.SECONDS);
        sink.await("the hello", line -> "hello".equals(line.path("type").asText()));
        return session;
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new UncheckedIOException(new java.io.IOException("not JSON: " + line, e));
        }
    }

    private static Predicate<JsonNode> replyTo(long id) {
        return line -> line.path("id").asLong(-1) == id && line.has("ok");
    }

    @Test
    void aShellConnectsThroughTheRoomAndGetsHelloFirstRepliesAndAStreamInOrder() throws Exception {
        Node served = node("served");
        PeerIdentity shell = PeerIdentity.generate();
        serve(
                served,
                InspectionGrants.none().grant(InspectionAccess.READ, shell.peerId()),
                InspectionLimits.defaults());
        Lines lines = new Lines();
        try (RemoteInspectionConnection connection =
                RemoteInspection.connect(uri, ROOM, served.id(), shell, lines, ATTACH)) {
            assertEquals(shell.peerId(), connection.self());
            lines.await("the hello", line -> line.has("type"));
            assertEquals("hello", parse(lines.lines.get(0)).path("type").asText(), "hello first: " + lines.lines);
            assertEquals("read", parse(lines.lines.get(0)).path("access").asText());

            connection.request("{\"id\":1,\"op\":\"echo\",\"text\":\"über\"}");
            JsonNode reply = lines.await("the echo", replyTo(1));
            assertTrue(reply.path("ok").asBoolean(), reply::toString);
            assertEquals("über", reply.path("result").path("text").asText());

            int n = 5_000;
            connection.request("{\"id\":2,\"op\":\"stream\",\"n\":" + n + "}");
            JsonNode end = lines.await("the stream's end", replyTo(2));
            assertEquals(n, end.path("result").path("count").asInt());
            List<JsonNode> events = lines.parsed().stream()
                    .filter(line -> line.path("id").asLong() == 2 && line.has("event"))
                    .toList();
            assertEquals(n, events.size(), "every event, none dropped");
            for (int i = 0; i < n; i++) {
                assertEquals(i, events.get(i).path("event").path("i").asInt(), "events in order");
            }

            // Lines far above the relay's 64 KiB per message (almost the protocol's 1 MiB) travel
            // whole, in order, behind each other.
            connection.request("{\"id\":3,\"op\":\"stream\",\"n\":3,\"size\":1000000}");
            lines.await("the large stream's end", replyTo(3));
            List<JsonNode> large = lines.parsed().stream()
                    .filter(line -> line.path("id").asLong() == 3 && line.has("event"))
                    .toList();
            assertEquals(3, large.size());
            for (int i = 0; i < 3; i++) {
                assertEquals(i, large.get(i).path("event").path("i").asInt());
                assertEquals(
                        1_000_000,
                        large.get(i).path("event").path("pad").asText().length());
            }
            assertFalse(connection.ended().isDone());
        }
        Await.until("closing the connection closes the session on the node", () -> inspector.sessions.get(0).closed);
    }

    @Test
    void aShellWithoutAGrantIsRefusedAndNothingItSendsReachesTheInspector() throws Exception {
        Node served = node("served");
        Node granted = node("granted");
        serve(served, InspectionGrants.none().grant(InspectionAccess.READ, granted.id()), InspectionLimits.defaults());
        PeerIdentity stranger = PeerIdentity.generate();

        RemoteInspectionException refused = assertThrows(
                RemoteInspectionException.class,
                () -> RemoteInspection.connect(uri, ROOM, served.id(), stranger, line -> {}, ATTACH));
        assertEquals(RemoteInspectionException.Reason.REFUSED, refused.reason());
        assertEquals(
                "node " + served.id() + " refused inspection: it grants this shell's identity no access (the node"
                        + " must grant it READ or WRITE in RemoteInspection.serve)",
                refused.getMessage());
        assertTrue(inspector.sessions.isEmpty(), "no session was opened");

        // A hostile node that skips the attach and calls the service's actions directly.
        Node hostile = node("hostile");
        Await.until(
                "the hostile node sees the inspected node",
                () -> hostile.remote().isUp(served.id()));
        InspectionGate gate = hostile.remote()
                .client(served.id(), RemoteInspectionSession.TOKEN)
                .actions();
        gate.request(1, "{\"id\":1,\"op\":\"echo\",\"text\":\"let me in\"}");
        ExecutionException poll =
                assertThrows(ExecutionException.class, () -> gate.poll(1, 0).get(10, TimeUnit.SECONDS));
        assertEquals(RemoteCallException.Reason.UNAUTHORIZED, ((RemoteCallException) poll.getCause()).reason());

        // The granted shell is served meanwhile, and its first session is the inspector's first.
        Lines lines = new Lines();
        RemoteInspectionSession session = attach(granted, served, lines);
        session.request("{\"id\":1,\"op\":\"echo\",\"text\":\"hi\"}");
        lines.await("the granted shell's echo", replyTo(1));
        assertEquals(List.of("{\"id\":1,\"op\":\"echo\",\"text\":\"hi\"}"), inspector.allRequests());
    }

    @Test
    void theGrantedAccessIsWhatTheSessionOpensWith() throws Exception {
        Node served = node("served");
        Node reader = node("reader");
        Node writer = node("writer");
        serve(
                served,
                InspectionGrants.none()
                        .grant(InspectionAccess.READ, reader.id())
                        .grant(InspectionAccess.WRITE, writer.id()),
                InspectionLimits.defaults());
        Lines read = new Lines();
        Lines write = new Lines();
        RemoteInspectionSession readSession = attach(reader, served, read);
        RemoteInspectionSession writeSession = attach(writer, served, write);
        assertEquals("read", read.parsed().get(0).path("access").asText());
        assertEquals("write", write.parsed().get(0).path("access").asText());

        readSession.request("{\"id\":5,\"op\":\"send\"}");
        writeSession.request("{\"id\":5,\"op\":\"send\"}");
        assertEquals(
                "forbidden",
                read.await("read's send", replyTo(5)).path("error").path("code").asText());
        assertTrue(write.await("write's send", replyTo(5)).path("ok").asBoolean());
        assertEquals(
                List.of(InspectionAccess.READ, InspectionAccess.WRITE),
                inspector.sessions.stream().map(s -> s.access).sorted().toList());
    }

    @Test
    void twoShellsSeeOnlyTheirOwnLines() throws Exception {
        Node served = node("served");
        Node a = node("a");
        Node b = node("b");
        serve(
                served,
                InspectionGrants.none().grant(InspectionAccess.READ, a.id(), b.id()),
                InspectionLimits.defaults());
        Lines linesA = new Lines();
        Lines linesB = new Lines();
        RemoteInspectionSession sessionA = attach(a, served, linesA);
        RemoteInspectionSession sessionB = attach(b, served, linesB);

        // The same request id in both: each gets its own answer only.
        sessionA.request("{\"id\":1,\"op\":\"stream\",\"n\":300}");
        sessionB.request("{\"id\":1,\"op\":\"echo\",\"text\":\"b\"}");
        lines(linesA, "A's stream ends", 300);
        JsonNode echo = linesB.await("B's echo", replyTo(1));
        assertEquals("b", echo.path("result").path("text").asText());
        sessionB.request("{\"id\":2,\"op\":\"echo\",\"text\":\"b2\"}");
        linesB.await("B's second echo", replyTo(2));
        assertEquals(3, linesB.lines.size(), "B: hello, echo, echo, and none of A's stream: " + linesB.lines);
        assertEquals(302, linesA.lines.size(), "A: hello, 300 events, end: no echo of B");
        assertTrue(linesA.lines.stream().noneMatch(line -> line.contains("\"b")), "nothing of B reached A");
    }

    private static void lines(Lines lines, String what, int n) {
        JsonNode end = lines.await(what, replyTo(1));
        assertEquals(n, end.path("result").path("count").asInt());
    }

    @Test
    void aShellWhoseNodeGoesDownHasItsSessionClosedAndItsTraceStopped() throws Exception {
        Node served = node("served");
        Node shell = node("shell");
        Node other = node("other");
        InspectionService service = serve(
                served,
                InspectionGrants.none().grant(InspectionAccess.READ, shell.id(), other.id()),
                InspectionLimits.defaults());
        Lines lines = new Lines();
        RemoteInspectionSession session = attach(shell, served, lines);
        Lines otherLines = new Lines();
        RemoteInspectionSession otherSession = attach(other, served, otherLines);
        session.request("{\"id\":9,\"op\":\"trace\"}");
        ScriptedInspector.Session traced = Await.value(
                "the trace runs",
                () -> inspector.sessions.stream()
                        .filter(s -> s.tracing)
                        .findFirst()
                        .orElse(null));
        assertEquals(2, service.sessions());

        long downAt = System.nanoTime();
        shell.remote().close(); // no detach: the node just goes away
        Await.until("the session of the node that went down closes", Duration.ofSeconds(10), () -> traced.closed);
        long tookMs = (System.nanoTime() - downAt) / 1_000_000;
        System.out.println("session closed " + tookMs + " ms after its shell's node went down");
        assertFalse(traced.tracing, "its trace stopped");
        Await.until("the service counts one session", () -> service.sessions() == 1);
        assertEquals(0, service.sessions(shell.id()));
        assertTrue(tookMs < 10_000, "closed " + tookMs + " ms after the node went down");

        // The other shell goes on, and its own detach closes its session too.
        otherSession.request("{\"id\":1,\"op\":\"echo\",\"text\":\"still here\"}");
        otherLines.await("the other shell's echo", replyTo(1));
        otherSession.close();
        assertEquals("closed by this shell", otherSession.ended().get(1, TimeUnit.SECONDS));
        Await.until("a detached session closes", () -> service.sessions() == 0);
    }

    @Test
    void oversizedAndMalformedInputIsAnsweredWithAnErrorAndTheNodeServesOthers() throws Exception {
        Node served = node("served");
        Node hostile = node("hostile");
        Node other = node("other");
        serve(
                served,
                InspectionGrants.none().grant(InspectionAccess.READ, hostile.id(), other.id()),
                InspectionLimits.defaults());
        Lines lines = new Lines();
        RemoteInspectionSession session = attach(hostile, served, lines);

        // Through the service's actions directly, past the client's own checks.
        InspectionGate gate = hostile.remote()
                .client(served.id(), RemoteInspectionSession.TOKEN)
                .actions();
        String huge = "{\"id\":41,\"op\":\"echo\",\"text\":\"" + "x".repeat(RemoteInspection.MAX_LINE_BYTES) + "\"}";
        gate.request(1, huge);
        JsonNode tooLarge = lines.await("the too-large error", replyTo(41));
        assertEquals("too-large", tooLarge.path("error").path("code").asText());
        assertEquals(
                "the request is more than 1048576 bytes (the protocol's bound on a line); it was not read",
                tooLarge.path("error").path("message").asText());
        gate.request(1, "{\"id\":42,\n\"op\":\"echo\"}");
        assertEquals(
                "bad-request",
                lines.await("the line-break error", replyTo(42))
                        .path("error")
                        .path("code")
                        .asText());
        gate.request(1, "not json at all");
        lines.await("the inspector's bad-request", line -> line.path("id").isNull());
        gate.request(77, "{\"id\":43,\"op\":\"echo\"}"); // no such session of this node: dropped

        // The client side refuses a too-large request before sending it.
        session.request(huge);
        assertEquals(2, lines.parsed().stream().filter(replyTo(41)).count(), "answered locally too");

        // The session and the node go on.
        session.request("{\"id\":44,\"op\":\"echo\",\"text\":\"fine\"}");
        lines.await("the next echo", replyTo(44));
        Lines otherLines = new Lines();
        RemoteInspectionSession otherSession = attach(other, served, otherLines);
        otherSession.request("{\"id\":1,\"op\":\"echo\",\"text\":\"other\"}");
        otherLines.await("the other shell's echo", replyTo(1));
        assertTrue(
                inspector.allRequests().stream().noneMatch(request -> request.length() > 1000),
                "the oversized request never reached the inspector");
        assertFalse(
                inspector.allRequests().contains("{\"id\":43,\"op\":\"echo\"}"),
                "a request for no session reached nothing");
        assertFalse(session.ended().isDone());
    }

    @Test
    void aShellHearsWhenTheNodeStopsServingAndWhenTheNodeGoesDown() throws Exception {
        Node served = node("served");
        Node shell = node("shell");
        InspectionGrants grants = InspectionGrants.none().grant(InspectionAccess.READ, shell.id());
        InspectionService service = serve(served, grants, InspectionLimits.defaults());
        Lines lines = new Lines();
        RemoteInspectionSession session = attach(shell, served, lines);
        service.close();
        assertEquals("the node stopped serving inspection", session.ended().get(10, TimeUnit.SECONDS));
        assertTrue(inspector.sessions.get(0).closed, "the inspector's session closed");
        session.request("{\"id\":3,\"op\":\"echo\"}");
        JsonNode after = lines.await("the error for a request after the end", replyTo(3));
        assertEquals("unavailable", after.path("error").path("code").asText());

        serve(served, grants, InspectionLimits.defaults());
        RemoteInspectionSession again = attach(shell, served, new Lines());
        served.remote().close();
        String why = again.ended().get(10, TimeUnit.SECONDS);
        assertTrue(why.contains("node is down"), why);
    }

    @Test
    void aShellKilledMidTraceStopsItsTrace(@TempDir Path dir) throws Exception {
        Node served = node("served");
        byte[] seed = new byte[PeerIdentity.SEED_BYTES];
        new java.security.SecureRandom().nextBytes(seed);
        PeerId shell = PeerIdentity.fromSeed(seed).peerId();
        InspectionService service =
                serve(served, InspectionGrants.none().grant(InspectionAccess.READ, shell), InspectionLimits.defaults());
        try (ChildProcess child = ChildProcess.builder(JavaCommand.of(ShellNode.class)
                        .jvmOptions("-Xmx128m", "-XX:TieredStopAtLevel=1")
                        .args(
                                uri.toString(),
                                ROOM,
                                served.id().toString(),
                                HexFormat.of().formatHex(seed)))
                .start(dir, "shell")) {
            child.awaitLine("the shell traces", Duration.ofSeconds(60), "tracing"::equals);
            ScriptedInspector.Session traced = Await.value(
                    "the trace runs",
                    () -> inspector.sessions.stream()
                            .filter(s -> s.tracing)
                            .findFirst()
                            .orElse(null));
            assertEquals(1, service.sessions(shell));
            long killed = System.nanoTime();
            child.kill();
            Await.until("the killed shell's trace stops", Duration.ofSeconds(20), () -> traced.closed);
            assertFalse(traced.tracing);
            System.out.println("trace stopped " + (System.nanoTime() - killed) / 1_000_000
                    + " ms after its shell's JVM was killed");
            Await.until("its session is gone", () -> service.sessions() == 0);
        }
    }

    @Test
    void sessionsPerNodeAreBoundedAndASlowShellHoldsAtMostItsBound() throws Exception {
        Node served = node("served");
        Node shell = node("shell");
        InspectionService service = serve(
                served,
                InspectionGrants.none().grant(InspectionAccess.READ, shell.id()),
                InspectionLimits.defaults().withMaxSessionsPerNode(2).withMaxBuffered(1_000_000, 100));
        Await.until(
                "the shell's node sees the inspected node", () -> shell.remote().isUp(served.id()));

        // A shell that does not read: beyond its 100 waiting lines, stream events are dropped and
        // the reply is kept, so the request still ends when the shell reads at last.
        InspectionGate gate = shell.remote()
                .client(served.id(), RemoteInspectionSession.TOKEN)
                .actions();
        long slow = gate.open().get(10, TimeUnit.SECONDS);
        gate.request(slow, "{\"id\":1,\"op\":\"stream\",\"n\":1000}");
        Await.until(
                "the inspector has streamed the 1000 events",
                () -> inspector.sessions.size() == 1
                        && inspector.sessions.get(0).handled.get() == 1);
        List<String> taken = new ArrayList<>();
        Await.until("the slow shell reads the reply at last", () -> {
            taken.addAll(gate.poll(slow, 0).join());
            return taken.stream().map(RemoteInspectionTest::parse).anyMatch(replyTo(1));
        });
        assertEquals("hello", parse(taken.get(0)).path("type").asText());
        assertEquals(101, taken.size(), "hello, 99 events and the reply: " + taken.size());
        assertEquals(1000, parse(taken.get(100)).path("result").path("count").asInt(), "the reply, last");

        Lines second = new Lines();
        attach(shell, served, second);
        CompletionException busy = assertThrows(
                CompletionException.class,
                () -> RemoteInspection.attach(shell.remote(), served.id(), line -> {})
                        .join());
        RemoteInspectionException cause = (RemoteInspectionException) busy.getCause();
        assertEquals(RemoteInspectionException.Reason.BUSY, cause.reason());
        assertTrue(
                cause.getMessage().contains("already has 2 inspection sessions open here (maxSessionsPerNode)"),
                cause.getMessage());
        assertEquals(2, service.sessions(shell.id()));

        // Detaching one makes room again.
        gate.close(slow);
        Await.until("the detached session is gone", () -> service.sessions(shell.id()) == 1);
        RemoteInspection.attach(shell.remote(), served.id(), line -> {}).get(10, TimeUnit.SECONDS);
    }
}
