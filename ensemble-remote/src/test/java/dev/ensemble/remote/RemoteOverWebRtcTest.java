package dev.ensemble.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.Down;
import dev.ensemble.remote.AccessPolicy.Permission;
import dev.ensemble.remote.RemoteCallException.Reason;
import dev.ensemble.signaling.server.RateLimit;
import dev.ensemble.signaling.server.SignalingServer;
import dev.ensemble.signaling.server.SignalingServerConfig;
import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.net.NetNamespace;
import dev.ensemble.testkit.process.ChildProcess;
import dev.ensemble.testkit.process.JavaCommand;
import dev.ensemble.transport.PeerId;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote actors over WebRTC data channels, negotiated through a real signaling server: two nodes in
 * one JVM, and a node in a second JVM that is killed. Every remote frame crosses a data channel (the
 * relay carries only the room and the signals). Runs inside netns-run only (libwebrtc gathers no
 * loopback candidates) and is skipped elsewhere, as the WebRTC transport's own tests are.
 */
class RemoteOverWebRtcTest {
    static final Duration HEARTBEAT = Duration.ofMillis(200);
    static final Duration PAUSE = Duration.ofSeconds(2);
    /**
     * How soon a killed node must be seen down: the detector's verdict comes about 0.3 s after
     * {@code HEARTBEAT + PAUSE} of silence (REMOTE.md, "Failure detection"); the rest is room for a
     * loaded machine. Usually the signaling server sees the killed JVM's connection reset first,
     * and the room's leave closes the data channel at once.
     */
    private static final Duration DOWN_BOUND = Duration.ofSeconds(8);

    private static final Duration CONNECT = Duration.ofSeconds(60);
    private static final String ROOM = "remote-webrtc";

    @TempDir
    Path dir;

    private SignalingServer server;
    private URI uri;

    /** The quick failure detector of the nodes of the test across JVMs, whose SIGKILL must be seen within {@link #DOWN_BOUND}. */
    static RemoteActors.Builder detector(RemoteActors.Builder builder) {
        return builder.heartbeatInterval(HEARTBEAT).acceptableHeartbeatPause(PAUSE);
    }

