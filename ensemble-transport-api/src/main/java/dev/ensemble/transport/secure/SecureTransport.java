package dev.ensemble.transport.secure;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.TransportException;
import dev.ensemble.transport.TransportException.Reason;
import dev.ensemble.transport.TransportListener;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import javax.crypto.AEADBadTagException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A transport whose traffic is encrypted and authenticated end to end: it wraps another transport
 * (typically the WebSocket relay through the signaling server) and holds one session with each
 * peer, so that whatever carries the bytes can read none of them and can alter, replay, reorder,
 * drop or inject frames only to have them refused. The design, threat model and byte layouts are
 * in {@code docs/SECURITY.md}: an X25519 handshake signed by both peers' {@code did:key}s and bound
 * to the room, HKDF-SHA256 keys per direction, ChaCha20-Poly1305 with counters; the JDK's own
 * primitives only.
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

    private static final Logger log = LoggerFactory.getLogger(SecureTransport.class);

    private final Transport inner;
    private final PeerIdentity identity;
    private final PeerId self;
    private final String context;
    private final byte[] contextBytes;
    private final SecureRandom random;
    private final RetryScheduler scheduler;
    private final RetryPolicy retries;
    /** The listener, once started; the retry thread reports a peer given up on to it. */
    private volatile TransportListener outer;

    private final Map<PeerId, Peer> peers = new ConcurrentHashMap<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean closed;

    private final AtomicLong sessionsEstablished = new AtomicLong();
    private final AtomicLong handshakesRejected = new AtomicLong();
    private final AtomicLong framesRejected = new AtomicLong();
    private final AtomicLong framesReplayed = new AtomicLong();
    private final AtomicLong framesMissing = new AtomicLong();
    private final AtomicLong framesUnknownSession = new AtomicLong();
    private final AtomicLong framesMalformed = new AtomicLong();
    private final AtomicLong plaintextRefused = new AtomicLong();

    private SecureTransport(
            Transport inner,
            PeerIdentity identity,
            String context,
            SecureRandom random,
            RetryScheduler scheduler,
            RetryPolicy retries) {
        this.inner = inner;
        this.scheduler = scheduler;
        this.retries = retries;
        this.identity = identity;
        this.self = identity.peerId();
        this.context = context;
        this.contextBytes = SessionKeys.context(context);
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
                RetryScheduler.shared(),
                RetryPolicy.DEFAULT);
    }

    /** As {@link #wrap(Transport, PeerIdentity, String)}, with the retries on a given clock and policy (tests). */
    static SecureTransport wrap(
            Transport inner, PeerIdentity identity, String context, RetryScheduler scheduler, RetryPolicy retries) {
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
        return new Counters(
                sessionsEstablished.get(),
                handshakesRejected.get(),
                framesRejected.get(),
                framesReplayed.get(),
                framesMissing.get(),
                framesUnknownSession.get(),
                framesMalformed.get(),
                plaintextRefused.get());
    }

    @Override
    public void start(TransportListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (closed || !started.compareAndSet(false, true)) {
            throw new IllegalStateException("a SecureTransport can be started once; this one "
                    + (closed ? "is closed" : "was started already") + " (" + name() + ", " + context + ")");
        }
        outer = listener;
        inner.start(new InnerListener(listener));
    }

    @Override
    public boolean send(PeerId to, byte[] message) {
        if (closed || message == null || message.length > maxMessageSize()) {
            return false;
        }
        Peer peer = peers.get(to);
        Session session = peer == null ? null : peer.session;
        if (session == null) {
            return false;
        }
        return session.sendNext(message, frame -> inner.send(to, frame));
    }

    /** The inner transport's queue for the peer while a session with it is established, else zero. */
    @Override
    public int queueSize(PeerId peer) {
        Peer state = peers.get(peer);
        return state == null || state.session == null ? 0 : inner.queueSize(peer);
    }

    @Override
    public void close() {
        closed = true;
        inner.close();
        for (Peer peer : peers.values()) {
            synchronized (peer) {
                if (peer.retry != null) {
                    peer.retry.cancel();
                }
            }
        }
        peers.clear();
    }

    @Override
    public String toString() {
        return "SecureTransport[" + inner + ", context " + context + ", peer " + self.shortForm() + "]";
    }

    /**
     * What this side knows of one peer. The handshake fields are guarded by the object's own lock (the
     * callback thread and the retry thread both start handshakes); {@code previous} and {@code reported}
     * are touched on the callback thread only.
     */
    private static final class Peer {
        final PeerId id;
        /** The established session; read by senders. */
        volatile Session session;
        /** The session before the current one, whose late frames are dropped quietly. */
        Session previous;
        /** Whether the listener has been told this peer is connected. */
        boolean reported;

        /** This side's pending init: its nonce and ephemeral key. */
        byte[] initNonce;

        X25519.Ephemeral initEphemeral;
        /**
         * This side's answers to the peer's inits that await a confirm, keyed by the init's nonce (hex),
         * oldest first; a few only, so that a replayed old init cannot push out the genuine one.
         */
        final Map<String, Handshake> responded = new LinkedHashMap<>();

        /**
         * As initiator: the handshake this side confirmed last, awaiting the peer's finished. A retried
         * init leaves it: its finished, if it comes, still proves the peer holds those keys.
         */
        Handshake confirmed;

        /** The pending retry of this side's init, if any. */
        RetryScheduler.Cancellable retry;

        /** Inits sent since the last session formed or the last resumption; bounded by the policy. */
        int initsSent;

        /**
         * Whether this side gave up on the peer: it answered none of the policy's inits. Volatile: set
         * on the retry thread, read first without the lock by the callback thread.
         */
        volatile boolean gaveUp;

        /** How many inits this side may answer now (see {@code INIT_BURST}), and when it was counted. */
        double initBudget = INIT_BURST;

        long initBudgetAt = System.nanoTime();

        Peer(PeerId id) {
            this.id = id;
        }
    }

    /** One handshake in progress: both nonces, the transcript hash and the keys derived from it. */
    private record Handshake(byte[] initNonce, byte[] responderNonce, byte[] transcript, SessionKeys keys) {

        boolean matches(byte[] nI, byte[] nR) {
            return Arrays.equals(nI, initNonce) && Arrays.equals(nR, responderNonce);
        }
    }

    /**
     * How many inits from one peer this side answers at once; one more every {@link #INIT_REFILL}. Each
     * answer costs a key agreement and a signature, so a relay replaying or forging inits cannot make a
     * peer spend them without bound; a genuine peer sends one per retry (2 s or more apart) or reconnect.
     */
    private static final int INIT_BURST = 4;

    private static final Duration INIT_REFILL = Duration.ofMillis(500);

    /** How many unconfirmed answers a peer keeps (see {@link Peer#responded}). */
    private static final int MAX_PENDING_ANSWERS = 4;

    /** Runs on the inner transport's callback thread. */
    private final class InnerListener extends TransportListener {
        private final TransportListener outer;
        /**
         * Listener calls a handshake frame caused, made once the peer's lock is released: a listener
         * may block, or call into this transport from another thread ({@link #close} takes the lock).
         */
        private final List<Runnable> later = new ArrayList<>();

        private boolean deferring;

        InnerListener(TransportListener outer) {
            this.outer = outer;
        }

        @Override
        public void onPeerConnected(PeerId id) {
            if (closed) {
                return;
            }
            Peer replaced = peers.put(id, new Peer(id));
            if (replaced != null) {
                synchronized (replaced) {
                    if (replaced.retry != null) {
                        replaced.retry.cancel();
                    }
                }
            }
            if (replaced != null && replaced.reported) {
                // The inner transport reports a reconnect without a loss in between: the old session is gone.
                outer.onPeerDisconnected(id, "the connection was replaced; a new session is being set up");
            }
            Peer peer = peers.get(id);
            synchronized (peer) {
                sendInit(peer);
            }
        }

        @Override
        public void onPeerDisconnected(PeerId id, String reason) {
            Peer gone = peers.remove(id);
            if (gone != null) {
                synchronized (gone) {
                    if (gone.retry != null) {
                        gone.retry.cancel();
                    }
                }
            }
            if (gone != null && gone.reported && !closed) {
                outer.onPeerDisconnected(id, reason);
            }
        }

        @Override
        public void onUnsent(PeerId id, List<byte[]> frames) {
            Peer peer = peers.get(id);
            Session session = peer == null ? null : peer.session;
            List<byte[]> plaintexts = new ArrayList<>(frames.size());
            for (byte[] frame : frames) {
                if (session != null && isData(frame) && session.owns(frame)) {
                    try {
                        plaintexts.add(session.openOwn(frame));
                    } catch (AEADBadTagException e) {
                        log.warn("an unsent frame to {} does not open with its own key; dropped ({})", id, context);
                    }
                }
            }
            if (!plaintexts.isEmpty() && !closed) {
                outer.onUnsent(id, plaintexts);
            }
        }

        @Override
        public void onError(TransportException error) {
            if (!closed) {
                outer.onError(error);
            }
        }

        @Override
        public void onMessage(PeerId from, byte[] frame) {
            if (closed) {
                return;
            }
            Peer peer = peers.get(from);
            if (peer == null) {
                log.debug(
                        "frame from {}, which the inner transport has not reported connected, dropped ({})",
                        from,
                        context);
                return;
            }
            if (peer.gaveUp) {
                resume(peer, frame);
            }
            if (frame.length >= 1 && frame[0] == SessionFrames.PLAIN_ENVELOPE_VERSION) {
                plaintextRefused.incrementAndGet();
                report(
                        Reason.ENCRYPTION_REQUIRED,
                        from,
                        "peer " + from + " sent an unencrypted frame (envelope version 1);"
                                + " this peer requires encrypted sessions (frame version 2): upgrade peer "
                                + from.shortForm()
                                + " or turn encryption off on both sides; the frame was dropped");
                return;
            }
            if (frame.length < 2 || frame[0] != SessionFrames.VERSION) {
                malformed(
                        from,
                        "a frame of " + frame.length + " bytes starting with "
                                + (frame.length == 0 ? "nothing" : String.format("0x%02x", frame[0]))
                                + " is neither a session frame (0x02) nor an envelope");
                return;
            }
            switch (frame[1]) {
                case SessionFrames.DATA -> onData(peer, frame);
                case SessionFrames.INIT -> handshake(peer, frame, this::onInit);
                case SessionFrames.ACCEPT -> handshake(peer, frame, this::onAccept);
                case SessionFrames.CONFIRM -> handshake(peer, frame, this::onConfirm);
                case SessionFrames.FINISHED -> handshake(peer, frame, this::onFinished);
                default -> malformed(from, "session frame of " + SessionFrames.typeName(frame[1]));
            }
        }

        /**
         * A peer this side gave up on sent something: it is there again. Its init is answered as any
         * (this side abandoned its own when it gave up, so no glare holds it back); anything else makes
         * this side start a handshake again, with a fresh allowance of retries.
         */
        private void resume(Peer peer, byte[] frame) {
            synchronized (peer) {
                if (!peer.gaveUp) {
                    return;
                }
                peer.gaveUp = false;
                peer.initsSent = 0;
                log.info("peer {} is heard from again; resuming session handshakes ({})", peer.id, context);
                boolean init = frame.length >= 2 && frame[0] == SessionFrames.VERSION && frame[1] == SessionFrames.INIT;
                if (!init) {
                    sendInit(peer);
                }
            }
        }

        /** Handles a handshake frame under the peer's lock, then makes the listener calls it caused. */
        private void handshake(Peer peer, byte[] frame, BiConsumer<Peer, byte[]> handler) {
            deferring = true;
            try {
                synchronized (peer) {
                    handler.accept(peer, frame);
                }
            } finally {
                deferring = false;
            }
            List<Runnable> calls = new ArrayList<>(later);
            later.clear();
            calls.forEach(Runnable::run);
        }

        /** Calls the listener now, or once the peer's lock is released if a handshake frame holds it. */
        private void tell(Runnable call) {
            if (deferring) {
                later.add(call);
            } else {
                call.run();
            }
        }

        private void onData(Peer peer, byte[] frame) {
            if (frame.length < Session.OVERHEAD) {
                malformed(
                        peer.id,
                        "data frame of " + frame.length + " bytes, shorter than its " + Session.OVERHEAD
                                + "-byte header and tag");
                return;
            }
            Session session = peer.session;
            if (session == null || !session.owns(frame)) {
                framesUnknownSession.incrementAndGet();
                if (peer.previous != null && peer.previous.owns(frame)) {
                    log.debug("late frame of {}'s previous session dropped ({})", peer.id, context);
                } else {
                    report(
                            Reason.AUTHENTICATION_FAILED,
                            peer.id,
                            "a data frame claiming to come from peer " + peer.id
                                    + " names a session this peer does not hold; dropped (replayed from an old session,"
                                    + " or forged by the relay)");
                }
                return;
            }
            Session.Opened opened;
            try {
                opened = session.open(frame);
            } catch (AEADBadTagException e) {
                framesRejected.incrementAndGet();
                report(
                        Reason.AUTHENTICATION_FAILED,
                        peer.id,
                        "a data frame claiming to come from peer " + peer.id
                                + " failed authentication and was dropped: altered in transit or forged, by the relay"
                                + " (only peer " + peer.id.shortForm() + " and this peer hold the session's keys)");
                return;
            } catch (Session.ReplayException e) {
                framesReplayed.incrementAndGet();
                report(
                        Reason.AUTHENTICATION_FAILED,
                        peer.id,
                        "a data frame from peer " + peer.id
                                + " arrived again or out of order and was dropped: " + e.getMessage()
                                + "; the relay replayed or reordered it");
                return;
            }
            if (opened.skipped() != 0) {
                // Loss, not forgery: a relay or a full queue dropped frames, or held them back (they
                // are refused as replays if they come later), or the sender's inner transport refused
                // them. Counted, not reported as an authentication failure.
                framesMissing.addAndGet(opened.skipped());
                log.debug(
                        "{} frame(s) from {} never arrived (their counters were skipped) ({})",
                        opened.skipped(),
                        peer.id,
                        context);
            }
            outer.onMessage(peer.id, opened.plaintext());
        }

        private void onInit(Peer peer, byte[] frame) {
            if (frame.length != SessionFrames.INIT_BYTES) {
                handshakeMalformed(peer.id, "init", frame.length, SessionFrames.INIT_BYTES);
                return;
            }
            if (peer.initNonce != null && self.toString().compareTo(peer.id.toString()) < 0) {
                // Glare: both sides sent init; the peer whose id sorts first keeps its own.
                log.debug("init from {} ignored: ours is pending and our id sorts first ({})", peer.id, context);
                return;
            }
            if (!takeInitBudget(peer)) {
                handshakesRejected.incrementAndGet();
                log.debug("init from {} dropped: more than {} at once ({})", peer.id, INIT_BURST, context);
                return;
            }
            peer.initNonce = null;
            peer.initEphemeral = null;
            byte[] nI = SessionFrames.slice(frame, 2, SessionKeys.NONCE_BYTES);
            byte[] eI = SessionFrames.slice(frame, 2 + SessionKeys.NONCE_BYTES, X25519.KEY_BYTES);
            byte[] nR = nonce();
            X25519.Ephemeral ephemeral = X25519.generate(random);
            byte[] eR = ephemeral.publicKey();
            byte[] th = SessionKeys.transcriptHash(contextBytes, peer.id.publicKey(), self.publicKey(), nI, nR, eI, eR);
            SessionKeys keys;
            try {
                keys = SessionKeys.derive(th, ephemeral.agree(eI));
            } catch (GeneralSecurityException e) {
                handshakeRejected(peer.id, "its init carries an unusable X25519 key (" + e.getMessage() + ")");
                return;
            }
            byte[] sigR = identity.sign(SessionKeys.responderSigned(th));
            if (!inner.send(peer.id, SessionFrames.frame(SessionFrames.ACCEPT, nI, nR, eR, sigR))) {
                // Nothing to wait for: the initiator, without a session, retries its init.
                log.debug("accept to {} refused by the inner transport ({})", peer.id, context);
                return;
            }
            String key = HexFormat.of().formatHex(nI);
            peer.responded.remove(key);
            if (peer.responded.size() >= MAX_PENDING_ANSWERS) {
                Iterator<String> oldest = peer.responded.keySet().iterator();
                oldest.next();
                oldest.remove();
            }
            peer.responded.put(key, new Handshake(nI, nR, th, keys));
        }

        private void onAccept(Peer peer, byte[] frame) {
            if (frame.length != SessionFrames.ACCEPT_BYTES) {
                handshakeMalformed(peer.id, "accept", frame.length, SessionFrames.ACCEPT_BYTES);
                return;
            }
            int at = 2;
            byte[] nI = SessionFrames.slice(frame, at, SessionKeys.NONCE_BYTES);
            at += SessionKeys.NONCE_BYTES;
            byte[] nR = SessionFrames.slice(frame, at, SessionKeys.NONCE_BYTES);
            at += SessionKeys.NONCE_BYTES;
            byte[] eR = SessionFrames.slice(frame, at, X25519.KEY_BYTES);
            at += X25519.KEY_BYTES;
            byte[] sigR = SessionFrames.slice(frame, at, SessionFrames.SIGNATURE_BYTES);
            if (peer.initNonce == null || !Arrays.equals(nI, peer.initNonce)) {
                // A late answer to an init this side has since replaced, or a replayed one.
                handshakesRejected.incrementAndGet();
                log.debug("accept from {} for an init this peer does not have pending dropped ({})", peer.id, context);
                return;
            }
            byte[] eI = peer.initEphemeral.publicKey();
            byte[] th = SessionKeys.transcriptHash(contextBytes, self.publicKey(), peer.id.publicKey(), nI, nR, eI, eR);
            if (!peer.id.verify(SessionKeys.responderSigned(th), sigR)) {
                handshakeRejected(
                        peer.id,
                        "its accept is not signed by " + peer.id.shortForm()
                                + " over this handshake (a relay in the middle, or an answer made for another peer or room)");
                return;
            }
            SessionKeys keys;
            try {
                keys = SessionKeys.derive(th, peer.initEphemeral.agree(eR));
            } catch (GeneralSecurityException e) {
                handshakeRejected(peer.id, "its accept carries an unusable X25519 key (" + e.getMessage() + ")");
                return;
            }
            peer.initNonce = null;
            peer.initEphemeral = null;
            byte[] sigI = identity.sign(SessionKeys.initiatorSigned(th));
            if (!inner.send(peer.id, SessionFrames.frame(SessionFrames.CONFIRM, nI, nR, sigI))) {
                // The responder will not hold the session; the retry, still scheduled, starts afresh.
                log.debug("confirm to {} refused by the inner transport ({})", peer.id, context);
                return;
            }
            // The session is used only once the responder says, in finished, that it holds it too: a
            // confirm lost on the way must not leave this side sending under keys the peer never took.
            peer.confirmed = new Handshake(nI, nR, th, keys);
        }

        private void onConfirm(Peer peer, byte[] frame) {
            if (frame.length != SessionFrames.CONFIRM_BYTES) {
                handshakeMalformed(peer.id, "confirm", frame.length, SessionFrames.CONFIRM_BYTES);
                return;
            }
            byte[] nI = SessionFrames.slice(frame, 2, SessionKeys.NONCE_BYTES);
            byte[] nR = SessionFrames.slice(frame, 2 + SessionKeys.NONCE_BYTES, SessionKeys.NONCE_BYTES);
            byte[] sigI = SessionFrames.slice(frame, 2 + 2 * SessionKeys.NONCE_BYTES, SessionFrames.SIGNATURE_BYTES);
            Handshake answered = peer.responded.get(HexFormat.of().formatHex(nI));
            if (answered == null || !answered.matches(nI, nR)) {
                handshakesRejected.incrementAndGet();
                log.debug(
                        "confirm from {} for an accept this peer does not have pending dropped ({})", peer.id, context);
                return;
            }
            if (!peer.id.verify(SessionKeys.initiatorSigned(answered.transcript()), sigI)) {
                handshakeRejected(
                        peer.id,
                        "its confirm is not signed by " + peer.id.shortForm()
                                + " over this handshake (a relay in the middle, or a confirm made for another handshake)");
                return;
            }
            byte[] sigF = identity.sign(SessionKeys.finishedSigned(answered.transcript()));
            if (!inner.send(peer.id, SessionFrames.frame(SessionFrames.FINISHED, nI, nR, sigF))) {
                // The initiator, without finished, keeps retrying; its next handshake replaces this one.
                log.debug("finished to {} refused by the inner transport ({})", peer.id, context);
            }
            establish(peer, Session.asResponder(answered.keys()));
        }

        private void onFinished(Peer peer, byte[] frame) {
            if (frame.length != SessionFrames.FINISHED_BYTES) {
                handshakeMalformed(peer.id, "finished", frame.length, SessionFrames.FINISHED_BYTES);
                return;
            }
            byte[] nI = SessionFrames.slice(frame, 2, SessionKeys.NONCE_BYTES);
            byte[] nR = SessionFrames.slice(frame, 2 + SessionKeys.NONCE_BYTES, SessionKeys.NONCE_BYTES);
            byte[] sigF = SessionFrames.slice(frame, 2 + 2 * SessionKeys.NONCE_BYTES, SessionFrames.SIGNATURE_BYTES);
            Handshake confirmed = peer.confirmed;
            if (confirmed == null || !confirmed.matches(nI, nR)) {
                handshakesRejected.incrementAndGet();
                log.debug(
                        "finished from {} for a confirm this peer does not have pending dropped ({})",
                        peer.id,
                        context);
                return;
            }
            if (!peer.id.verify(SessionKeys.finishedSigned(confirmed.transcript()), sigF)) {
                handshakeRejected(
                        peer.id,
                        "its finished is not signed by " + peer.id.shortForm()
                                + " over this handshake (a relay in the middle, or a finished made for another handshake)");
                return;
            }
            establish(peer, Session.asInitiator(confirmed.keys()));
        }

        private void establish(Peer peer, Session session) {
            if (peer.retry != null) {
                peer.retry.cancel();
                peer.retry = null;
            }
            peer.initsSent = 0;
            peer.gaveUp = false;
            // Every other handshake in progress is stale now: a late answer to a retried init, or a
            // confirm for an older answer, must not start a second session.
            peer.initNonce = null;
            peer.initEphemeral = null;
            peer.responded.clear();
            peer.confirmed = null;
            peer.previous = peer.session;
            peer.session = session;
            sessionsEstablished.incrementAndGet();
            log.debug("session {} with {} established ({})", session.idHex(), peer.id, context);
            if (peer.reported) {
                tell(() ->
                        outer.onPeerDisconnected(peer.id, "peer started a new session (it restarted or reconnected)"));
            }
            peer.reported = true;
            tell(() -> outer.onPeerConnected(peer.id));
        }

        private void handshakeRejected(PeerId from, String why) {
            handshakesRejected.incrementAndGet();
            report(Reason.AUTHENTICATION_FAILED, from, "session handshake with peer " + from + " refused: " + why);
        }

        private void handshakeMalformed(PeerId from, String type, int length, int expected) {
            handshakesRejected.incrementAndGet();
            report(
                    Reason.AUTHENTICATION_FAILED,
                    from,
                    "session handshake with peer " + from + " refused: its " + type + " frame has " + length
                            + " bytes, expected " + expected);
        }

        private void malformed(PeerId from, String what) {
            framesMalformed.incrementAndGet();
            report(Reason.PROTOCOL_ERROR, from, "malformed frame from peer " + from + " dropped: " + what);
        }

        private void report(Reason reason, PeerId peer, String message) {
            log.warn("{} ({})", message, context);
            TransportException error = new TransportException(reason, context, peer, message, null);
            tell(() -> outer.onError(error));
        }
    }

    /**
     * Sends an init to {@code peer} and schedules its retry: if no session with the peer is established
     * by then (a handshake frame was lost, or dropped by the relay), a fresh init goes out after the
     * policy's wait, doubling up to its longest; after its last init the retry gives up instead. The
     * caller holds the peer's lock.
     */
    private void sendInit(Peer peer) {
        peer.initNonce = nonce();
        peer.initEphemeral = X25519.generate(random);
        inner.send(peer.id, SessionFrames.frame(SessionFrames.INIT, peer.initNonce, peer.initEphemeral.publicKey()));
        peer.initsSent++;
        if (peer.retry != null) {
            peer.retry.cancel();
        }
        peer.retry = scheduler.schedule(() -> retryHandshake(peer), retries.waitAfter(peer.initsSent));
    }

    /** Whether {@code peer} may have one more init answered now; the caller holds its lock. */
    private static boolean takeInitBudget(Peer peer) {
        long now = System.nanoTime();
        double refilled = (double) (now - peer.initBudgetAt) / INIT_REFILL.toNanos();
        peer.initBudget = Math.min(INIT_BURST, peer.initBudget + refilled);
        peer.initBudgetAt = now;
        if (peer.initBudget < 1) {
            return false;
        }
        peer.initBudget -= 1;
        return true;
    }

    /** Runs on the retry scheduler's thread. */
    private void retryHandshake(Peer peer) {
        TransportException gaveUp;
        synchronized (peer) {
            if (closed || peers.get(peer.id) != peer || (peer.session != null && peer.confirmed == null)) {
                return;
            }
            if (peer.initsSent < retries.maxInits()) {
                log.debug("no session with {} yet; sending a fresh init ({})", peer.id, context);
                sendInit(peer);
                return;
            }
            // Abandon the pending init too: should the peer come back with an init of its own, this
            // side answers it rather than holding out, by glare, for an answer to an init it never saw.
            peer.retry = null;
            peer.gaveUp = true;
            peer.initNonce = null;
            peer.initEphemeral = null;
            String message = "no session with peer " + peer.id + ": it answered none of " + peer.initsSent
                    + " session inits over " + retries.giveUpAfter().toSeconds() + " s (it is gone while the relay"
                    + " still lists it, or it does not speak encrypted sessions); giving up until it reconnects or"
                    + " sends again";
            log.warn("{} ({})", message, context);
            gaveUp = new TransportException(Reason.PEER_UNREACHABLE, context, peer.id, message, null);
        }
        TransportListener listener = outer;
        if (listener != null && !closed) {
            listener.onError(gaveUp);
        }
    }

    private static boolean isData(byte[] frame) {
        return frame.length >= Session.OVERHEAD && frame[0] == SessionFrames.VERSION && frame[1] == SessionFrames.DATA;
    }

    private byte[] nonce() {
        byte[] nonce = new byte[SessionKeys.NONCE_BYTES];
        random.nextBytes(nonce);
        return nonce;
    }
}
