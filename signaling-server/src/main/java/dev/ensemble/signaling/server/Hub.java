package dev.ensemble.signaling.server;

import dev.ensemble.signaling.cluster.LocalPeers;
import dev.ensemble.signaling.protocol.ClientMessage;
import dev.ensemble.signaling.protocol.ErrorCode;
import dev.ensemble.signaling.protocol.RelayFrame;
import dev.ensemble.signaling.protocol.ServerMessage;
import dev.ensemble.transport.IceServer;
import dev.ensemble.transport.OwnerThread;
import dev.ensemble.transport.PeerId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.java_websocket.framing.CloseFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The room thread: the one thread that owns all session and room state of the server.
 *
 * <p>WebSocket callbacks run concurrently on several library threads. They only decode, size-check and
 * rate-limit a frame, then hand the result to one of this class's entry points, which hand the work to
 * an {@link OwnerThread} named {@code signaling-rooms}. Everything the work touches (the connection set,
 * each {@link Connection}'s session fields, the {@link RoomDirectory} and the {@link Bus}) is therefore
 * used by one thread only, without locks, and every peer sees room events in one global order. A task
 * that fails is logged and the server keeps running.
 *
 * <p>In a cluster, the {@link RoomDirectory} and {@link Bus} reach the other nodes, and what they send
 * arrives through the {@link LocalPeers} methods, which the cluster calls on this room thread too. Room
 * events (joined, left) are announced here to this node's peers only; every other node announces them
 * to its own.
 */
final class Hub implements LocalPeers, RevocationIntake.Members {

    /** WebSocket close code for a connection replaced by a newer one with the same identity (private range). */
    static final int CLOSE_REPLACED = 4001;

    private static final Logger log = LoggerFactory.getLogger(Hub.class);

    private final SignalingServerConfig config;
    private final ServerMetrics metrics;
    private final RoomDirectory rooms;
    private final Bus bus;
    private final JoinTokens joinTokens;
    private final OwnerThread thread;
    private final RevocationIntake revocations;

    /** Room thread only: every open connection, authenticated or not. */
    private final Set<Connection> connections = new LinkedHashSet<>();
    /** Room thread only: set once shutdown began; new connections are turned away. */
    private boolean stopping;

    /** Written by the room thread, read by the metrics thread. */
    private volatile int peerGauge;

    private volatile int roomGauge;

    Hub(SignalingServerConfig config, ServerMetrics metrics, OwnerThread thread, RoomDirectory rooms, Bus bus) {
        this.config = config;
        this.metrics = metrics;
        this.rooms = rooms;
        this.bus = bus;
        this.joinTokens =
                config.joinTokenSecret() == null ? null : new JoinTokens(config.joinTokenSecret(), config.clock());
        this.thread = thread;
        this.revocations = new RevocationIntake(config.joinAuthorizer(), metrics, this);
    }

    int peerCount() {
        return peerGauge;
    }

    int roomCount() {
        return roomGauge;
    }

    // ---- entry points: any thread; each hands its work to the room thread ----

    void opened(Connection connection) {
        run(() -> onOpened(connection));
    }

    /** Any message but {@code hello}, which goes to {@link #hello}. */
    void message(Connection connection, ClientMessage message, long receivedNanos) {
        if (message instanceof ClientMessage.Hello) {
            throw new IllegalArgumentException("a hello goes to Hub.hello with its verified signature");
        }
        run(() -> onMessage(connection, message, receivedNanos, false));
    }

    /**
     * A {@code hello} whose signature the caller has checked against the connection's nonce: Ed25519
     * verification (the JDK's, about 2 ms) runs on the WebSocket threads, in parallel, rather than here.
     */
    void hello(Connection connection, ClientMessage.Hello hello, boolean signatureValid, long receivedNanos) {
        run(() -> onMessage(connection, hello, receivedNanos, signatureValid));
    }

    void relay(Connection connection, RelayFrame frame, byte[] raw, long receivedNanos) {
        run(() -> onRelay(connection, frame, raw, receivedNanos));
    }

    void rejected(Connection connection, ErrorCode code, String message, boolean close) {
        run(() -> {
            if (!connection.closing) {
                fail(connection, code, message, close || connection.peer == null, CloseFrame.POLICY_VALIDATION);
            }
        });
    }

    void closed(Connection connection, int code, String reason) {
        run(() -> onClosed(connection, code, reason));
    }

    /** Tells every client the server is going away and starts closing them; completes once all were told. */
    CompletableFuture<Void> shutDownClients() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        run(() -> {
            stopping = true;
            for (Connection connection : new ArrayList<>(connections)) {
                if (!connection.closing) {
                    fail(
                            connection,
                            ErrorCode.SHUTTING_DOWN,
                            "the server is shutting down; reconnect later",
                            true,
                            CloseFrame.GOING_AWAY);
                }
            }
            done.complete(null);
        });
        return done;
    }

    /**
     * A copy of the rooms and connections for the inspection namespace, made on the room thread (which
     * owns them) between two of its tasks; the caller waits on its own thread, never the server's.
     * Completes exceptionally if the room thread has stopped.
     */
    CompletableFuture<InspectionSnapshot> snapshot() {
        CompletableFuture<InspectionSnapshot> copy = new CompletableFuture<>();
        if (!thread.execute(() -> copy.complete(takeSnapshot()))) {
            copy.completeExceptionally(new IllegalStateException("the signaling server has stopped"));
        }
        return copy;
    }

    /** Takes no more work; what is queued (the closes of the last connections) still runs. */
    void stop() {
        thread.close();
    }

    private void run(Runnable work) {
        if (!thread.execute(work)) {
            log.debug("room thread is stopped; dropping late work");
        }
    }

    // ---- room thread ----

    private InspectionSnapshot takeSnapshot() {
        List<InspectionSnapshot.ConnectionView> views = new ArrayList<>();
        java.util.Map<String, List<InspectionSnapshot.PeerView>> local = new java.util.TreeMap<>();
        for (Connection connection : connections) {
            PeerId peer = connection.peer;
            views.add(new InspectionSnapshot.ConnectionView(
                    connection.id,
                    String.valueOf(connection.socket.getRemoteSocketAddress()),
                    peer == null ? null : peer.toString(),
                    List.copyOf(connection.rooms),
                    connection.openedAt,
                    connection.closing));
            for (String room : connection.rooms) {
                Connection.RoomStay stay = connection.stays.get(room);
                local.computeIfAbsent(room, r -> new ArrayList<>())
                        .add(new InspectionSnapshot.PeerView(
                                peer.toString(),
                                connection.id,
                                connection.openedAt,
                                stay == null ? null : stay.joinedAt,
                                stay == null ? 0 : stay.framesRelayed,
                                stay == null ? 0 : stay.bytesRelayed));
            }
        }
        List<InspectionSnapshot.RoomView> roomViews = new ArrayList<>();
        for (java.util.Map.Entry<String, List<InspectionSnapshot.PeerView>> entry : local.entrySet()) {
            String room = entry.getKey();
            List<String> elsewhere = new ArrayList<>();
            for (PeerId member : rooms.members(room)) {
                String did = member.toString();
                if (entry.getValue().stream().noneMatch(p -> p.identity().equals(did))) {
                    elsewhere.add(did); // a member connected to another node of the cluster
                }
            }
            boolean closed = config.joinAuthorizer() instanceof InviteJoinAuthorizer invites && invites.isClosed(room);
            roomViews.add(new InspectionSnapshot.RoomView(
                    room, closed, List.copyOf(entry.getValue()), List.copyOf(elsewhere)));
        }
        return new InspectionSnapshot(List.copyOf(roomViews), List.copyOf(views));
    }

    private void onOpened(Connection connection) {
        if (stopping) {
            fail(
                    connection,
                    ErrorCode.SHUTTING_DOWN,
                    "the server is shutting down; reconnect later",
                    true,
                    CloseFrame.GOING_AWAY);
            return;
        }
        connections.add(connection);
        connection.send(new ServerMessage.Challenge(connection.nonce));
        connection.handshakeTimer = thread.schedule(config.handshakeTimeout(), () -> {
            if (connection.peer == null && !connection.closing && connections.contains(connection)) {
                fail(
                        connection,
                        ErrorCode.HANDSHAKE_TIMEOUT,
                        "no valid hello within " + config.handshakeTimeout().toMillis() + " ms of connecting",
                        true,
                        CloseFrame.POLICY_VALIDATION);
            }
        });
        log.debug("{}: opened, challenge sent", connection.describe());
    }

    private void onMessage(Connection connection, ClientMessage message, long receivedNanos, boolean signatureValid) {
        if (connection.closing) {
            return;
        }
        if (connection.peer == null) {
            if (message instanceof ClientMessage.Hello hello) {
                onHello(connection, hello, signatureValid);
            } else {
                fail(
                        connection,
                        ErrorCode.UNAUTHORIZED,
                        message.type() + ": only hello is accepted before the "
                                + "handshake completes; answer the challenge first",
                        true,
                        CloseFrame.POLICY_VALIDATION);
            }
        } else if (message instanceof ClientMessage.Hello) {
            fail(
                    connection,
                    ErrorCode.BAD_REQUEST,
                    "hello: this connection is already verified as " + connection.peer
                            + "; open a new connection to use another identity",
                    false,
                    0);
        } else if (message instanceof ClientMessage.Join join) {
            onJoin(connection, join);
        } else if (message instanceof ClientMessage.Leave leave) {
            onLeave(connection, leave);
        } else if (message instanceof ClientMessage.Signal signal) {
            onSignal(connection, signal, receivedNanos);
        } else if (message instanceof ClientMessage.Revoke revoke) {
            revocations.received(connection, revoke);
        }
    }

    private void onHello(Connection connection, ClientMessage.Hello hello, boolean signatureValid) {
        PeerId peer = hello.peerId();
        if (!signatureValid) {
            fail(
                    connection,
                    ErrorCode.UNAUTHORIZED,
                    "hello: the signature does not verify for " + peer
                            + "; sign the UTF-8 bytes of 'ensemble-signaling:' + nonce with that peer's key",
                    true,
                    CloseFrame.POLICY_VALIDATION);
            return;
        }
        connection.handshakeTimer.cancel(false);
        Connection previous = bus.local(peer);
        if (previous != null) {
            replace(previous, connection.describe());
        }
        connection.peer = peer;
        bus.attach(peer, connection);
        peerGauge = bus.peerCount();
        connection.send(new ServerMessage.Welcome(peer, iceServers(peer), OptionalInt.of(config.maxFrameBytes())));
        log.info("{}: verified", connection.describe());
    }

    private void replace(Connection previous, String by) {
        PeerId peer = previous.peer;
        leaveAllRooms(previous);
        bus.detach(peer, previous);
        peerGauge = bus.peerCount();
        fail(
                previous,
                ErrorCode.REPLACED,
                "a newer connection of " + peer + " replaced this one",
                true,
                CLOSE_REPLACED);
        log.info("{}: replaced by {}", previous.describe(), by);
    }

    private List<IceServer> iceServers(PeerId peer) {
        List<IceServer> servers = new ArrayList<>(2);
        if (!config.stunUrls().isEmpty()) {
            servers.add(IceServer.of(config.stunUrls()));
        }
        if (!config.turnUrls().isEmpty()) {
            servers.add(
                    config.turnSecret() == null
                            ? new IceServer(config.turnUrls(), null, null)
                            : TurnCredentials.issue(
                                    config.turnUrls(),
                                    config.turnSecret(),
                                    peer,
                                    config.clock().instant().plus(config.turnCredentialTtl())));
        }
        return servers;
    }

    private void onJoin(Connection connection, ClientMessage.Join join) {
        String room = join.room();
        PeerId peer = connection.peer;
        if (connection.rooms.contains(room)) {
            connection.send(new ServerMessage.Joined(room, others(room, peer)));
            return;
        }
        if (joinTokens != null && !config.joinAuthorizer().checksTokenItself(room)) {
            try {
                joinTokens.verify(join.token(), room, peer);
            } catch (JoinTokens.InvalidTokenException e) {
                refuse(connection, ErrorCode.UNAUTHORIZED, room, null, "join: " + e.getMessage());
                return;
            }
        }
        JoinDecision decision;
        try {
            decision = config.joinAuthorizer().authorize(peer, room, join.token(), connection.nonce);
        } catch (RuntimeException e) {
            log.warn("{}: join authorizer failed for room {}; refusing the join", connection.describe(), room, e);
            decision = JoinDecision.deny("the server could not decide; try again later");
        }
        if (!decision.allowed()) {
            refuse(
                    connection,
                    ErrorCode.UNAUTHORIZED,
                    room,
                    null,
                    "join: not allowed into room '" + room + "': " + decision.reason());
            return;
        }
        if (connection.rooms.size() >= config.maxRoomsPerConnection()) {
            refuse(
                    connection,
                    ErrorCode.TOO_MANY_ROOMS,
                    room,
                    null,
                    "join: a connection may be in at most " + config.maxRoomsPerConnection()
                            + " rooms; leave one before joining '" + room + "'");
            return;
        }
        // In a cluster, the room's members on other nodes may have to be read first.
        rooms.prepare(room, () -> completeJoin(connection, room, join.token(), false));
    }

    private void completeJoin(Connection connection, String room, String token, boolean refreshed) {
        PeerId peer = connection.peer;
        if (connection.closing || bus.local(peer) != connection) {
            return;
        }
        if (connection.rooms.contains(room)) {
            connection.send(new ServerMessage.Joined(room, others(room, peer)));
            return;
        }
        if (rooms.members(room).size() >= config.maxPeersPerRoom()) {
            if (!refreshed) {
                rooms.refresh(room, () -> completeJoin(connection, room, token, true));
                return;
            }
            refuse(
                    connection,
                    ErrorCode.ROOM_FULL,
                    room,
                    null,
                    "join: room '" + room + "' already has the maximum of " + config.maxPeersPerRoom() + " peers");
            return;
        }
        List<PeerId> others = others(room, peer);
        rooms.add(room, peer);
        connection.rooms.add(room);
        connection.stays.put(room, new Connection.RoomStay(config.clock().instant(), token));
        roomGauge = rooms.roomCount();
        connection.send(new ServerMessage.Joined(room, others));
        announce(room, peer, new ServerMessage.PeerJoined(room, peer));
        log.debug("{}: joined room {} ({} others)", connection.describe(), room, others.size());
    }

    /** Sends a room event to this node's members of {@code room}, except {@code about}. */
    private void announce(String room, PeerId about, ServerMessage event) {
        for (PeerId member : rooms.members(room)) {
            Connection local = member.equals(about) ? null : bus.local(member);
            if (local != null) {
                local.send(event);
            }
        }
    }

    private List<PeerId> others(String room, PeerId self) {
        List<PeerId> others = new ArrayList<>(rooms.members(room));
        others.remove(self);
        return others;
    }

    private void onLeave(Connection connection, ClientMessage.Leave leave) {
        if (!connection.rooms.contains(leave.room())) {
            refuse(
                    connection,
                    ErrorCode.NOT_IN_ROOM,
                    leave.room(),
                    null,
                    "leave: you are not in room '" + leave.room() + "'");
            return;
        }
        leaveRoom(connection, leave.room());
        connection.rooms.remove(leave.room());
        connection.stays.remove(leave.room());
        connection.send(new ServerMessage.Left(leave.room()));
    }

    private void leaveRoom(Connection connection, String room) {
        PeerId peer = connection.peer;
        boolean wasMember = rooms.remove(room, peer);
        roomGauge = rooms.roomCount();
        if (wasMember) {
            // Otherwise a newer connection of the peer on another node has already taken its place.
            announce(room, peer, new ServerMessage.PeerLeft(room, peer));
        }
        log.debug("{}: left room {}", connection.describe(), room);
    }

    // ---- for the revocation intake, on the room thread ----

    @Override
    public List<Connection> local(String room) {
        List<Connection> members = new ArrayList<>();
        for (Connection connection : connections) {
            if (!connection.closing && connection.rooms.contains(room)) {
                members.add(connection);
            }
        }
        return members;
    }

    /** As if {@code member} had left, then tells it why; its connection stays open. */
    @Override
    public void evict(Connection member, String room, String reason) {
        leaveRoom(member, room);
        member.rooms.remove(room);
        member.stays.remove(room);
        refuse(
                member,
                ErrorCode.UNAUTHORIZED,
                room,
                member.peer,
                "room '" + room + "': the server removed you from the room: " + reason);
    }

    private void leaveAllRooms(Connection connection) {
        for (String room : connection.rooms) {
            leaveRoom(connection, room);
        }
        connection.rooms.clear();
        connection.stays.clear();
    }

    private void onSignal(Connection connection, ClientMessage.Signal signal, long receivedNanos) {
        if (checkAddress(connection, "signal", signal.room(), signal.to())) {
            bus.deliver(signal.to(), new ServerMessage.RelayedSignal(signal.room(), connection.peer, signal.data()));
            metrics.relayLatency(System.nanoTime() - receivedNanos);
        }
    }

    private void onRelay(Connection connection, RelayFrame frame, byte[] raw, long receivedNanos) {
        if (connection.closing) {
            return;
        }
        if (connection.peer == null) {
            fail(
                    connection,
                    ErrorCode.UNAUTHORIZED,
                    "relay frame: only hello is accepted before the handshake "
                            + "completes; answer the challenge first",
                    true,
                    CloseFrame.POLICY_VALIDATION);
            return;
        }
        if (!frame.from().equals(connection.peer)) {
            fail(
                    connection,
                    ErrorCode.BAD_REQUEST,
                    "relay frame: 'from' must be your own key (" + connection.peer + ") but is " + frame.from(),
                    false,
                    0);
            return;
        }
        if (checkAddress(connection, "relay frame", frame.room(), frame.to())) {
            bus.deliver(frame.to(), raw);
            Connection.RoomStay stay = connection.stays.get(frame.room());
            if (stay != null) {
                stay.framesRelayed++;
                stay.bytesRelayed += raw.length;
            }
            metrics.relayLatency(System.nanoTime() - receivedNanos);
        }
    }

    /** The rule "a peer may address only peers that share a room with it"; sends the error if broken. */
    private boolean checkAddress(Connection connection, String what, String room, PeerId to) {
        if (!connection.rooms.contains(room)) {
            refuse(
                    connection,
                    ErrorCode.NOT_IN_ROOM,
                    room,
                    null,
                    what + ": you are not in room '" + room + "'; join it first");
            return false;
        }
        if (to.equals(connection.peer) || !rooms.members(room).contains(to)) {
            refuse(
                    connection,
                    ErrorCode.UNKNOWN_PEER,
                    room,
                    to,
                    what + ": peer " + to + " is not in room '" + room + "'");
            return false;
        }
        return true;
    }

    private void onClosed(Connection connection, int code, String reason) {
        connections.remove(connection);
        connection.closing = true;
        if (connection.handshakeTimer != null) {
            connection.handshakeTimer.cancel(false);
        }
        PeerId peer = connection.peer;
        if (peer != null && bus.local(peer) == connection) {
            leaveAllRooms(connection);
            bus.detach(peer, connection);
            peerGauge = bus.peerCount();
        }
        log.info(
                "{}: closed (code {}{})",
                connection.describe(),
                code,
                reason == null || reason.isEmpty() ? "" : ", " + reason);
    }

    // ---- from other nodes of a cluster, on the room thread ----

    @Override
    public void remoteJoined(String room, PeerId peer) {
        announce(room, peer, new ServerMessage.PeerJoined(room, peer));
        roomGauge = rooms.roomCount();
    }

    @Override
    public void remoteLeft(String room, PeerId peer) {
        announce(room, peer, new ServerMessage.PeerLeft(room, peer));
        roomGauge = rooms.roomCount();
    }

    @Override
    public void deliverSignal(PeerId to, String json) {
        Connection connection = bus.local(to);
        if (connection != null && !connection.closing) {
            connection.sendEncoded(json, "signal");
        }
    }

    @Override
    public void deliverFrame(PeerId to, byte[] frame) {
        Connection connection = bus.local(to);
        if (connection != null && !connection.closing) {
            connection.sendRelay(frame);
        }
    }

    @Override
    public void replacedElsewhere(PeerId peer) {
        Connection previous = bus.local(peer);
        if (previous != null && !previous.closing) {
            replace(previous, "a connection on another node");
        }
    }

    /** Sends an error, counts and logs it, and closes the connection if {@code close}. */
    private void fail(Connection connection, ErrorCode code, String message, boolean close, int closeCode) {
        send(connection, ServerMessage.Error.of(code, message), close, closeCode);
    }

    /**
     * Refuses what a client asked about a room, keeping the connection: the error names the room and, if
     * not null, the peer, so that the client can act on them without reading the message.
     */
    @Override
    public void refuse(Connection connection, ErrorCode code, String room, PeerId peer, String message) {
        send(connection, ServerMessage.Error.of(code, message, room, peer), false, 0);
    }

    private void send(Connection connection, ServerMessage.Error error, boolean close, int closeCode) {
        thread.checkOwnerThread("Hub.send(error)");
        metrics.error(error.code());
        log.info("{}: {} {}{}", connection.describe(), error.code(), error.message(), close ? " (closing)" : "");
        connection.send(error);
        if (close) {
            connection.closing = true;
            connection.close(closeCode, error.code());
        }
    }
}
