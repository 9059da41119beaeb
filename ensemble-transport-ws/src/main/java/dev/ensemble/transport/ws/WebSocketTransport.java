package dev.ensemble.transport.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ensemble.signaling.protocol.ClientMessage;
import dev.ensemble.signaling.protocol.ErrorCode;
import dev.ensemble.signaling.protocol.Handshake;
import dev.ensemble.signaling.protocol.MalformedMessageException;
import dev.ensemble.signaling.protocol.RelayFrame;
import dev.ensemble.signaling.protocol.ServerMessage;
import dev.ensemble.signaling.protocol.SignalingCodec;
import dev.ensemble.transport.Backoff;
import dev.ensemble.transport.IceServer;
import dev.ensemble.transport.OwnerThread;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.TransportException;
import dev.ensemble.transport.TransportException.Reason;
import dev.ensemble.transport.TransportListener;
import dev.ensemble.transport.membership.Revocation;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.CloseFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket transport: reaches the other peers of one room through the Ensemble signaling
 * server (see {@code docs/PROTOCOL.md}). It proves this peer's identity, joins the room, reports
 * the room's members as connected peers, relays data to them in binary relay frames, relays
 * WebRTC signals for the WebRTC transport, and reconnects on its own when the connection drops.
 *
 * <pre>{@code
 * WebSocketTransport transport = WebSocketTransport.create(
 *     WebSocketTransportConfig.builder(URI.create("ws://127.0.0.1:8787/"), "piano-lobby", identity).build());
 * transport.signalListener(webRtcSignals);          // optional, for WebRTC negotiation
 * PeerMessagingSettings settings = PeerMessagingSettings.builder().transport(transport).build();
 * }</pre>
 *
 * <h2>Lifecycle</h2>
 *
 * <pre>
 *   NEW ──start──► connecting ──challenge/hello──► welcome ──join──► in the room
 *                      ▲                                                │
 *                      └──── backoff (exponential, jitter) ◄── connection lost or attempt failed
 *   any ──close()──► CLOSED
 * </pre>
 *
 * While in the room, every other member is a connected peer ({@code onPeerConnected}); members
 * that leave, or all of them when the connection drops, are reported with {@code
 * onPeerDisconnected}. After a drop the transport reconnects with the same identity after the
 * backoff of {@link WebSocketTransportConfig}, joins the room again and reports its members again,
 * so that the sync engine above resumes with each of them. The one exception: when the server
 * reports that another connection with the same identity {@code replaced} this one, the transport
 * does not reconnect (two processes sharing an identity would otherwise take turns forever); it
 * reports that as an error and stays out of the room until closed. When the server removes this peer from
 * the room (it learned a revocation of a closed room that shuts this peer out: an {@code unauthorized} error
 * naming the room and this peer), the transport reports that error, reports every member disconnected and
 * tries again after the backoff, as after a refused join. Every error the server sends, every
 * close of the connection with its code and reason, and every bad frame received is reported to
 * {@link TransportListener#onError} as a {@link TransportException}; the transport keeps running.
 *
 * <h2>Closed rooms: passing revocations on</h2>
 *
 * In a closed room (see {@code docs/SECURITY.md}) the members learn the owner's revocations and gossip them to
 * each other; {@link #passOnRevocation} hands each one to the signaling server, so that the server, too,
 * keeps the revoked member or invite out and removes from the room whoever it now refuses. Wire it to the
 * room's {@code ClosedRoom}, which calls its listeners with every new revocation, from the owner or by gossip:
 *
 * <pre>{@code
 * ClosedRoom closedRoom = ClosedRoom.builder("jam", owner).build();
 * WebSocketTransport relay = WebSocketTransport.create(config);
 * Transport members = MembershipTransport.wrap(relay, closedRoom, identity.peerId(), invite);
 * closedRoom.addRevocationListener(relay::passOnRevocation);
 * }</pre>
 *
 * <h2>Peer ids</h2>
 *
 * A peer's {@link PeerId} is its {@code did:key} text, exactly as the signaling server names it.
 *
 * <h2>Send queue</h2>
 *
 * {@link #send} and {@link #sendSignal} put the message on a queue bounded by {@link
 * WebSocketTransportConfig#sendQueueCapacity()} and return at once; the transport's thread hands
 * queued messages to the socket in order. When the queue is full, the peer is not in the room, the
 * transport is not connected or is closed, they return {@code false} and send nothing. Messages
 * queued when the connection drops are dropped. A message whose relay frame would be larger than
 * the frame limit the server announced in its {@code welcome} is dropped before it is sent and
 * reported as {@code TOO_LARGE} (a server drops such a frame anyway, and one four times too large
 * costs the connection); when the configured {@link WebSocketTransportConfig#maxMessageSize()}
 * does not fit that limit, the transport says so once per connection.
 *
 * <h2>Threading</h2>
 *
 * One {@link OwnerThread} ({@code ensemble-ws-<peer>}) holds all of the transport's connection
 * state: Java-WebSocket's callbacks only hand their event to it, and timers (backoff, connect
 * timeout) run on it; a bug in one of its tasks is logged and reported as {@code INTERNAL_ERROR}.
 * Listener callbacks ({@link TransportListener}, {@link SignalListener}) run on that thread, in
 * order, never overlapping. {@link #send}, {@link #sendSignal}, {@link #queueSize}, {@link
 * #signalListener}, {@link #iceServers}, {@link #isInRoom}, {@link #passOnRevocation} and {@link #close} are
 * thread-safe and
 * never block on the network; {@code close} waits (up to a few seconds) for a callback in progress
 * to return.
 */
public final class WebSocketTransport implements Transport {

    /** The name this transport reports: {@value}. */
    public static final String NAME = "websocket";

    /** The largest frame accepted from the server, so that a broken server cannot exhaust memory. */
    static final int MAX_INCOMING_FRAME_BYTES = 16 * 1024 * 1024;

    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(WebSocketTransport.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private enum Lifecycle {
        NEW,
        STARTED,
        CLOSED
    }

    private enum Phase {
        WAITING,
        CONNECTING,
        HANDSHAKING,
        JOINING,
        IN_ROOM
    }

    private final WebSocketTransportConfig config;
    private final PeerIdentity identity;
    private final PeerId self;
    private final Backoff backoff;
    private final OwnerThread owner;
    private final String context;

    // Read from any thread; written only by the owner thread.
    private final Set<PeerId> members = ConcurrentHashMap.newKeySet();
    // Updated by senders (increment) and the owner thread (decrement); the owner thread removes the
    // counter of a peer that leaves, so the map holds only members (a late decrement of a removed
    // counter is harmless: its messages are dropped anyway).
    private final Map<PeerId, AtomicInteger> queuedBytes = new ConcurrentHashMap<>();
    private final AtomicInteger queuedMessages = new AtomicInteger();
    private final AtomicReference<Lifecycle> lifecycle = new AtomicReference<>(Lifecycle.NEW);
    private volatile SignalListener signals = SignalListener.NONE;
    private volatile List<IceServer> iceServers = List.of();
    private volatile boolean inRoom;

    // Owned by the owner thread.
    private TransportListener listener = TransportListener.NONE;
    // Owned by the owner thread: the members told to the signal listener; unlike {@code members} it
    // outlives a drop of the connection to the server (see SignalListener, "Members are not connections").
    private final Set<PeerId> announced = new HashSet<>();
    private WsClient client;
    private Phase phase = Phase.WAITING;
    /** The nonce of the current connection's challenge: a join token may have to prove something about it. */
    private String challengeNonce;

    private int attempts;
    private int failures;
    private Future<?> timer;
    private boolean replaced;
    // Owned by the owner thread: the frame limit the server announced in its last welcome; 0 if none.
    private int serverFrameLimit;

    private WebSocketTransport(WebSocketTransportConfig config) {
        this.config = config;
        this.identity = config.identity();
        this.self = identity.peerId();
        this.backoff = config.backoff();
        this.context = "room " + config.room() + " peer " + self.shortForm();
        // A bug in a task is logged by the owner thread and reported here; the transport keeps running.
        this.owner = OwnerThread.start(
                "ensemble-ws-" + self.shortForm(),
                bug -> report(Reason.INTERNAL_ERROR, null, "internal error in the WebSocket transport: " + bug, bug));
    }

    /**
     * Creates a transport; nothing connects until {@link #start}.
     *
     * @param config the server, room, identity and limits
     * @return a new transport
     */
    public static WebSocketTransport create(WebSocketTransportConfig config) {
        return new WebSocketTransport(Objects.requireNonNull(config, "config"));
    }

    /**
     * Returns {@value #NAME}. Thread-safe.
     *
     * @return the name
     */
    @Override
    public String name() {
        return NAME;
    }

    /**
     * Returns {@link WebSocketTransportConfig#maxMessageSize()}. Thread-safe.
     *
     * @return the largest payload accepted by {@link #send}
     */
    @Override
    public int maxMessageSize() {
        return config.maxMessageSize();
    }

    /**
     * Returns this peer's id, the {@code did:key} of the configured identity. Thread-safe.
     *
     * @return this peer's id
     */
    public PeerId self() {
        return self;
    }

    /**
     * Returns the configuration. Thread-safe.
     *
     * @return the configuration this transport was created with
     */
    public WebSocketTransportConfig config() {
        return config;
    }

    /**
     * Returns the ICE servers (STUN, TURN with credentials for this peer) from the server's last
     * {@code welcome}, for the WebRTC transport; empty before the first welcome or when the server
     * has none. Thread-safe.
     *
     * @return the ICE servers
     */
    public List<IceServer> iceServers() {
        return iceServers;
    }

    /**
     * Returns whether the transport is currently in its room (connected, verified and joined).
     * Thread-safe.
     *
     * @return whether the transport is in its room
     */
    public boolean isInRoom() {
        return inRoom;
    }

    /**
     * Sets the listener for WebRTC signals from other peers, replacing the previous one; signals that
     * arrive while none is set are dropped. Set it before {@link #start} so that none is missed.
     * Thread-safe.
     *
     * @param listener the listener, or {@link SignalListener#NONE}
     */
    public void signalListener(SignalListener listener) {
        this.signals = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public void start(TransportListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (!lifecycle.compareAndSet(Lifecycle.NEW, Lifecycle.STARTED)) {
            throw new IllegalStateException(
                    "a WebSocketTransport can be started once; this one is " + lifecycle.get() + " (" + context + ")");
        }
        enqueue(() -> {
            this.listener = listener;
            connect();
        });
    }

    @Override
    public boolean send(PeerId to, byte[] message) {
        if (to == null || message == null || message.length > config.maxMessageSize()) {
            return false;
        }
        if (!members.contains(to) || lifecycle.get() != Lifecycle.STARTED) {
            return false;
        }
        return offer(to, message.length, () -> transmitData(to, message));
    }

    /**
     * Sends a WebRTC signal (an SDP offer or answer, an ICE candidate, ...) to a peer of the room
     * through the server, which delivers it to that peer's {@link SignalListener}. Queued like
     * {@link #send}: returns {@code false} and sends nothing when the peer is not in the room, the
     * transport is not connected or is closed, or the send queue is full. Thread-safe, never blocks.
     *
     * @param to a peer of the room
     * @param data a JSON object as text, e.g. {@code {"type":"offer","sdp":"v=0..."}}; the server
     *     does not look inside it
     * @return whether the signal was queued
     * @throws IllegalArgumentException if {@code data} is not the text of a JSON object
     */
    public boolean sendSignal(PeerId to, String data) {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(data, "data");
        JsonNode node;
        try {
            node = JSON.readTree(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "signal data must be the text of a JSON object but is not" + " JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(
                    "signal data must be a JSON object but is " + (node == null ? "empty" : node.getNodeType()));
        }
        if (!members.contains(to) || lifecycle.get() != Lifecycle.STARTED) {
            return false;
        }
        return offer(to, data.length(), () -> transmitSignal(to, node));
    }

    /**
     * Passes a revocation of this transport's room on to the signaling server (a {@code revoke} message), so
     * that the server keeps the revoked member or invite out of the room and removes from it the members it
     * now refuses; see "Closed rooms" above for the wiring. The server answers nothing when it takes the
     * revocation, knew it already or does not check the room; when it refuses it (not signed by the room's
     * owner, forged, ...) its error reaches {@link TransportListener#onError} like any other server error
     * ({@code UNAUTHORIZED}, or {@code PROTOCOL_ERROR} for one it cannot read), and this peer stays in the room.
     *
     * <p>Queued like {@link #sendSignal}: returns {@code false} and sends nothing when the transport is not in
     * the room (not yet joined, reconnecting, closed) or the send queue is full. Such a revocation is not kept
     * for later: the room's {@code ClosedRoom.revocations()} holds every one, to pass on again once {@link
     * #isInRoom()}. Thread-safe, never blocks, so it may be called from a {@code ClosedRoom}'s revocation
     * listener.
     *
     * @param revocation a revocation of this transport's room, signed by the room's owner
     * @return whether it was queued for the server
     * @throws IllegalArgumentException if the revocation is for another room than this transport's
     */
    public boolean passOnRevocation(Revocation revocation) {
        Objects.requireNonNull(revocation, "revocation");
        if (!revocation.room().equals(config.room())) {
            throw new IllegalArgumentException("revocation " + revocation.idHex() + " is for room '" + revocation.room()
                    + "', but this transport is in room '" + config.room() + "'; pass it on through a transport of"
                    + " its room");
        }
        if (!inRoom || lifecycle.get() != Lifecycle.STARTED) {
            return false;
        }
        String text = revocation.toText();
        if (queuedMessages.incrementAndGet() > config.sendQueueCapacity()) {
            queuedMessages.decrementAndGet();
            return false;
        }
        boolean queued = owner.execute(() -> {
            queuedMessages.decrementAndGet();
            transmitRevocation(text);
        });
        if (!queued) {
            queuedMessages.decrementAndGet();
        }
        return queued;
    }

    @Override
    public int queueSize(PeerId peer) {
        if (peer == null || !members.contains(peer)) {
            return 0;
        }
        AtomicInteger bytes = queuedBytes.get(peer);
        return bytes == null ? 0 : bytes.get();
    }

    @Override
    public void close() {
        Lifecycle previous = lifecycle.getAndSet(Lifecycle.CLOSED);
        if (previous == Lifecycle.CLOSED) {
            return;
        }
        if (owner.inOwnerThread()) {
            shutDown(); // a listener callback closes its transport: at once, on this thread
            owner.close();
            return;
        }
        if (previous == Lifecycle.STARTED) {
            owner.execute(this::shutDown);
        }
        owner.close();
        try {
            if (!owner.awaitTermination(CLOSE_WAIT)) {
                log.warn(
                        "a listener callback did not return within {} while closing the WebSocket transport"
                                + " ({}); closing anyway",
                        CLOSE_WAIT,
                        context);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "WebSocketTransport[" + context + ", server " + config.serverUri() + ", " + lifecycle.get()
                + (inRoom ? ", in room" : "") + "]";
    }

    // ---- senders' side: bounded queue onto the owner thread ----

    private boolean offer(PeerId to, int bytes, Runnable transmit) {
        if (queuedMessages.incrementAndGet() > config.sendQueueCapacity()) {
            queuedMessages.decrementAndGet();
            return false;
        }
        AtomicInteger peerBytes = queuedBytes.computeIfAbsent(to, peer -> new AtomicInteger());
        peerBytes.addAndGet(bytes);
        boolean queued = owner.execute(() -> {
            queuedMessages.decrementAndGet();
            peerBytes.addAndGet(-bytes);
            transmit.run();
        });
        if (!queued) {
            queuedMessages.decrementAndGet();
            peerBytes.addAndGet(-bytes);
        }
        return queued;
    }

    // ---- everything below runs on the owner thread ----

    private void enqueue(Runnable task) {
        if (!owner.execute(task)) {
            log.debug("event after close ignored ({})", context);
        }
    }

    private void transmitData(PeerId to, byte[] message) {
        if (phase != Phase.IN_ROOM || !members.contains(to)) {
            return;
        }
        byte[] frame = new RelayFrame(config.room(), self, to, message).encode();
        if (serverFrameLimit > 0 && frame.length > serverFrameLimit) {
            // The server would drop it (too-large), or, beyond four times its limit, close the connection
            // while this side is still writing, so that neither side learns why (close code 1006).
            report(
                    Reason.TOO_LARGE,
                    to,
                    "a relay frame of " + frame.length + " bytes (a " + message.length + "-byte message to " + to
                            + ") is larger than the signaling server's frame limit of " + serverFrameLimit
                            + " bytes; it was dropped without being sent. Keep maxMessageSize at most "
                            + (serverFrameLimit - (frame.length - message.length)) + " bytes for this server",
                    null);
            return;
        }
        transmit(frame);
    }

    private void transmitSignal(PeerId to, JsonNode data) {
        if (phase != Phase.IN_ROOM || !members.contains(to)) {
            return;
        }
        transmitText(SignalingCodec.encode(new ClientMessage.Signal(config.room(), to, data)));
    }

    private void transmitRevocation(String text) {
        if (phase != Phase.IN_ROOM) {
            return;
        }
        transmitText(SignalingCodec.encode(new ClientMessage.Revoke(config.room(), text)));
    }

    private void transmit(byte[] frame) {
        if (client == null) {
            return;
        }
        try {
            client.send(frame);
        } catch (WebsocketNotConnectedException e) {
            log.debug("frame dropped: the connection is closing ({})", context);
        }
    }

    private void transmitText(String text) {
        if (client == null) {
            return;
        }
        try {
            client.send(text);
        } catch (WebsocketNotConnectedException e) {
            log.debug("control message dropped: the connection is closing ({})", context);
        }
    }

    private void connect() {
        if (lifecycle.get() != Lifecycle.STARTED) {
            return;
        }
        attempts++;
        WsClient attempt = new WsClient(
                config.serverUri(), attempts, MAX_INCOMING_FRAME_BYTES, config.connectTimeout(), new OwnerEvents());
        client = attempt;
        phase = Phase.CONNECTING;
        cancelTimer();
        timer = owner.schedule(config.connectTimeout(), () -> attemptTimedOut(attempt));
        log.debug("connecting to {} (attempt {}, {})", config.serverUri(), attempts, context);
        attempt.connect();
    }

    private void attemptTimedOut(WsClient attempt) {
        if (attempt != client || phase == Phase.IN_ROOM) {
            return;
        }
        abandon(
                attempt,
                phase == Phase.CONNECTING ? Reason.CONNECT_FAILED : Reason.HANDSHAKE_FAILED,
                "connection attempt " + attempt.attempt() + " to " + config.serverUri()
                        + " did not reach the room within the connect timeout of " + config.connectTimeout()
                        + " (stopped while " + phase + ")");
    }

    /** Gives up the current connection and schedules the next attempt. */
    private void abandon(WsClient attempt, Reason reason, String why) {
        client = null;
        attempt.close();
        connectionLost(reason, why);
    }

    private void connectionLost(Reason reason, String why) {
        cancelTimer();
        phase = Phase.WAITING;
        inRoom = false;
        report(reason, null, why, null);
        for (PeerId peer : new ArrayList<>(members)) {
            members.remove(peer);
            queuedBytes.remove(peer);
            deliver(l -> l.onPeerDisconnected(peer, "lost the connection to the signaling server: " + why));
        }
        if (lifecycle.get() != Lifecycle.STARTED) {
            return;
        }
        if (replaced) {
            report(
                    Reason.REPLACED,
                    null,
                    "not reconnecting: another connection with this identity (" + identity.peerId()
                            + ") replaced this one; two processes must not share an identity",
                    null);
            return;
        }
        failures++;
        Duration delay = backoff.delay(failures);
        log.info("reconnecting to {} in {} ms ({})", config.serverUri(), delay.toMillis(), context);
        timer = owner.schedule(delay, this::connect);
    }

    private void shutDown() {
        cancelTimer();
        phase = Phase.WAITING;
        inRoom = false;
        members.clear();
        queuedBytes.clear();
        WsClient current = client;
        client = null;
        if (current != null) {
            current.close(1000, "transport closed");
        }
        listener = TransportListener.NONE;
        log.debug("closed ({})", context);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void opened(WsClient attempt) {
        if (attempt == client) {
            phase = Phase.HANDSHAKING;
            // A join token proves something about this connection's challenge, never about an earlier one's.
            challengeNonce = null;
        }
    }

    private void text(WsClient attempt, String text) {
        if (attempt != client) {
            return;
        }
        ServerMessage message;
        try {
            message = SignalingCodec.decodeServerMessage(text);
        } catch (MalformedMessageException e) {
            report(
                    Reason.PROTOCOL_ERROR,
                    null,
                    "the signaling server sent a malformed control message, ignored: " + e.getMessage(),
                    e);
            return;
        }
        if (message instanceof ServerMessage.Challenge challenge) {
            onChallenge(attempt, challenge);
        } else if (message instanceof ServerMessage.Welcome welcome) {
            onWelcome(attempt, welcome);
        } else if (message instanceof ServerMessage.Joined joined) {
            onJoined(joined);
        } else if (message instanceof ServerMessage.PeerJoined joined) {
            if (inThisRoom(joined.room(), joined) && phase == Phase.IN_ROOM) {
                memberJoined(joined.peerId());
            }
        } else if (message instanceof ServerMessage.PeerLeft left) {
            if (inThisRoom(left.room(), left)) {
                memberLeft(left.peerId(), "left room " + left.room());
            }
        } else if (message instanceof ServerMessage.RelayedSignal signal) {
            onSignal(signal);
        } else if (message instanceof ServerMessage.Error error) {
            onError(error);
        } else {
            log.debug("ignored {} ({})", message.type(), context);
        }
    }

    private void onChallenge(WsClient attempt, ServerMessage.Challenge challenge) {
        if (phase != Phase.HANDSHAKING) {
            report(
                    Reason.PROTOCOL_ERROR,
                    null,
                    "the signaling server sent a challenge while " + phase + "; ignored",
                    null);
            return;
        }
        challengeNonce = challenge.nonce();
        transmitText(SignalingCodec.encode(Handshake.hello(identity, challenge.nonce())));
    }

    private void onWelcome(WsClient attempt, ServerMessage.Welcome welcome) {
        if (phase != Phase.HANDSHAKING) {
            report(Reason.PROTOCOL_ERROR, null, "the signaling server sent welcome while " + phase + "; ignored", null);
            return;
        }
        if (challengeNonce == null) {
            // No challenge, so no hello: the server cannot know who this is, and a join token bound to the
            // challenge (a closed room's proof of possession) has nothing to be bound to.
            abandon(
                    attempt,
                    Reason.HANDSHAKE_FAILED,
                    "the signaling server sent welcome before any challenge, so it has not checked who this peer"
                            + " is; reconnecting");
            return;
        }
        if (!welcome.peerId().equals(identity.peerId())) {
            abandon(
                    attempt,
                    Reason.HANDSHAKE_FAILED,
                    "the signaling server welcomed " + welcome.peerId() + " but this peer is " + identity.peerId()
                            + "; reconnecting");
            return;
        }
        serverFrameLimit = welcome.maxFrameBytes().orElse(0);
        int largestFrame = RelayFrame.FIXED_HEADER_BYTES + config.room().length() + config.maxMessageSize();
        if (serverFrameLimit > 0 && largestFrame > serverFrameLimit) {
            report(
                    Reason.TOO_LARGE,
                    null,
                    "this transport's maxMessageSize of " + config.maxMessageSize() + " bytes makes relay frames of up"
                            + " to " + largestFrame + " bytes, but the signaling server accepts at most "
                            + serverFrameLimit + "; larger messages will be dropped. Set maxMessageSize to at most "
                            + (serverFrameLimit - (largestFrame - config.maxMessageSize())) + " bytes",
                    null);
        }
        iceServers = welcome.iceServers();
        List<IceServer> servers = iceServers;
        tellSignals("onIceServers", l -> l.onIceServers(servers));
        String token;
        try {
            token = config.joinTokenFor(challengeNonce);
        } catch (RuntimeException e) {
            // A hostile server's challenge can be one no token binds to (a bearer invite's proof takes 1 to 255 bytes).
            abandon(
                    attempt,
                    Reason.HANDSHAKE_FAILED,
                    "cannot make the join token from the signaling server's challenge: " + e.getMessage()
                            + "; reconnecting");
            return;
        }
        phase = Phase.JOINING;
        transmitText(SignalingCodec.encode(new ClientMessage.Join(config.room(), token)));
    }

    private void onJoined(ServerMessage.Joined joined) {
        if (!inThisRoom(joined.room(), joined)) {
            return;
        }
        if (phase != Phase.JOINING && phase != Phase.IN_ROOM) {
            report(Reason.PROTOCOL_ERROR, null, "the signaling server sent joined while " + phase + "; ignored", null);
            return;
        }
        boolean first = phase == Phase.JOINING;
        phase = Phase.IN_ROOM;
        inRoom = true;
        failures = 0;
        cancelTimer();
        if (first) {
            log.info(
                    "in the room with {} other peer(s) (attempt {}, {})",
                    joined.peers().size(),
                    attempts,
                    context);
        }
        Set<PeerId> present = new HashSet<>(joined.peers());
        for (PeerId former : new ArrayList<>(announced)) {
            if (!present.contains(former)) {
                announced.remove(former);
                tellSignals(
                        "onPeerLeft",
                        l -> l.onPeerLeft(former, "was gone when this peer rejoined room " + config.room()));
            }
        }
        for (PeerId peer : joined.peers()) {
            memberJoined(peer);
        }
    }

    private boolean inThisRoom(String room, ServerMessage message) {
        if (room.equals(config.room())) {
            return true;
        }
        report(
                Reason.PROTOCOL_ERROR,
                null,
                "the signaling server sent " + message.type() + " for room " + room
                        + ", which this transport did not join (it joined " + config.room() + "); ignored",
                null);
        return false;
    }

    private void memberJoined(PeerId peer) {
        if (peer.equals(self)) {
            return;
        }
        if (members.add(peer)) {
            deliver(l -> l.onPeerConnected(peer));
        }
        if (announced.add(peer)) {
            tellSignals("onPeerJoined", l -> l.onPeerJoined(peer));
        }
    }

    private void memberLeft(PeerId peer, String why) {
        if (members.remove(peer)) {
            queuedBytes.remove(peer);
            deliver(l -> l.onPeerDisconnected(peer, why));
        }
        if (announced.remove(peer)) {
            tellSignals("onPeerLeft", l -> l.onPeerLeft(peer, why));
        }
    }

    private void onSignal(ServerMessage.RelayedSignal signal) {
        if (!inThisRoom(signal.room(), signal)) {
            return;
        }
        PeerId from = signal.from();
        if (!members.contains(from)) {
            report(
                    Reason.PROTOCOL_ERROR,
                    from,
                    "signal from " + from + ", who is not a known member of room " + config.room() + "; ignored",
                    null);
            return;
        }
        String data = signal.data().toString();
        tellSignals("onSignal from " + from, l -> l.onSignal(from, data));
    }

    private void tellSignals(String what, Consumer<SignalListener> event) {
        if (lifecycle.get() != Lifecycle.STARTED) {
            return;
        }
        try {
            event.accept(signals);
        } catch (RuntimeException e) {
            log.warn("signal listener threw in {} ({})", what, context, e);
        }
    }

    private void binary(WsClient attempt, byte[] bytes) {
        if (attempt != client) {
            return;
        }
        if (phase != Phase.IN_ROOM) {
            report(
                    Reason.PROTOCOL_ERROR,
                    null,
                    "the signaling server sent a " + bytes.length + "-byte binary frame while " + phase
                            + "; relay frames are expected only in a room; ignored",
                    null);
            return;
        }
        RelayFrame frame;
        try {
            frame = RelayFrame.decode(ByteBuffer.wrap(bytes));
        } catch (MalformedMessageException | IllegalArgumentException e) {
            report(
                    Reason.PROTOCOL_ERROR,
                    null,
                    "the signaling server sent a malformed relay frame, ignored: " + e.getMessage(),
                    e);
            return;
        }
        if (!frame.room().equals(config.room()) || !frame.to().equals(self)) {
            report(
                    Reason.PROTOCOL_ERROR,
                    null,
                    "relay frame for room " + frame.room() + " and peer " + frame.to() + " reached room "
                            + config.room() + " peer " + identity.peerId() + "; ignored",
                    null);
            return;
        }
        PeerId from = frame.from();
        if (!members.contains(from)) {
            report(
                    Reason.PROTOCOL_ERROR,
                    from,
                    "relay frame from " + from + ", who is not a known member of room " + config.room() + "; ignored",
                    null);
            return;
        }
        byte[] payload = frame.payload();
        deliver(l -> l.onMessage(from, payload));
    }

    private void closed(WsClient attempt, int code, String reason, boolean remote) {
        if (attempt != client) {
            return;
        }
        client = null;
        Reason why = code == CloseFrame.TOOBIG
                ? Reason.TOO_LARGE
                : phase == Phase.CONNECTING
                        ? Reason.CONNECT_FAILED
                        : phase == Phase.IN_ROOM ? Reason.CONNECTION_LOST : Reason.HANDSHAKE_FAILED;
        connectionLost(
                why,
                "connection to " + config.serverUri() + " closed by "
                        + (remote ? "the server" : "this side") + " with code " + code
                        + (reason == null || reason.isEmpty() ? "" : " (" + reason + ")"));
    }

    private void failed(WsClient attempt, Exception error) {
        if (attempt != client) {
            return;
        }
        report(
                phase == Phase.CONNECTING ? Reason.CONNECT_FAILED : Reason.CONNECTION_LOST,
                null,
                "WebSocket error on the connection to " + config.serverUri() + ": " + error,
                error);
    }

    private void report(Reason reason, PeerId peer, String message, Throwable cause) {
        log.debug("{}: {} ({})", reason, message, context);
        TransportException error = new TransportException(reason, config.room(), peer, message, cause);
        deliver(l -> l.onError(error));
    }

    /**
     * An {@code error} from the server: its stable code becomes the reason callers switch on, and the
     * peer it names (if any) the peer the error concerns.
     *
     * <p>An {@code unknown-peer} about a peer that has left the room since is the expected end of a
     * race, not an error: a frame sent to that peer (PeerMessaging moves a peer to the relay when its
     * WebRTC channel closes, which happens when the peer leaves) crossed the server's {@code
     * peer-left} on the way. The server handled that departure before the frame, so its {@code
     * peer-left} arrived here first: the peer is no member any more. The frame was for nobody; it is
     * dropped quietly, as the transport drops frames queued for a peer that leaves.
     *
     * <p>An {@code unauthorized} naming this room and this peer itself, while in the room, is the server
     * removing this peer after a revocation: the server no longer counts it as a member, so neither does
     * this side. A refused {@code revoke} names the room but no peer, and changes nothing here.
     */
    private void onError(ServerMessage.Error error) {
        Reason reason = error.knownCode().map(WebSocketTransport::reasonOf).orElse(Reason.SERVER_ERROR);
        PeerId peer = error.peerId().orElse(null);
        if (reason == Reason.UNKNOWN_PEER
                && peer != null
                && error.room().orElse(config.room()).equals(config.room())
                && !members.contains(peer)) {
            log.debug(
                    "a frame for {}, who has left room {}, crossed its departure; dropped ({})",
                    peer,
                    config.room(),
                    context);
            return;
        }
        if (reason == Reason.UNAUTHORIZED
                && self.equals(peer)
                && phase == Phase.IN_ROOM
                && error.room().filter(config.room()::equals).isPresent()) {
            // The server learned a revocation that shuts this peer out, and removed it from the room: like a
            // refused join, this is reported, and the transport tries again after the backoff (and is refused
            // again while the revocation holds).
            abandon(
                    client,
                    Reason.UNAUTHORIZED,
                    "the signaling server removed this peer from room " + config.room() + ": " + error.message());
            return;
        }
        replaced |= reason == Reason.REPLACED;
        report(reason, peer, "the signaling server reported " + error.code() + ": " + error.message(), null);
    }

    private static Reason reasonOf(ErrorCode code) {
        return switch (code) {
            case BAD_REQUEST -> Reason.PROTOCOL_ERROR;
            case UNAUTHORIZED -> Reason.UNAUTHORIZED;
            case NOT_IN_ROOM -> Reason.NOT_IN_ROOM;
            case UNKNOWN_PEER -> Reason.UNKNOWN_PEER;
            case RATE_LIMITED -> Reason.RATE_LIMITED;
            case TOO_LARGE -> Reason.TOO_LARGE;
            case ROOM_FULL -> Reason.ROOM_FULL;
            case TOO_MANY_ROOMS -> Reason.TOO_MANY_ROOMS;
            case HANDSHAKE_TIMEOUT -> Reason.HANDSHAKE_FAILED;
            case REPLACED -> Reason.REPLACED;
            case SHUTTING_DOWN -> Reason.SERVER_SHUTTING_DOWN;
        };
    }

    private void deliver(Consumer<TransportListener> event) {
        owner.checkOwnerThread("a TransportListener callback of the WebSocket transport");
        if (lifecycle.get() != Lifecycle.STARTED) {
            return;
        }
        try {
            event.accept(listener);
        } catch (RuntimeException e) {
            log.warn("transport listener threw ({})", context, e);
        }
    }

    /** Hands each Java-WebSocket callback to the owner thread. */
    private final class OwnerEvents implements WsClient.Events {
        @Override
        public void opened(WsClient attempt) {
            enqueue(() -> WebSocketTransport.this.opened(attempt));
        }

        @Override
        public void text(WsClient attempt, String text) {
            enqueue(() -> WebSocketTransport.this.text(attempt, text));
        }

        @Override
        public void binary(WsClient attempt, byte[] bytes) {
            enqueue(() -> WebSocketTransport.this.binary(attempt, bytes));
        }

        @Override
        public void closed(WsClient attempt, int code, String reason, boolean remote) {
            enqueue(() -> WebSocketTransport.this.closed(attempt, code, reason, remote));
        }

        @Override
        public void failed(WsClient attempt, Exception error) {
            enqueue(() -> WebSocketTransport.this.failed(attempt, error));
        }
    }
}