    @BeforeEach
    void startServer() throws Exception {
        NetNamespace.assumeInside();
        server = new SignalingServer(SignalingServerConfig.loopback()
                        // Nothing but signals goes through it; the default limit is not what is tested here.
                        .relayRate(new RateLimit(1_000_000, 1_000_000))
                        .build())
                .start();
        uri = URI.create("ws://127.0.0.1:" + server.port() + "/");
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(Duration.ofSeconds(1));
        }
    }

    @Test
    void callsStateEventsAndValuesUpToMaxValueSizeCrossADataChannelAndACloseIsANodeDown() throws Exception {
        try (ActorSystem systemB = ActorSystem.builder("b")
                        .add(Counter.TOKEN, Counter::new)
                        .start();
                ActorSystem systemA = ActorSystem.builder("a").start();
                // The failure detector's defaults, not this class's quick one: a node decoding a 16 MiB value on
                // its transport's thread sends no heartbeat meanwhile, which on a loaded machine took over 4 s,
                // past the quick detector's 2 s pause. The close below is seen through the data channel at once.
                WebRtcNode b = WebRtcNode.start(systemB, uri, ROOM, UnaryOperator.identity());
                WebRtcNode a = WebRtcNode.start(systemA, uri, ROOM, UnaryOperator.identity())) {
            b.remote.expose(Counter.TOKEN, AccessPolicy.everyone(Permission.values()));
            Await.until("node B is up for A over WebRTC", CONNECT, () -> a.remote.isUp(b.id));
            ActorClient<CounterActions, Tally> counter = a.remote.client(b.id, Counter.TOKEN);
            List<Down> downs = exercise(counter, a.remote);

            // A value of almost maxValueSize (16 MiB) each way, about 260 chunks of 64 KiB: the
            // heartbeats wait behind them, and still neither node is declared down.
            String huge = "w".repeat(RemoteActors.DEFAULT_MAX_VALUE_SIZE - 64 * 1024);
            assertEquals(
                    huge.length(),
                    counter.withAskTimeout(Duration.ofSeconds(60))
                            .actions()
                            .describe(huge)
                            .join()
                            .length());
            assertEquals(0, a.remote.stats().nodesDown(), a.remote.stats()::toString);
            assertEquals(0, b.remote.stats().nodesDown(), b.remote.stats()::toString);

            // B closes its node: the data channel closes, and A sees B down at once.
            long closed = System.nanoTime();
            b.close();
            Await.until("onDown when B closed", DOWN_BOUND, () -> downs.size() == 1);
            assertEquals(
                    Reason.NODE_DOWN,
                    assertInstanceOf(RemoteCallException.class, downs.get(0).cause())
                            .reason());
            System.out.println("WebRTC node seen down " + (System.nanoTime() - closed) / 1_000_000
                    + " ms after it closed: " + downs.get(0).cause().getMessage());
        }
    }

    @Test
    void aCounterInAnotherJvmIsReachedOverWebRtcAndSeenDownWhenKilled() throws Exception {
        try (ChildProcess child = ChildProcess.builder(JavaCommand.of(WebRtcCounterNode.class)
                                .jvmOptions(
                                        "-Xmx256m",
                                        "-XX:TieredStopAtLevel=1",
                                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
                                .args(uri.toString(), ROOM))
                        .start(dir, "webrtc-node-b");
                ActorSystem system = ActorSystem.builder("caller").start()) {
            String line = child.awaitLine("the node's id", CONNECT, text -> text.startsWith("node "));
            PeerId b = PeerId.parse(line.substring("node ".length()));
            try (WebRtcNode a = WebRtcNode.start(system, uri, ROOM, RemoteOverWebRtcTest::detector)) {
                Await.until(
                        "the node in the other JVM is up over WebRTC",
                        CONNECT,
                        () -> a.remote.isUp(b),
                        child::describe);
                ActorClient<CounterActions, Tally> counter = a.remote.client(b, Counter.TOKEN);
                List<Down> downs = exercise(counter, a.remote);

                long killed = System.nanoTime();
                child.kill();
                Await.until("onDown after SIGKILL", Duration.ofSeconds(30), () -> downs.size() == 1);
                long toDownMs = (System.nanoTime() - killed) / 1_000_000;
                RemoteCallException cause =
                        assertInstanceOf(RemoteCallException.class, downs.get(0).cause());
                assertEquals(Reason.NODE_DOWN, cause.reason());
                assertTrue(
                        toDownMs < DOWN_BOUND.toMillis(),
                        "down " + toDownMs + " ms after SIGKILL, more than " + DOWN_BOUND.toMillis() + " ms: "
                                + cause.getMessage());
                RemoteCallException after = assertInstanceOf(
                        RemoteCallException.class,
                        assertThrows(
                                        CompletionException.class,
                                        () -> counter.actions().total().join())
                                .getCause());
                assertTrue(
                        after.reason() == Reason.NODE_DOWN || after.reason() == Reason.NOT_CONNECTED, after::toString);
                System.out.println("WebRTC node down " + toDownMs + " ms after SIGKILL: " + cause.getMessage());
            }
        }
    }

    /**
     * Tells, asks, a state subscription, events and values far above a data channel's 64 KiB (chunks,
     * both ways) through {@code counter}; returns the list its {@code onDown} fills.
     */
    private static List<Down> exercise(ActorClient<CounterActions, Tally> counter, RemoteActors caller) {
        List<Integer> seen = new CopyOnWriteArrayList<>();
        counter.onState(tally -> seen.add(tally.total()));
        List<Object> events = new CopyOnWriteArrayList<>();
        counter.onEvent("announced", event -> events.add(event.payload()));
        List<Down> downs = new CopyOnWriteArrayList<>();
        counter.onDown(downs::add);

        for (int i = 1; i <= 100; i++) {
            counter.actions().increment(i);
        }
        assertEquals(5050, counter.actions().total().join());
        assertEquals(
                new Note("webrtc!", 2, List.of(1, 2)),
                counter.actions().echo(new Note("webrtc", 1, List.of(1, 2))).join());
        Await.until("the state follows to 5050", () -> seen.contains(5050), () -> seen);
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i) > seen.get(i - 1), "state in order: " + seen);
        }
        assertEquals(5050, counter.state().total());
        counter.actions().announce("hello");
        Await.until("the event arrives", () -> events.contains("hello"), () -> events);

        RemoteCallException failed = assertInstanceOf(
                RemoteCallException.class,
                assertThrows(
                                CompletionException.class,
                                () -> counter.actions().fail("boom").join())
                        .getCause());
        assertEquals(Reason.FAILED, failed.reason());

        // 2.4 MB there (the argument) and back (the result), and as an event, each as about 38 chunks
        // of at most 64 KiB; a small event right behind the large one is not overtaken.
        String big = "webrtc".repeat(400_000);
        assertEquals(big, counter.actions().describe(big).join(), "2.4 MB there and back");
        counter.actions().announce(big);
        counter.actions().announce("after the large one");
        Await.until(
                "the large event and the one behind it arrive",
                () -> events.contains("after the large one"),
                () -> events.size() + " events");
        assertEquals(big, events.get(events.size() - 2), "the large event came first, whole");
        assertTrue(caller.stats().valuesChunked() >= 1, caller.stats()::toString);
        assertEquals(0, caller.stats().chunkStreamsDropped(), caller.stats()::toString);
        assertEquals(0, caller.stats().malformedFrames(), caller.stats()::toString);
        assertTrue(downs.isEmpty(), () -> "no down yet: " + downs);
        return downs;
    }
}
