package dev.ensemble.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.signaling.server.SignalingServer;
import dev.ensemble.signaling.server.SignalingServerConfig;
import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.process.ChildProcess;
import dev.ensemble.testkit.process.JavaCommand;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.ws.WebSocketTransport;
import dev.ensemble.transport.ws.WebSocketTransportConfig;
import dev.ensemble.transport.ws.direct.DirectTransport;
import dev.ensemble.transport.ws.direct.DirectTransportConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three JVMs: a node serving the counter, a calling node in a second JVM and this test's node, both
 * calling it at once, over the relay of a real signaling server and over direct connections. Each
 * caller's calls arrive in order and none is lost on a reliable transport: the total is the sum.
 */
class ThreeJvmTest {
    private static final String ROOM = "three-jvms";
    private static final int CHILD_INCREMENTS = 500;
    private static final int OUR_INCREMENTS = 300;
    private static final List<String> JVM = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1");

    @TempDir
    Path dir;

    @Test
    void twoCallersInTwoJvmsShareACounterInAThirdThroughTheRelay() throws Exception {
        SignalingServer server =
                new SignalingServer(SignalingServerConfig.loopback().build()).start();
        String uri = "ws://127.0.0.1:" + server.port() + "/";
        try (ChildProcess serving = ChildProcess.builder(JavaCommand.of(CounterNode.class)
                        .jvmOptions(JVM.toArray(String[]::new))
                        .args(uri, ROOM))
                .start(dir, "serving")) {
            PeerId node = nodeOf(serving);
            try (ChildProcess calling = ChildProcess.builder(JavaCommand.of(CallerNode.class)
                            .jvmOptions(JVM.toArray(String[]::new))
                            .args("relay", uri, ROOM, node.toString(), Integer.toString(CHILD_INCREMENTS)))
                    .start(dir, "calling")) {
                callAlongside(
                        node,
                        calling,
                        identity -> WebSocketTransport.create(
                                WebSocketTransportConfig.builder(URI.create(uri), ROOM, identity)
                                        .build()));
            }
        } finally {
            server.stop(Duration.ofSeconds(1));
        }
    }

    @Test
    void twoCallersInTwoJvmsShareACounterInAThirdOverDirectConnections() throws Exception {
        try (ChildProcess serving = ChildProcess.builder(
                        JavaCommand.of(DirectCounterNode.class).jvmOptions(JVM.toArray(String[]::new)))
                .start(dir, "serving")) {
            String line =
                    serving.awaitLine("the node's id and port", Duration.ofSeconds(60), l -> l.startsWith("node "));
            PeerId node = PeerId.parse(line.split(" ")[1]);
            String uri = "ws://127.0.0.1:" + line.split(" ")[3] + "/";
            try (ChildProcess calling = ChildProcess.builder(JavaCommand.of(CallerNode.class)
                            .jvmOptions(JVM.toArray(String[]::new))
                            .args("direct", uri, node.toString(), Integer.toString(CHILD_INCREMENTS)))
                    .start(dir, "calling")) {
                callAlongside(
                        node,
                        calling,
                        identity -> DirectTransport.create(DirectTransportConfig.builder(identity)
                                .dial(URI.create(uri), node)
                                .build()));
            }
        }
    }

    private static PeerId nodeOf(ChildProcess serving) {
        String line = serving.awaitLine("the node's id", Duration.ofSeconds(60), l -> l.startsWith("node "));
        return PeerId.parse(line.substring("node ".length()).split(" ")[0]);
    }

    /** This node increments while the other caller does; then the total must hold both. */
    private static void callAlongside(PeerId node, ChildProcess calling, Function<PeerIdentity, Transport> transports)
            throws Exception {
        try (ActorSystem system = ActorSystem.builder("third").start();
                RemoteActors remote = RemoteActors.builder(system, transports.apply(PeerIdentity.generate()))
                        .types(SimNodes.TYPES)
                        .start()) {
            Await.until("the serving node is up", () -> remote.isUp(node), calling::describe);
            ActorClient<CounterActions, Tally> counter = remote.client(node, Counter.TOKEN);
            for (int i = 0; i < OUR_INCREMENTS; i++) {
                counter.actions().increment(1);
            }
            String done =
                    calling.awaitLine("the other caller is done", Duration.ofSeconds(90), l -> l.startsWith("done "));
            int seenThere = Integer.parseInt(done.substring("done ".length()));
            assertEquals(0, calling.awaitExit(), calling::describe);
            Await.until(
                    "the total holds both callers' increments",
                    () -> counter.actions().total().join() == CHILD_INCREMENTS + OUR_INCREMENTS,
                    () -> "total " + counter.actions().total().join() + ", the other caller saw " + seenThere);
        }
    }
}
