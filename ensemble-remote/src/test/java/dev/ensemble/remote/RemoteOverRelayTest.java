package dev.ensemble.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.Down;
import dev.ensemble.remote.RemoteCallException.Reason;
import dev.ensemble.signaling.server.SignalingServer;
import dev.ensemble.signaling.server.SignalingServerConfig;
import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.process.ChildProcess;
import dev.ensemble.testkit.process.JavaCommand;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.ws.WebSocketTransport;
import dev.ensemble.transport.ws.WebSocketTransportConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node in another JVM, reached through the WebSocket relay of a real signaling server on
 * 127.0.0.1: calls, state and events cross processes, and a SIGKILL of that JVM is a node down.
 */
class RemoteOverRelayTest {
    static final Duration HEARTBEAT = Duration.ofMillis(200);
    static final Duration PAUSE = Duration.ofSeconds(2);
    private static final String ROOM = "remote-counter";

    @TempDir
    Path dir;

    @Test
    void aCounterInAnotherJvmIsCalledFollowedAndSeenDownWhenKilled() throws Exception {
        SignalingServer server =
                new SignalingServer(SignalingServerConfig.loopback().build()).start();
        URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/");
        try (ChildProcess child = ChildProcess.builder(JavaCommand.of(CounterNode.class)
                                .jvmOptions("-Xmx256m", "-XX:TieredStopAtLevel=1")
                                .args(uri.toString(), ROOM))
                        .start(dir, "node-b");
                ActorSystem system = ActorSystem.builder("caller").start()) {
            String line = child.awaitLine("the node's id", Duration.ofSeconds(60), text -> text.startsWith("node "));
            PeerId b = PeerId.parse(line.substring("node ".length()));
            WebSocketTransport transport =
                    WebSocketTransport.create(WebSocketTransportConfig.builder(uri, ROOM, PeerIdentity.generate())
                            .build());
            try (RemoteActors remote = RemoteActors.builder(system, transport)
                    .types(SimNodes.TYPES)
                    .heartbeatInterval(HEARTBEAT)
                    .acceptableHeartbeatPause(PAUSE)
                    .start()) {
                Await.until("the node in the other JVM is up", () -> remote.isUp(b), child::describe);
                ActorClient<CounterActions, Tally> counter = remote.client(b, Counter.TOKEN);
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
                        new Note("relay!", 2, List.of(1, 2)),
                        counter.actions()
                                .echo(new Note("relay", 1, List.of(1, 2)))
                                .join());
                Await.until("the state follows to 5050", () -> seen.contains(5050), () -> seen);
                for (int i = 1; i < seen.size(); i++) {
                    assertTrue(seen.get(i) > seen.get(i - 1), "state in order: " + seen);
                }
                counter.actions().announce("hello");
                Await.until("the event arrives", () -> events.contains("hello"), () -> events);

                // Values far above the relay's 64 KiB per message travel as chunks, both ways, and
                // a small call right behind a large one is not overtaken.
                String big = "relay ".repeat(200_000);
                assertEquals(big, counter.actions().describe(big).join(), "1.2 MB there and back");
                counter.actions().announce(big);
                counter.actions().announce("after the large one");
                Await.until(
                        "the large event and the one behind it arrive",
                        () -> events.contains("after the large one"),
                        () -> events.size() + " events");
                assertEquals(big, events.get(events.size() - 2), "the large event came first, whole");
                assertTrue(remote.stats().valuesChunked() >= 1, remote.stats()::toString);
                assertEquals(0, remote.stats().chunkStreamsDropped(), remote.stats()::toString);

                long killed = System.nanoTime();
                child.kill();
                Await.until("onDown after SIGKILL", Duration.ofSeconds(30), () -> downs.size() == 1);
                long toDownMs = (System.nanoTime() - killed) / 1_000_000;
                RemoteCallException cause =
                        assertInstanceOf(RemoteCallException.class, downs.get(0).cause());
                assertEquals(Reason.NODE_DOWN, cause.reason());
                RemoteCallException after = assertInstanceOf(
                        RemoteCallException.class,
                        org.junit.jupiter.api.Assertions.assertThrows(
                                        CompletionException.class,
                                        () -> counter.actions().total().join())
                                .getCause());
                assertTrue(
                        after.reason() == Reason.NODE_DOWN || after.reason() == Reason.NOT_CONNECTED, after::toString);
                System.out.println("remote node down " + toDownMs + " ms after SIGKILL: "
                        + downs.get(0).cause().getMessage());
            }
        } finally {
            server.stop(Duration.ofSeconds(1));
        }
    }
}
