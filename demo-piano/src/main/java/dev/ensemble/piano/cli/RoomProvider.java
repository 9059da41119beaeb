package dev.ensemble.piano.cli;

import dev.ensemble.piano.model.Player;
import dev.ensemble.piano.model.TransportKind;
import dev.ensemble.piano.room.LocalRoomHub;
import dev.ensemble.piano.room.NetworkPianoRoom;
import dev.ensemble.piano.room.PianoRoom;
import dev.ensemble.signaling.server.InviteJoinAuthorizer;
import dev.ensemble.signaling.server.JoinAuthorizer;
import dev.ensemble.signaling.server.SignalingServer;
import dev.ensemble.signaling.server.SignalingServerConfig;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.membership.ClosedRoom;
import dev.ensemble.transport.membership.HeldInvite;
import dev.ensemble.transport.membership.InviteException;
import dev.ensemble.transport.membership.MembershipTransport;
import dev.ensemble.transport.secure.SecureTransport;
import dev.ensemble.transport.webrtc.WebRtcConfig;
import dev.ensemble.transport.webrtc.WebRtcTransport;
import dev.ensemble.transport.webrtc.WebRtcUnavailableException;
import dev.ensemble.transport.ws.WebSocketTransport;
import dev.ensemble.transport.ws.WebSocketTransportConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        return transports(relay, watch, webrtc, null);
    }

    /**
     * As {@link #transports(WebSocketTransport, JoinWatch, boolean)}, and in a closed room each transport
     * admits only members ({@link MembershipTransport} on top of each: docs/SECURITY.md, "Closed rooms").
     *
     * @param membership the player's closed room and invite, or {@code null} for an open room
     */
    static List<Transport> transports(
            WebSocketTransport relay, JoinWatch watch, boolean webrtc, Membership membership) {
        Transport sealed = SecureTransport.wrap(
                watch, relay.config().identity(), relay.config().room());
        List<Transport> chosen = List.of(sealed);
        if (webrtc) {
            try {
                chosen = List.of(WebRtcTransport.overRelay(relay, WebRtcConfig.defaults()), sealed);
            } catch (WebRtcUnavailableException e) {
                if (WEBRTC_WARNED.compareAndSet(false, true)) {
                    LOG.warn("playing over the signaling server's relay only: {}", e.getMessage());
                }
            }
        }
        if (membership == null) {
            return chosen;
        }
        PeerId self = relay.config().identity().peerId();
        return chosen.stream()
                .map(t -> (Transport) MembershipTransport.wrap(t, membership.room(), self, membership.invite()))
                .toList();
    }

    /**
     * One player's standing in a closed room: the room as this player knows it (its revocations are shared
     * by the player's transports) and the invite it holds (the owner's holds the empty chain).
     */
    record Membership(ClosedRoom room, HeldInvite invite) {}

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
        /** The owner's identity when this process creates a closed room ({@code --invite-out}), else null. */
        private final PeerIdentity owner;
        /** The invite others (and this process's other players) join with; null in an open room. */
        private final HeldInvite invite;

        private final PeerId roomOwner;
        private final Path inviteOut;

        Network(PianoOptions options) throws RoomUnavailableException {
            this.room = options.room();
            this.webrtc = !options.relayOnly();
            this.inviteOut = options.inviteOut().orElse(null);
            if (inviteOut != null) {
                owner = PeerIdentity.generate();
                Instant now = Instant.now();
                // A bearer invite: the owner cannot know the keys of players who have not started yet. Its file
                // holds a one-time key too, with which each player proves it holds the file (docs/SECURITY.md).
                invite = HeldInvite.issueBearer(owner, room, false, now, now.plus(PianoOptions.INVITE_VALIDITY));
                roomOwner = owner.peerId();
            } else {
                owner = null;
                invite = options.invite().orElse(null);
                roomOwner =
                        invite == null ? null : invite.chain().invites().get(0).issuer();
            }
            if (options.embedded()) {
                JoinAuthorizer authorizer = JoinAuthorizer.ALLOW_ALL;
                if (roomOwner != null) {
                    // The embedded server keeps strangers out of the closed room at the door too.
                    authorizer = new InviteJoinAuthorizer(Map.of(room, closedRoom()), JoinAuthorizer.ALLOW_ALL);
                }
                try {
                    embedded = new SignalingServer(SignalingServerConfig.loopback()
                                    .port(options.port())
                                    // The room needs signaling only; an automerge-repo endpoint would just log
                                    // that it keeps documents in memory.
                                    .automergeRepo(null)
                                    .joinAuthorizer(authorizer)
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
            if (inviteOut != null) {
                // Written once the server listens, so that whoever waits for the file can join at once.
                try {
                    // Whole and owner-only from the start: whoever reads it can join the room.
                    invite.writeTo(inviteOut);
                } catch (IOException e) {
                    if (embedded != null) {
                        embedded.stop(Duration.ofSeconds(1));
                    }
                    throw new RoomUnavailableException(
                            "cannot write the invite to " + inviteOut + ": " + e.getMessage());
                }
            }
        }

        private ClosedRoom closedRoom() throws RoomUnavailableException {
            try {
                return ClosedRoom.builder(room, roomOwner).build();
            } catch (IOException e) {
                throw new RoomUnavailableException("cannot set up closed room " + room + ": " + e.getMessage());
            }
        }

        @Override
        PianoRoom join(Player player, int index) throws RoomUnavailableException, InterruptedException {
            boolean owns = owner != null && index == 0;
            PeerIdentity identity = owns ? owner : PeerIdentity.generate();
            Membership membership = null;
            if (roomOwner != null) {
                HeldInvite held = owns ? HeldInvite.owner() : invite;
                membership = new Membership(closedRoom(), held);
                try {
                    // Checked here so that an expired or foreign invite is named before anything connects.
                    membership.room().admit(identity.peerId(), held);
                } catch (InviteException e) {
                    throw new RoomUnavailableException("cannot join closed room \"" + room + "\": " + e.getMessage());
                }
            }
            String id = identity.peerId().toString();
            // One process's players get neighbouring colours; players of different processes, one picked by their id.
            int colour = Player.paletteColor(id.hashCode() + index);
            Player networked = new Player(id, player.name(), colour, player.instrument(), TransportKind.RELAY);
            HeldInvite presented = membership == null ? null : membership.invite();
            WebSocketTransport relay =
                    WebSocketTransport.create(WebSocketTransportConfig.builder(server, room, identity)
                            // A bearer invite proves its key to the server on each connection, bound to its challenge.
                            .joinTokenFromNonce(
                                    presented == null || presented.chain().isEmpty()
                                            ? null
                                            : nonce -> presented.joinToken(identity.peerId(), nonce))
                            .build());
            JoinWatch watch = new JoinWatch(relay);
            NetworkPianoRoom.Builder builder = NetworkPianoRoom.builder(identity.peerId(), networked)
                    .transports(transports(relay, watch, webrtc, membership));
            if (membership != null) {
                // Every revocation this player learns (its owner's own, or gossiped) goes to the server too, which
                // then removes the revoked member from the room there, if it checks the room's invites.
                membership.room().addRevocationListener(relay::passOnRevocation);
                builder.closedRoom(membership.room());
                if (owns) {
                    // The owner may revoke members of the running room: NetworkPianoRoom.revoke, which the shell
                    // reaches as send /players/NAME/piano/members revoke '"did:key:..."'.
                    builder.owner(identity);
                }
            }
            PianoRoom joinedRoom = builder.join();
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
            return (roomOwner == null ? "room \"" : "closed room \"") + room + "\" on " + server
                    + (embedded != null ? " (embedded server)" : "");
        }

        @Override
        Optional<String> joinHint(boolean headless) {
            String where = inviteOut != null
                    ? " --invite " + inviteOut
                    : invite != null ? " --invite FILE (an invite into room " + room + ")" : " --room " + room;
            String serverCheck = inviteOut != null && embedded == null
                    ? System.lineSeparator() + "(for " + server
                            + " to turn strangers away at the door as well, start it" + " with --closed-rooms " + room
                            + "=" + roomOwner + ")"
                    : "";
            return Optional.of("another player joins with: java -jar demo-piano/target/demo-piano.jar"
                    + (headless ? " --headless" : "") + " --server " + server + where
                    + (headless ? " --bot melody" : "") + serverCheck);
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
