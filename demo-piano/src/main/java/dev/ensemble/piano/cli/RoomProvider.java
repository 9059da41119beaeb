package dev.ensemble.piano.cli;

import dev.ensemble.piano.model.Player;
import dev.ensemble.piano.model.TransportKind;
import dev.ensemble.piano.room.LocalRoomHub;
import dev.ensemble.piano.room.NetworkPianoRoom;
import dev.ensemble.piano.room.PianoRoom;
import dev.ensemble.signaling.server.SignalingServer;
import dev.ensemble.signaling.server.SignalingServerConfig;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.secure.SecureTransport;
import dev.ensemble.transport.webrtc.WebRtcConfig;
import dev.ensemble.transport.webrtc.WebRtcTransport;
import dev.ensemble.transport.webrtc.WebRtcUnavailableException;
import dev.ensemble.transport.ws.WebSocketTransport;
import dev.ensemble.transport.ws.WebSocketTransportConfig;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where this process's players join: an in-process room (headless runs without a server), or a
 * room on a signaling server (started here, or given with {@code --server}) over the network.
 * Not thread-safe: the thread that starts the run uses it.
 */
abstract class RoomProvider implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RoomProvider.class);
    /** One warning per process when WebRTC's natives cannot load, however many players join. */
    private static final AtomicBoolean WEBRTC_WARNED = new AtomicBoolean();
    /** How long a player waits to get into a network room before giving up. */
    static final Duration JOIN_TIMEOUT = Duration.ofSeconds(10);

    /**
     * @param player the player as configured (its id and colour are replaced by its network identity's, if any)
     * @param index 0 for this process's first player
     * @return the player's room, joined
     * @throws RoomUnavailableException if the room cannot be joined (server unreachable, room full, ...)
     * @throws InterruptedException if interrupted while joining
     */
    abstract PianoRoom join(Player player, int index) throws RoomUnavailableException, InterruptedException;

    /** @return a line describing the room, for the console */
    abstract String describe();

    /**
     * @param headless whether the hint is for a headless run (it then suggests a bot)
     * @return how another player joins the same room, if it can be joined from elsewhere
     */
    Optional<String> joinHint(boolean headless) {
        return Optional.empty();
    }

    @Override
    public abstract void close();

    /**
     * @param options the command line
     * @param botDistanceStep the simulated distance step of a local room's bots
     * @param players how many players this process will join
     * @return the provider the options ask for
     * @throws RoomUnavailableException if the embedded signaling server cannot start
     */
    static RoomProvider of(PianoOptions options, Duration botDistanceStep, int players)
            throws RoomUnavailableException {
        if (options.embedded() || options.server().isPresent()) {
            return new Network(options);
        }
        return new Local(botDistanceStep, players);
    }

    /**
     * The transports of one player in a network room, best first. This is the one place that
     * decides them: a WebRTC data channel to each peer, negotiated through the signaling server,
     * while it is open; the WebSocket relay (watched, so that a failed join is reported, and sealed end
     * to end so that the server reads none of it: docs/SECURITY.md) otherwise.
     * Where WebRTC's natives cannot load, the relay alone, with a warning that says what to install.
     *
     * @param relay the player's relay to the room, not started
     * @param watch the watch wrapping {@code relay}
     * @param webrtc whether to try WebRTC at all ({@code --relay-only} turns it off)
     * @return the transports to give the room, in order of preference
     */
    static List<Transport> transports(WebSocketTransport relay, JoinWatch watch, boolean webrtc) {
        Transport sealed = SecureTransport.wrap(
                watch, relay.config().identity(), relay.config().room());
        if (!webrtc) {
            return List.of(sealed);
        }
        try {
            return List.of(WebRtcTransport.overRelay(relay, WebRtcConfig.defaults()), sealed);
        } catch (WebRtcUnavailableException e) {
            if (WEBRTC_WARNED.compareAndSet(false, true)) {
                LOG.warn("playing over the signaling server's relay only: {}", e.getMessage());
            }
            return List.of(sealed);
        }
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
        private final boolean webrtc;
        private final List<PianoRoom> joined = new ArrayList<>();

        Network(PianoOptions options) throws RoomUnavailableException {
            this.room = options.room();
            this.webrtc = !options.relayOnly();
            if (options.embedded()) {
                try {
                    embedded = new SignalingServer(SignalingServerConfig.builder()
                                    .host("127.0.0.1")
                                    .port(options.port())
                                    .metricsPort(SignalingServerConfig.METRICS_DISABLED)
                                    // The room needs signaling only; an automerge-repo endpoint would just log
                                    // that it keeps documents in memory.
                                    .automergeRepo(null)
                                    .build())
                            .start();
                } catch (IOException e) {
                    throw new RoomUnavailableException("cannot start the embedded signaling server: " + e.getMessage());
                }
                server = embedded.uri();
            } else {
                embedded = null;
                server = options.server().orElseThrow();
            }
        }

        @Override
        PianoRoom join(Player player, int index) throws RoomUnavailableException, InterruptedException {
            PeerIdentity identity = PeerIdentity.generate();
            String id = identity.peerId().toString();
            // One process's players get neighbouring colours; players of different processes, one picked by their id.
            int colour = Player.paletteColor(id.hashCode() + index);
            Player networked = new Player(id, player.name(), colour, player.instrument(), TransportKind.RELAY);
            WebSocketTransport relay = WebSocketTransport.create(
                    WebSocketTransportConfig.builder(server, room, identity).build());
            JoinWatch watch = new JoinWatch(relay);
            PianoRoom joinedRoom = NetworkPianoRoom.builder(identity.peerId(), networked)
                    .transports(transports(relay, watch, webrtc))
                    .join();
            try {
                watch.awaitInRoom(JOIN_TIMEOUT);
            } catch (RoomUnavailableException e) {
                joinedRoom.close();
                throw new RoomUnavailableException(
                        "cannot join room \"" + room + "\" on " + server + ": " + e.getMessage());
            } catch (InterruptedException e) {
                joinedRoom.close();
                throw e;
            }
            joined.add(joinedRoom);
            return joinedRoom;
        }

        @Override
        String describe() {
            return "room \"" + room + "\" on " + server + (embedded != null ? " (embedded server)" : "");
        }

        @Override
        Optional<String> joinHint(boolean headless) {
            return Optional.of("another player joins with: java -jar demo-piano/target/demo-piano.jar"
                    + (headless ? " --headless" : "") + " --server " + server + " --room " + room
                    + (headless ? " --bot melody" : ""));
        }

        @Override
        public void close() {
            for (PianoRoom each : joined) {
                try {
                    each.close();
                } catch (RuntimeException e) {
                    System.err.println("warning: leaving the room failed: " + e.getMessage());
                }
            }
            if (embedded != null) {
                embedded.stop(Duration.ofSeconds(2));
            }
        }
    }
}
