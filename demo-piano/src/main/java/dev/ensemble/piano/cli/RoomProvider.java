package dev.ensemble.piano.cli;

import dev.ensemble.collab.transport.PeerId;
import dev.ensemble.piano.model.Player;
import dev.ensemble.piano.model.Transport;
import dev.ensemble.piano.room.LocalRoomHub;
import dev.ensemble.piano.room.NetworkPianoRoom;
import dev.ensemble.piano.room.PianoRoom;
import dev.ensemble.signaling.identity.PeerIdentity;
import dev.ensemble.signaling.server.SignalingServer;
import dev.ensemble.signaling.server.SignalingServerConfig;
import dev.ensemble.transport.ws.WebSocketTransport;
import dev.ensemble.transport.ws.WebSocketTransportConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a headless run's players join: an in-process room, or a room on a signaling server
 * (started here with {@code --embedded}, or joined with {@code --server}) over the WebSocket relay.
 * Not thread-safe: the headless run's thread uses it.
 */
abstract class RoomProvider implements AutoCloseable {
    /**
     * @param player the player as configured (its id is replaced by its network identity, if any)
     * @param index 0 for this process's first player
     * @return the player's room
     */
    abstract PianoRoom join(Player player, int index);

    /** @return a line describing the room, for the console */
    abstract String describe();

    /** @return how another player joins the same room, if it can be joined from elsewhere */
    java.util.Optional<String> joinHint() {
        return java.util.Optional.empty();
    }

    @Override
    public abstract void close();

    static RoomProvider of(PianoOptions options, Duration botDistanceStep, int players) {
        if (options.embedded() || options.server().isPresent()) {
            return new Network(options);
        }
        return new Local(botDistanceStep, players);
    }

    /** Players on one in-process hub, bots at simulated distances. */
    private static final class Local extends RoomProvider {
        private final LocalRoomHub hub = new LocalRoomHub("local");
        private final Duration step;
        private final int players;

        Local(Duration step, int players) {
            this.step = step;
            this.players = players;
        }

        @Override
        PianoRoom join(Player player, int index) {
            return hub.join(player, players > 1 ? step.multipliedBy(index + 1) : Duration.ZERO);
        }

        @Override
        String describe() {
            return "local room \"" + hub.name() + "\"";
        }

        @Override
        public void close() {
            hub.close();
        }
    }

    /** Players joining a signaling server's room, each with its own Ed25519 identity. */
    private static final class Network extends RoomProvider {
        private final SignalingServer embedded;
        private final URI server;
        private final String room;
        private final List<PianoRoom> joined = new ArrayList<>();

        Network(PianoOptions options) {
            this.room = options.room();
            if (options.embedded()) {
                try {
                    embedded = new SignalingServer(SignalingServerConfig.builder().host("127.0.0.1").port(0)
                            .metricsPort(SignalingServerConfig.METRICS_DISABLED).build()).start();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot start the embedded signaling server: " + e.getMessage(), e);
                }
                server = embedded.uri();
            } else {
                embedded = null;
                server = options.server().orElseThrow();
            }
        }

        @Override
        PianoRoom join(Player player, int index) {
            PeerIdentity identity = PeerIdentity.generate();
            String id = identity.peerId().toString();
            Player networked = new Player(id, player.name(), player.colorRgb(), player.instrument(), Transport.RELAY);
            WebSocketTransport relay = WebSocketTransport.create(
                    WebSocketTransportConfig.builder(server, room, identity).build());
            PianoRoom joinedRoom = NetworkPianoRoom.builder(PeerId.of(id), networked).transport(relay).join();
            joined.add(joinedRoom);
            return joinedRoom;
        }

        @Override
        String describe() {
            return "room \"" + room + "\" on " + server + (embedded != null ? " (embedded server)" : "");
        }

        @Override
        java.util.Optional<String> joinHint() {
            return java.util.Optional.of("another player joins with: java -jar demo-piano/target/demo-piano.jar"
                    + " --headless --server " + server + " --room " + room + " --bot melody");
        }

        @Override
        public void close() {
            for (PianoRoom each : joined) {
                try {
                    each.close();
                } catch (Exception e) {
                    System.err.println("warning: leaving the room failed: " + e.getMessage());
                }
            }
            if (embedded != null) {
                embedded.stop(Duration.ofSeconds(2));
            }
        }
    }
}
