package dev.ensemble.transport.webrtc;

import dev.ensemble.transport.IceServer;
import dev.ensemble.transport.OwnerThread;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.TransportException;
import dev.ensemble.transport.TransportException.Reason;
import dev.ensemble.transport.TransportListener;
import dev.ensemble.transport.webrtc.signal.Signal;
import dev.ensemble.transport.webrtc.signal.SignalChannel;
import dev.ensemble.transport.ws.WebSocketTransport;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceServer;
import dev.onvoid.webrtc.RTCIceTransportPolicy;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Transport} over WebRTC data channels: one peer connection per remote peer, negotiated
 * through {@link Signal}s that a {@link SignalChannel} relays (in an application, the signaling
 * server through PeerMessaging).
 *
 * <h2>Lifecycle</h2>
 *
 * <pre>
 *   create ──start(listener)──► STARTED ──close()──► CLOSED
 *                                  │
 *   connect(peer) ─► dialing ─► channel open: onPeerConnected ─► send / onMessage
 *                      ▲                          │ channel closed or ICE failed:
 *                      │                          ▼ onPeerDisconnected at once
 *                      └── re-dial with backoff ◄─ ICE restart first (if ICE failed)
 *   disconnect(peer) ─► closed for good (onPeerDisconnected if it was up)
 * </pre>
 *
 * The application (PeerMessaging) calls {@link #connect(PeerId)} for every peer of its rooms and
 * {@link #disconnect(PeerId)} when one leaves; both sides dial, and negotiation is glare-safe
 * without coordination ("perfect negotiation": the peer whose id sorts lower is polite, see
 * docs/PROTOCOL.md, "WebRTC signals"). A peer is reported connected when its data channel
 * opens, and disconnected as soon as the channel closes or ICE reports a problem, so that
 * PeerMessaging can move it to the WebSocket relay at once; the transport keeps trying (an ICE
 * restart, then fresh connections with backoff) and reports it connected again when a channel
 * opens. Signals from a peer that is not {@code connect}ed are held (up to the connect timeout)
 * and applied if {@code connect} follows, so an offer that overtakes the roster update is not
 * lost; a peer is never connected without the application asking for it.
 *
 * <h2>Messages</h2>
 *
 * One reliable, ordered data channel per peer. Messages up to {@link #maxMessageSize()} (64 KiB
 * by default) are sent as they are; larger ones are rejected, so the layer above chunks with
 * {@code dev.ensemble.collab.wire.Chunker}. The transport keeps at most 1 MiB in libwebrtc's
 * send buffer (a reliable channel closes when that buffer reaches 16 MiB) and holds the rest in
 * its own per-peer queue, bounded by {@link WebRtcConfig#maxQueuedBytes()}. Messages still in
 * that queue when a peer goes down are handed back ({@code TransportListener.onUnsent}) just
 * before {@code onPeerDisconnected}, so that PeerMessaging sends them over the relay; what was
 * already in libwebrtc's buffer may be lost with the channel, and the collaboration layer
 * resynchronises on the transport change.
 *
 * <h2>Threading</h2>
 *
 * One {@link OwnerThread} per transport ({@code ensemble-webrtc-<peer>}) holds every peer table entry
 * and negotiation flag and makes every native call on peer connections and data channels;
 * webrtc-java callbacks only copy their data and hand a task to it. Listener callbacks run on
 * the owner thread, in order, never overlapping. {@link #send}, {@link #queueSize}, {@link
 * #connect}, {@link #disconnect}, {@link #useServerIceServers} and {@link #close} are
 * thread-safe and never block on the network ({@code close} waits up to five seconds for the
 * owner to close the connections).
 *
 * <h2>Native lifecycle</h2>
 *
 * All transports of a process share {@link WebRtcNatives}' one factory. {@link #close()} closes
 * each data channel (unregister, close, dispose), then its peer connection; the factory is never
 * disposed (disposing it before its peer connections crashes the JVM).
 *
 * <pre>{@code
 * WebRtcTransport webrtc = WebRtcTransport.create(self, signalChannel, WebRtcConfig.defaults());
 * webrtc.start(listener);
 * webrtc.connect(PeerId.parse("did:key:z6Mk...bob"));  // for each peer in the room
 * // listener.onPeerConnected(bob) -> webrtc.send(bob, frame)
 * webrtc.close();
 * }</pre>
 */
public final class WebRtcTransport implements Transport {

    /** The name reported by {@link #name()}. */
    public static final String NAME = "webrtc";

    private static final Logger LOG = LoggerFactory.getLogger(WebRtcTransport.class);
    private static final int NEW = 0;
    private static final int STARTED = 1;
    private static final int CLOSED = 2;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    private static final int MAX_PARKED_PEERS = 64;
    private static final int MAX_PARKED_SIGNALS = 32;

    private final PeerId localPeer;
    private final SignalChannel signals;
    /** Signs and checks descriptions; {@code null} for a transport that neither signs nor checks. */
    private final DescriptionSigner signer;

    private final WebRtcConfig config;
    private final PeerConnectionFactory factory;
    private final OwnerThread owner;
    private final AtomicInteger lifecycle = new AtomicInteger(NEW);
    /** Peers reported up, with their send gate. Written by the owner, read by any thread. */
    private final Map<PeerId, SendGate> openPeers = new ConcurrentHashMap<>();
    /** Owned by the owner thread. */
    private final Map<PeerId, PeerLink> links = new HashMap<>();
    /** Owned by the owner thread. */
    private TransportListener listener = TransportListener.NONE;
    /** Owned by the owner thread: set when close has run there; no callback after it. */
    private boolean closedOnOwner;
    /** Owned by the owner thread. */
    private List<IceServer> serverIceServers = List.of();
    /**
     * Owned by the owner thread: signals from peers not connected yet, in arrival order, so that an
     * offer that overtakes the roster update is applied when {@link #connect} comes.
     */
    private final Map<PeerId, Parked> parked = new LinkedHashMap<>();

    /** Signals held for a peer that is not connected (yet), until a deadline. */
    private static final class Parked {
        final ArrayDeque<Signal> signals = new ArrayDeque<>();
        long deadlineNanos;
    }

    private WebRtcTransport(
            PeerId localPeer,
            SignalChannel signals,
            DescriptionSigner signer,
            WebRtcConfig config,
            PeerConnectionFactory factory) {
        this.localPeer = localPeer;
        this.signals = signals;
        this.signer = signer;
        if (signer != null) {
            // The peers this transport wants keep their replay records when a flood of strangers fills it.
            signer.pinWhile(links::containsKey);
        }
        this.config = config;
        this.factory = factory;
        // A failing task (a bug, or a native call that threw) is logged by the owner thread, which goes on.
        this.owner = OwnerThread.start("ensemble-webrtc-" + localPeer.shortForm());
    }

    /**
     * Creates a transport for this peer. Loads the natives on first use.
     *
     * @param localPeer this peer's id; decides politeness against each remote peer
     * @param signals how negotiation messages travel
     * @param config ICE servers, policy, limits, timeouts
     * @return a transport, not yet started
     * @throws WebRtcUnavailableException if webrtc-java's natives cannot load; the message says
     *     what to install; the application should keep its peers on the WebSocket relay
     */
    public static WebRtcTransport create(PeerId localPeer, SignalChannel signals, WebRtcConfig config) {
        Objects.requireNonNull(localPeer, "localPeer");
        Objects.requireNonNull(signals, "signals");
        Objects.requireNonNull(config, "config");
        return new WebRtcTransport(localPeer, signals, null, config, WebRtcNatives.factory());
    }

    /**
     * Creates a transport that signs its descriptions with {@code identity} and accepts only
     * descriptions signed by the peer they claim to come from, for this peer and this room, and
     * not replayed (docs/SECURITY.md, "Signed descriptions"). A description refused is reported as
     * {@code AUTHENTICATION_FAILED} naming the peer, and dropped. Loads the natives on first use.
     *
     * @param identity this peer's identity, whose id decides politeness against each remote peer
     * @param room the room the signals travel in, which the signatures bind (1 to 255 bytes of UTF-8)
     * @param signals how negotiation messages travel
     * @param config ICE servers, policy, limits, timeouts
     * @return a transport, not yet started
     * @throws WebRtcUnavailableException if webrtc-java's natives cannot load
     */
    public static WebRtcTransport createSigned(
            PeerIdentity identity, String room, SignalChannel signals, WebRtcConfig config) {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(signals, "signals");
        Objects.requireNonNull(config, "config");
        DescriptionSigner signer = new DescriptionSigner(identity, room);
        return new WebRtcTransport(identity.peerId(), signals, signer, config, WebRtcNatives.factory());
    }

    /**
     * Creates a transport whose signals travel through the signaling server over {@code relay}, the
     * WebSocket transport of the same room, and whose peers follow that room: every member is
     * dialled, a member that leaves is hung up on (a drop of the relay's own connection to the
     * server is not a leave: channels that are up stay up), and the ICE servers of each of the
     * server's {@code welcome}s are used unless {@code config} sets its own. Create it before the
     * relay starts, so that no member is missed, and give PeerMessaging both, WebRTC first:
     *
     * <pre>{@code
     * WebSocketTransport relay = WebSocketTransport.create(
     *     WebSocketTransportConfig.builder(serverUri, "room-1", identity).build());
     * WebRtcTransport webrtc = WebRtcTransport.overRelay(relay, WebRtcConfig.defaults());
     * PeerMessagingSettings peers = PeerMessagingSettings.builder()
     *     .transport(webrtc)           // preferred while a peer's channel is open
     *     .transport(relay)            // the fallback, at once when a channel fails
     *     .build();
     * }</pre>
     *
     * <p>This replaces the relay's {@link dev.ensemble.transport.ws.SignalListener}. Its descriptions
     * are signed with the relay's identity and bound to its room, and only descriptions signed so by
     * the peer they claim to come from are accepted (see {@link #createSigned}): a signaling server
     * that swaps a DTLS fingerprint or replays an old description is refused and named.
     *
     * @param relay the WebSocket transport of the room, not started yet
     * @param config ICE servers, policy, limits, timeouts
     * @return a transport, not yet started
     * @throws WebRtcUnavailableException if webrtc-java's natives cannot load; the message says
     *     what to install; use the relay alone
     */
    public static WebRtcTransport overRelay(WebSocketTransport relay, WebRtcConfig config) {
        Objects.requireNonNull(relay, "relay");
        RelaySignalChannel channel = new RelaySignalChannel(relay);
        WebRtcTransport transport =
                createSigned(relay.config().identity(), relay.config().room(), channel, config);
        channel.attach(transport);
        return transport;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int maxMessageSize() {
        return config.maxMessageSize();
    }

    /**
     * Returns this peer's id. Thread-safe.
     *
     * @return the local peer
     */
    public PeerId localPeer() {
        return localPeer;
    }

    @Override
    public void start(TransportListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (!lifecycle.compareAndSet(NEW, STARTED)) {
            throw new IllegalStateException("WebRtcTransport of " + localPeer + " can be started once;" + " it is "
                    + (lifecycle.get() == STARTED ? "already started" : "closed"));
        }
        execute(() -> this.listener = listener);
        signals.register((from, signal) -> {
            if (from == null || signal == null || from.equals(localPeer)) {
                return;
            }
            execute(() -> {
                if (closedOnOwner) {
                    return;
                }
                if (signer != null && signal instanceof Signal.Description description) {
                    PeerLink known = links.get(from);
                    DescriptionSigner.Verdict verdict =
                            signer.check(from, description, known == null ? null : known.currentSession());
                    if (verdict.outcome() == DescriptionSigner.Outcome.STALE) {
                        LOG.debug(
                                "dropping a WebRTC {} from peer {}: {}",
                                description.type().json(),
                                from,
                                verdict.reason());
                        return;
                    }
                    if (!verdict.accepted()) {
                        reportError(
                                Reason.AUTHENTICATION_FAILED,
                                from,
                                "a WebRTC " + description.type().json() + " claiming to come from peer " + from
                                        + " was refused: " + verdict.reason(),
                                null);
                        return;
                    }
                }
                PeerLink link = links.get(from);
                if (link == null) {
                    park(from, signal);
                    return;
                }
                try {
                    link.onSignal(signal);
                } catch (RuntimeException e) {
                    reportError(Reason.LIBRARY_ERROR, from, "handling a signal from peer " + from + " failed: " + e, e);
                }
            });
        });
    }

    /**
     * Starts connecting to a peer, and keeps it connected (re-dialing with backoff) until {@link
     * #disconnect(PeerId)}. Idempotent. Thread-safe.
     *
     * @param peer the remote peer, not this one
     * @throws IllegalArgumentException if {@code peer} is this peer
     * @throws IllegalStateException if the transport is not started
     */
    public void connect(PeerId peer) {
        Objects.requireNonNull(peer, "peer");
        if (peer.equals(localPeer)) {
            throw new IllegalArgumentException("a peer cannot connect to itself: " + peer);
        }
        if (lifecycle.get() != STARTED) {
            throw new IllegalStateException("connect(" + peer + ") needs a started transport; call"
                    + " start(listener) first (state: " + (lifecycle.get() == NEW ? "new" : "closed") + ")");
        }
        execute(() -> {
            if (closedOnOwner) {
                return;
            }
            if (config.relayOnly() && iceServers().stream().noneMatch(IceServer::isTurn)) {
                reportError(
                        Reason.PEER_UNREACHABLE,
                        peer,
                        "relay-only ICE policy with no TURN server: peer " + peer
                                + " can never connect over WebRTC and stays on the relay; configure a TURN server"
                                + " or turn relayOnly off",
                        null);
            }
            PeerLink link = links.get(peer);
            if (link == null) {
                link = new PeerLink(this, peer);
                links.put(peer, link);
                link.dial();
                replayParked(link);
            } else {
                link.dial();
            }
        });
    }

    /**
     * Closes the connection to a peer for good (it left the room). Thread-safe; idempotent.
     *
     * @param peer the remote peer
     */
    public void disconnect(PeerId peer) {
        Objects.requireNonNull(peer, "peer");
        execute(() -> {
            parked.remove(peer);
            PeerLink link = links.remove(peer);
            if (link != null && !closedOnOwner) {
                link.remove("disconnected by the application", true);
            }
        });
    }

    /**
     * Sets the ICE servers the signaling server announced in its {@code welcome}. Used for
     * connections created from now on, unless the configuration sets its own. A TURN server
     * without credentials cannot be used by WebRTC; it is left out with a warning. Thread-safe.
     *
     * @param servers the servers
     */
    public void useServerIceServers(List<IceServer> servers) {
        List<IceServer> usable = new ArrayList<>();
        for (IceServer server : servers) {
            if (server.isTurn() && !server.hasCredentials()) {
                LOG.warn(
                        "{}: ignored TURN server {} from the signaling server's welcome: WebRTC needs a username"
                                + " and a credential for it (coturn use-auth-secret: configure the server's TURN"
                                + " secret)",
                        localPeer,
                        server.urls());
            } else {
                usable.add(server);
            }
        }
        List<IceServer> copy = List.copyOf(usable);
        execute(() -> serverIceServers = copy);
    }

    /**
     * Tells whether a peer is connected over WebRTC now. Thread-safe.
     *
     * @param peer the peer
     * @return whether its data channel is open
     */
    public boolean isConnected(PeerId peer) {
        return openPeers.containsKey(peer);
    }

    @Override
    public boolean send(PeerId to, byte[] message) {
        if (to == null || message == null || lifecycle.get() != STARTED || message.length > config.maxMessageSize()) {
            return false;
        }
        SendGate gate = openPeers.get(to);
        if (gate == null || !gate.reserve(message.length)) {
            return false;
        }
        boolean queued = execute(() -> {
            PeerLink link = links.get(to);
            if (link == null || closedOnOwner) {
                gate.release(message.length);
                return;
            }
            link.enqueue(gate, message);
        });
        if (!queued) {
            gate.release(message.length);
        }
        return queued;
    }

    @Override
    public int queueSize(PeerId peer) {
        SendGate gate = peer == null ? null : openPeers.get(peer);
        return gate == null ? 0 : gate.queued();
    }

    @Override
    public void close() {
        if (lifecycle.getAndSet(CLOSED) == CLOSED) {
            return;
        }
        Runnable shutdown = () -> {
            closedOnOwner = true;
            openPeers.clear();
            for (PeerLink link : links.values()) {
                try {
                    link.remove("transport closed", false);
                } catch (RuntimeException e) {
                    LOG.warn("closing the connection to peer {} failed", link.peer(), e);
                }
            }
            links.clear();
            parked.clear();
        };
        if (owner.inOwnerThread()) {
            shutdown.run(); // at once, so that no task still queued calls the listener back
            owner.close();
            return;
        }
        owner.execute(shutdown);
        owner.close();
        try {
            if (!owner.awaitTermination(CLOSE_WAIT)) {
                LOG.warn("closing WebRtcTransport of {} did not finish within {}", localPeer, CLOSE_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Test hook: restarts ICE with a peer, as after an ICE failure. */
    void restartIceForTest(PeerId peer) {
        execute(() -> {
            PeerLink link = links.get(peer);
            if (link != null) {
                link.restartIceForTest();
            }
        });
    }

    /** Test hook: breaks the data channel to a peer, as a network failure would. */
    void breakChannelForTest(PeerId peer) {
        execute(() -> {
            PeerLink link = links.get(peer);
            if (link != null) {
                link.breakChannel();
            }
        });
    }

    private void park(PeerId from, Signal signal) {
        Parked entry = parked.get(from);
        if (entry == null) {
            if (parked.size() >= MAX_PARKED_PEERS) {
                Iterator<PeerId> eldest = parked.keySet().iterator();
                LOG.debug("dropping the signals parked for peer {}: too many unknown peers", eldest.next());
                eldest.remove();
            }
            entry = new Parked();
            parked.put(from, entry);
        }
        if (entry.signals.size() >= MAX_PARKED_SIGNALS) {
            entry.signals.poll();
        }
        entry.signals.add(signal);
        entry.deadlineNanos = System.nanoTime() + config.connectTimeout().toNanos();
    }

    private void replayParked(PeerLink link) {
        Parked entry = parked.remove(link.peer());
        if (entry == null || System.nanoTime() - entry.deadlineNanos > 0) {
            return;
        }
        for (Signal signal : entry.signals) {
            link.onSignal(signal);
        }
    }

    // ---- services for PeerLink, on the owner thread unless noted ----

    WebRtcConfig config() {
        return config;
    }

    PeerConnectionFactory factory() {
        return factory;
    }

    /** Any thread: runs a task on the owner; false once the transport is closed. */
    boolean execute(Runnable task) {
        return owner.execute(task);
    }

    /** Any thread: runs a task on the owner after {@code delay}, unless the transport has closed by then. */
    Future<?> schedule(Duration delay, Runnable task) {
        return owner.schedule(delay, () -> {
            if (!closedOnOwner) {
                task.run();
            }
        });
    }

    /** Owner-only code calls this first; see {@link OwnerThread#checkOwnerThread}. */
    void checkOwnerThread(String what) {
        owner.checkOwnerThread(what);
    }

    void sendSignal(PeerId to, Signal signal) {
        if (closedOnOwner) {
            return;
        }
        try {
            signals.send(
                    to,
                    signer != null && signal instanceof Signal.Description description
                            ? signer.sign(to, description)
                            : signal);
        } catch (RuntimeException e) {
            reportError(
                    Reason.LIBRARY_ERROR, to, "the signal channel failed to send a signal to peer " + to + ": " + e, e);
        }
    }

    void reportUp(PeerId peer, SendGate gate) {
        owner.checkOwnerThread("WebRtcTransport.reportUp");
        if (closedOnOwner) {
            return;
        }
        openPeers.put(peer, gate);
        LOG.debug("{}: peer {} connected over WebRTC", localPeer, peer);
        try {
            listener.onPeerConnected(peer);
        } catch (RuntimeException e) {
            LOG.warn("listener failed in onPeerConnected({})", peer, e);
        }
    }

    /** Hands back messages that never reached libwebrtc, so the application can send them another way. */
    void reportUnsent(PeerId peer, List<byte[]> messages) {
        if (closedOnOwner || messages.isEmpty()) {
            return;
        }
        LOG.debug("{}: {} message(s) for peer {} handed back unsent", localPeer, messages.size(), peer);
        try {
            listener.onUnsent(peer, messages);
        } catch (RuntimeException e) {
            LOG.warn("listener failed in onUnsent({})", peer, e);
        }
    }

    /** The peer is down: no more sends to it, its unsent messages handed back, then the event. */
    void reportDown(PeerId peer, String reason, List<byte[]> unsent) {
        owner.checkOwnerThread("WebRtcTransport.reportDown");
        openPeers.remove(peer);
        if (closedOnOwner) {
            return;
        }
        reportUnsent(peer, unsent);
        LOG.debug("{}: peer {} disconnected: {}", localPeer, peer, reason);
        try {
            listener.onPeerDisconnected(peer, reason);
        } catch (RuntimeException e) {
            LOG.warn("listener failed in onPeerDisconnected({})", peer, e);
        }
    }

    void reportMessage(PeerId peer, byte[] message) {
        owner.checkOwnerThread("WebRtcTransport.reportMessage");
        if (closedOnOwner) {
            return;
        }
        try {
            listener.onMessage(peer, message);
        } catch (RuntimeException e) {
            LOG.warn("listener failed in onMessage from {}", peer, e);
        }
    }

    void reportError(Reason reason, PeerId peer, String message, Throwable cause) {
        if (closedOnOwner) {
            return;
        }
        LOG.info("{}: {}", localPeer, message);
        try {
            listener.onError(new TransportException(reason, null, peer, message, cause));
        } catch (RuntimeException e) {
            LOG.warn("listener failed in onError", e);
        }
    }

    List<IceServer> iceServers() {
        return config.iceServers().orElse(serverIceServers);
    }

    String iceDescription() {
        List<IceServer> servers = iceServers();
        long turn = servers.stream().filter(IceServer::isTurn).count();
        return "ICE policy " + (config.relayOnly() ? "relay-only" : "all") + ", " + servers.size()
                + " ICE server(s) of which " + turn + " TURN";
    }

    RTCConfiguration rtcConfiguration() {
        RTCConfiguration rtc = new RTCConfiguration();
        List<RTCIceServer> servers = new ArrayList<>();
        for (IceServer server : iceServers()) {
            RTCIceServer ice = new RTCIceServer();
            ice.urls = new ArrayList<>(server.urls());
            ice.username = server.username();
            ice.password = server.credential();
            servers.add(ice);
        }
        rtc.iceServers = servers;
        rtc.iceTransportPolicy = config.relayOnly() ? RTCIceTransportPolicy.RELAY : RTCIceTransportPolicy.ALL;
        return rtc;
    }
}
