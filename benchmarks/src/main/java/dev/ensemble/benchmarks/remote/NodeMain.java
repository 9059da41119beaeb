package dev.ensemble.benchmarks.remote;

import dev.ensemble.benchmarks.relay.SuiteDeadline;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.remote.AccessPolicy;
import dev.ensemble.remote.AccessPolicy.Permission;
import dev.ensemble.remote.RemoteActors;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.TransportListener;
import dev.ensemble.transport.webrtc.WebRtcConfig;
import dev.ensemble.transport.webrtc.WebRtcNatives;
import dev.ensemble.transport.webrtc.WebRtcTransport;
import dev.ensemble.transport.ws.WebSocketTransport;
import dev.ensemble.transport.ws.WebSocketTransportConfig;
import dev.ensemble.transport.ws.direct.DirectTransport;
import dev.ensemble.transport.ws.direct.DirectTransportConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The counter's node of the remote suite, in its own JVM: serves the counter over one
 * {@link Connection} and answers on stdin/stdout.
 *
 * <p>Arguments: the deadline in seconds (it exits by itself after it, so an orphan never lingers),
 * the connection ({@code artery}, {@code direct}, {@code relay} or {@code webrtc}), and for the
 * relay and WebRTC the signaling server's URI and the room. Prints {@code ready <address...>} once
 * it serves: {@code ready <port>} for Artery, {@code ready <did:key> <port>} for the direct
 * connection, {@code ready <did:key>} otherwise; then stops on {@code quit} or end of input. Lines
 * that do not start with a word the parent waits for (a library's own output) are skipped there.
 */
public final class NodeMain {
    private NodeMain() {}

    /**
     * @param args deadline seconds, connection, then for relay and WebRTC the server URI and room
     * @throws Exception if the node cannot start
     */
    public static void main(String[] args) throws Exception {
        long deadlineSeconds = Long.parseLong(args[0]);
        Connection connection = Connection.of(args[1]);
        SuiteDeadline.startForChild("remote node", Duration.ofSeconds(deadlineSeconds));

        List<AutoCloseable> open = new ArrayList<>();
        String ready;
        if (connection == Connection.ARTERY) {
            org.apache.pekko.actor.ActorSystem system = Artery.start(0);
            system.actorOf(PekkoCounter.props(), "counter");
            open.add(() -> system.terminate());
            ready = Integer.toString(Artery.port(system));
        } else {
            ActorSystem system = ActorSystem.builder("counter-node")
                    .add(BenchCounter.TOKEN, BenchCounter::new)
                    .start();
            open.add(system);
            PeerIdentity identity = PeerIdentity.generate();
            RemoteActors remote;
            switch (connection) {
                case DIRECT -> {
                    DirectTransport transport = DirectTransport.create(DirectTransportConfig.builder(identity)
                            .listen("127.0.0.1", 0)
                            .build());
                    remote = RemoteActors.builder(system, transport).start();
                    ready = identity.peerId() + " " + transport.port();
                }
                case RELAY -> {
                    WebSocketTransport relay = WebSocketTransport.create(
                            WebSocketTransportConfig.builder(URI.create(args[2]), args[3], identity)
                                    .build());
                    remote = RemoteActors.builder(system, relay).start();
                    ready = identity.peerId().toString();
                }
                case WEBRTC -> {
                    WebSocketTransport relay = WebSocketTransport.create(
                            WebSocketTransportConfig.builder(URI.create(args[2]), args[3], identity)
                                    .build());
                    WebRtcTransport webrtc = WebRtcTransport.overRelay(relay, WebRtcConfig.defaults());
                    remote = RemoteActors.builder(system, webrtc).start();
                    // The relay carries only the negotiation; the remote layer listens on WebRTC.
                    relay.start(TransportListener.NONE);
                    open.add(relay::close);
                    ready = identity.peerId().toString();
                }
                default -> throw new IllegalArgumentException("not an ensemble connection: " + connection);
            }
            remote.expose(BenchCounter.TOKEN, AccessPolicy.everyone(Permission.values()));
            open.add(0, remote);
        }
        System.out.println("ready " + ready);
        System.out.flush();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null && !line.equals("quit")) {
                System.err.println("remote node: unknown command '" + line + "'; known: quit");
            }
        }
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
        WebRtcNatives.closeStandardOutputForExit();
        System.exit(0);
    }
}
