package dev.ensemble.transport.secure;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.TaskTimer;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.TransportException.Reason;
import dev.ensemble.transport.TransportListener;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A transport whose traffic is encrypted and authenticated end to end: it wraps another transport
 * (typically the WebSocket relay through the signaling server) and holds one session with each
 * peer, so that whatever carries the bytes can read none of them and can alter, replay, reorder,
 * drop or inject frames only to have them refused. The design, threat model and byte layouts are
 * in {@code docs/SECURITY.md}: an X25519 handshake signed by both peers' {@code did:key}s and bound
 * to the room, HKDF-SHA256 keys per direction, ChaCha20-Poly1305 with counters; well-reviewed
 * primitives only (the JDK's, and BouncyCastle's lightweight ChaCha20-Poly1305 for data frames).
 *
 * <pre>{@code
 * WebSocketTransport relay = WebSocketTransport.create(
 *     WebSocketTransportConfig.builder(serverUri, "room-1", identity).build());
 * Transport sealed = SecureTransport.wrap(relay, identity, "room-1");
 * PeerMessagingSettings settings = PeerMessagingSettings.builder().transport(sealed).build();
 * }</pre>
 *
 * <h2>Peers and sessions</h2>
 *
 * When the inner transport reports a peer connected, both sides start a handshake; this transport
 * reports the peer connected ({@link TransportListener#onPeerConnected}) only once the session is
 * established, and {@link #send} to a peer succeeds only then. The inner transport's loss of the
 * peer ends the session and is reported as usual. A peer that starts a new session while one is
 * established (it restarted) is reported disconnected and connected again, so that the layers above
 * resume with it as with any reconnect.
 *
 * <p>{@code identity} must be the identity the inner transport speaks for: peers bind a session to
 * the keys the inner transport names them by, so a different one fails every handshake.
 *
 * <h2>Bad frames</h2>
 *
 * A frame that fails authentication, names another session, or repeats or precedes a counter
 * already accepted is dropped before it reaches the listener, counted in {@link #counters()} and
 * reported through {@link TransportListener#onError} as {@link Reason#AUTHENTICATION_FAILED}
 * naming the peer it claims to come from; a plain (version 1) envelope is dropped as {@link
 * Reason#ENCRYPTION_REQUIRED}. The session stays up: only the holder of its keys can make frames
 * that pass, so a bad frame says that whatever relays the traffic altered or forged it. Counters
 * that skip values (frames lost on the way, or refused by the sender's inner transport, whose
 * counters are spent all the same) are accepted and counted as missing, not reported: loss is not
 * forgery.
 *
 * <h2>Limits</h2>
 *
 * {@link #maxMessageSize()} is the inner transport's less {@value Session#OVERHEAD} bytes (the
 * 18-byte session header and the 16-byte tag).
 *
 * <p>Each side uses a session only once it knows the other holds it (the initiator waits for the
 * responder's {@code finished}). A side that has no session with a connected peer 2 s after its
 * init, or still awaits that {@code finished} (a handshake frame lost, dropped by the relay or
 * refused by the inner transport), sends a fresh one, then after 4, 8, 16 and every 30 s until a
 * session forms or the peer goes, eight inits in all: a peer that answers none of them in 150 s is
 * given up on, reported through {@link TransportListener#onError} as {@link Reason#PEER_UNREACHABLE}
 * naming it, until it sends something again or the inner transport reports it connected anew.
 *
 * <h2>Inside</h2>
 *
 * This class is the facade: it holds the peers and sends. Behind it, each package-private and
 * tested on its own: {@code InboundFrames} handles the inner transport's events and sorts received
 * frames; {@code Handshaker} is the handshake state machine (with its retries, {@code RetryPolicy}
 * on a {@link TaskTimer}); {@code Session} seals and opens data frames, its {@code
 * ReplayWindow} refuses counters already passed; {@code PeerState} is what one side knows of one
 * peer; {@code RefusalCounts} is behind {@link #counters()}.
 *
 * <h2>Threading</h2>
 *
 * Handshakes and received frames are handled on the inner transport's callback thread (a retried init
 * goes out from one daemon thread shared by all sessions, which also reports a peer given up on), and
 * the listener is called on it, in order, as the inner transport would, and never while this transport
 * holds a lock of its own (a listener may block, or close this transport). {@link #send}, {@link
 * #queueSize}, {@link #counters()} and {@link #close()} are thread-safe and never block on the
 * network; sends to one peer are serialised by that peer's session (sealing is a few microseconds).
 */
public final class SecureTransport implements Transport {

    /**
     * Bytes a session adds to every message it seals: the data frame's 18-byte header (version, type,
     * session id, counter) and the 16-byte tag; the ciphertext is as long as the plaintext.
     */
    public static final int OVERHEAD_BYTES = Session.OVERHEAD;

    /**
     * How many frames this transport refused and why, and how many sessions formed. A snapshot; the
     * counts only grow.
     *
     * @param sessionsEstablished handshakes that completed
     * @param handshakesRejected handshake frames refused: bad signature, unexpected, malformed, or from a
     *     low-order key
     * @param framesRejected data frames that failed authentication
     * @param framesReplayed data frames that authenticated but whose counter was not above the last accepted
     * @param framesMissing counters skipped between accepted frames (frames lost or held back on the way,
     *     or refused by the sender's inner transport); loss, not reported through {@code onError}
     * @param framesUnknownSession data frames for a session this side does not hold
     * @param framesMalformed frames too short or of an unknown type
     * @param plaintextRefused plain (version 1) envelopes refused
     */
    public record Counters(
            long sessionsEstablished,
            long handshakesRejected,
            long framesRejected,
            long framesReplayed,
            long framesMissing,
            long framesUnknownSession,
            long framesMalformed,
            long plaintextRefused) {

        /** Every refused or missing frame, for a quick "did anything go wrong" check. */
        public long refusedTotal() {
            return handshakesRejected
                    + framesRejected
                    + framesReplayed
                    + framesMissing
                    + framesUnknownSession
                    + framesMalformed
                    + plaintextRefused;
        }
    }

    /** One daemon thread for every transport's handshake retries: each retry is a key pair and a send. */
    private static final TaskTimer RETRY_TIMER = TaskTimer.daemon("ensemble-session-retries");

    private final Transport inner;
    private final PeerIdentity identity;
    private final PeerId self;
    private final String context;
    private final SecureRandom random;
    private final TaskTimer scheduler;
    private final RetryPolicy retries;
    private final Map<PeerId, PeerState> peers = new ConcurrentHashMap<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final RefusalCounts counts = new RefusalCounts();
    private volatile boolean closed;

    private SecureTransport(
            Transport inner,
            PeerIdentity identity,
            String context,
            SecureRandom random,
            TaskTimer scheduler,
            RetryPolicy retries) {
        this.inner = inner;
        this.scheduler = scheduler;
        this.retries = retries;
        this.identity = identity;
        this.self = identity.peerId();
        this.context = context;
        SessionKeys.context(context); // checks its length now rather than at the first handshake
        this.random = random;
        if (inner.maxMessageSize() <= Session.OVERHEAD) {
            throw new IllegalArgumentException("transport " + inner.name() + " carries at most "
                    + inner.maxMessageSize() + " bytes per message; sessions need more than " + Session.OVERHEAD);
        }
    }

    /**
     * Wraps a transport; nothing happens until {@link #start}.
     *
     * @param inner the transport that carries the frames, not started; this transport owns it from now on
     *     (starts and closes it)
     * @param identity the identity {@code inner} speaks for (see the class comment)
     * @param context what sessions are bound to: the room's name (1 to 255 bytes of UTF-8); both sides must
     *     pass the same
     * @return the wrapping transport
     * @throws IllegalArgumentException if the context is empty or too long, or {@code inner} carries messages
     *     too small to hold a session frame
     */
    public static SecureTransport wrap(Transport inner, PeerIdentity identity, String context) {
        return new SecureTransport(
                Objects.requireNonNull(inner, "inner"),
                Objects.requireNonNull(identity, "identity"),
                Objects.requireNonNull(context, "context"),
                new SecureRandom(),
                RETRY_TIMER,
                RetryPolicy.DEFAULT);
    }

    /** As {@link #wrap(Transport, PeerIdentity, String)}, with the retries on a given clock and policy (tests). */
    static SecureTransport wrap(
            Transport inner, PeerIdentity identity, String context, TaskTimer scheduler, RetryPolicy retries) {
        return new SecureTransport(
                Objects.requireNonNull(inner, "inner"),
                Objects.requireNonNull(identity, "identity"),
                Objects.requireNonNull(context, "context"),
                new SecureRandom(),
                Objects.requireNonNull(scheduler, "scheduler"),
                Objects.requireNonNull(retries, "retries"));
    }

    /**
     * Returns the inner transport's name with {@code "+sealed"}, e.g. {@code "websocket+sealed"}.
     * Thread-safe.
     */
    @Override
    public String name() {
        return inner.name() + "+sealed";
    }

    /** The inner transport's limit less the session overhead. Thread-safe. */
    @Override
    public int maxMessageSize() {
        return inner.maxMessageSize() - Session.OVERHEAD;
    }

    /** The transport this one wraps. Thread-safe. */
    public Transport inner() {
        return inner;
    }

    /** What has been refused so far, and how many sessions formed. Thread-safe. */
    public Counters counters() {
        return counts.snapshot();
    }

    @Override
    public void start(TransportListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (closed || !started.compareAndSet(false, true)) {
            throw new IllegalStateException("a SecureTransport can be started once; this one "
                    + (closed ? "is closed" : "was started already") + " (" + name() + ", " + context + ")");
        }
        Handshaker handshaker = new Handshaker(
                identity,
                context,
                random,
                inner::send,
                scheduler,
                retries,
                counts,
                peer -> !closed && peers.get(peer.id) == peer,
                gaveUp -> {
                    if (!closed) {
                        listener.onError(gaveUp);
                    }
                });
        inner.start(new InboundFrames(listener, peers, handshaker, counts, context, () -> closed));
    }

    @Override
    public boolean send(PeerId to, byte[] message) {
        if (closed || message == null || message.length > maxMessageSize()) {
            return false;
        }
        PeerState peer = peers.get(to);
        Session session = peer == null ? null : peer.session;
        if (session == null) {
            return false;
        }
        return session.sendNext(message, frame -> inner.send(to, frame));
    }

    /** The inner transport's queue for the peer while a session with it is established, else zero. */
    @Override
    public int queueSize(PeerId peer) {
        PeerState state = peers.get(peer);
        return state == null || state.session == null ? 0 : inner.queueSize(peer);
    }

    @Override
    public void close() {
        closed = true;
        inner.close();
        for (PeerState peer : peers.values()) {
            peer.cancelRetry();
        }
        peers.clear();
    }

    @Override
    public String toString() {
        return "SecureTransport[" + inner + ", context " + context + ", peer " + self.shortForm() + "]";
    }
}
