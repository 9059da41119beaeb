package dev.ensemble.benchmarks.remote;

import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.remote.RemoteActors;
import dev.ensemble.remote.RemoteCallException;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.TransportListener;
import dev.ensemble.transport.webrtc.WebRtcConfig;
import dev.ensemble.transport.webrtc.WebRtcTransport;
import dev.ensemble.transport.ws.WebSocketTransport;
import dev.ensemble.transport.ws.WebSocketTransportConfig;
import dev.ensemble.transport.ws.direct.DirectTransport;
import dev.ensemble.transport.ws.direct.DirectTransportConfig;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * ensemble-remote: a node here with a remote client of the {@link BenchCounter} served by a
 * {@link NodeMain} in a child JVM, over the direct connection, the relay or WebRTC. Built as an
 * application builds it, with {@link RemoteActors}' defaults (ask timeout aside).
 */
final class EnsembleTarget implements CounterTarget {
    private final ChildJvm node;
    private final ActorSystem system;
    private final RemoteActors remote;
    private final List<AutoCloseable> alsoOpen;
    private final BenchCounterActions counter;
    private long refused;

    private EnsembleTarget(
            ChildJvm node,
            ActorSystem system,
            RemoteActors remote,
            List<AutoCloseable> alsoOpen,
            ActorClient<BenchCounterActions, Integer> client) {
        this.node = node;
        this.system = system;
        this.remote = remote;
        this.alsoOpen = alsoOpen;
        this.counter = client.actions();
    }

    /**
     * Starts the far node and connects to it.
     *
     * @param server the signaling server for the relay and WebRTC; unused for the direct connection
     */
    static EnsembleTarget open(Connection connection, Duration deadline, Duration askTimeout, URI server, String room)
            throws Exception {
        List<String> args = new ArrayList<>(List.of(Long.toString(deadline.toSeconds()), connection.label));
        if (connection != Connection.DIRECT) {
            args.add(server.toString());
            args.add(room);
        }
        ChildJvm node = ChildJvm.start(NodeMain.class, args);
        PeerId far = PeerId.parse(node.ready(0));
        PeerIdentity identity = PeerIdentity.generate();
        List<AutoCloseable> alsoOpen = new ArrayList<>();
        ActorSystem system = ActorSystem.builder("calling-node").start();
        Transport transport;
        WebSocketTransport negotiation = null;
        switch (connection) {
            case DIRECT ->
                transport = DirectTransport.create(DirectTransportConfig.builder(identity)
                        .dial(URI.create("ws://127.0.0.1:" + node.ready(1) + "/"), far)
                        .build());
            case RELAY ->
                transport = WebSocketTransport.create(
                        WebSocketTransportConfig.builder(server, room, identity).build());
            case WEBRTC -> {
                negotiation = WebSocketTransport.create(
                        WebSocketTransportConfig.builder(server, room, identity).build());
                transport = WebRtcTransport.overRelay(negotiation, WebRtcConfig.defaults());
            }
            default -> throw new IllegalArgumentException("not an ensemble connection: " + connection);
        }
        RemoteActors remote =
                RemoteActors.builder(system, transport).askTimeout(askTimeout).start();
        if (negotiation != null) {
            negotiation.start(TransportListener.NONE);
            WebSocketTransport relay = negotiation;
            alsoOpen.add(relay::close);
        }
        try {
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!remote.isUp(far)) {
                if (System.nanoTime() > until) {
                    throw new TimeoutException(
                            "the counter's node " + far + " is not up over " + connection.label + " within 30 s");
                }
                LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
            }
        } catch (TimeoutException e) {
            remote.close();
            system.close();
            node.close();
            throw e;
        }
        return new EnsembleTarget(node, system, remote, alsoOpen, remote.client(far, BenchCounter.TOKEN));
    }

    @Override
    public void add(int by) {
        while (true) {
            try {
                counter.add(by);
                return;
            } catch (RemoteCallException e) {
                if (e.reason() != RemoteCallException.Reason.QUEUE_FULL) {
                    throw e;
                }
                // The workload keeps at most two windows unanswered, well below the queue's bound;
                // count it if it happens anyway, and try again shortly.
                refused++;
                LockSupport.parkNanos(10_000);
            }
        }
    }

    @Override
    public CompletableFuture<Integer> total() {
        return counter.total();
    }

    @Override
    public long refusedTells() {
        return refused;
    }

    @Override
    public void close() throws Exception {
        remote.close();
        for (AutoCloseable closeable : alsoOpen) {
            closeable.close();
        }
        system.close();
        node.close();
    }
}
