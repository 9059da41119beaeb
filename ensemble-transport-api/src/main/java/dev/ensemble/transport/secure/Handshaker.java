package dev.ensemble.transport.secure;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.TaskTimer;
import dev.ensemble.transport.TransportException;
import dev.ensemble.transport.TransportException.Reason;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. The handshake state machine of one side (docs/SECURITY.md, "Handshake and key
 * schedule"): it sends this side's {@code init} and its retries, answers the peer's {@code init}
 * with {@code accept}, confirms an {@code accept}, answers a {@code confirm} with {@code finished},
 * and establishes the session in a {@link PeerState} once each side knows the other holds the keys.
 * It knows nothing of data frames or of the listener: what it decides reaches the caller through
 * {@link Events}.
 *
 * <pre>
 *   initiator                                   responder
 *   start: init(nI, eI) ---------------------->  onInit: accept(nI, nR, eR, sigR), answer kept
 *   onAccept: confirm(nI, nR, sigI) <----------
 *             ------------------------------->  onConfirm: finished(nI, nR, sigF), established
 *   onFinished: established  <-----------------
 * </pre>
 *
 * <p>Threading: {@link #start}, {@link #onFrame} and {@link #resume} are called on the inner
 * transport's callback thread and take the peer's lock; the retries run on the {@link
 * TaskTimer}'s thread and take it too. {@link Events} are called with the lock held, so they
 * must only record what to tell the listener later.
 */
final class Handshaker {

    /** What a handshake frame led to; called with the peer's lock held. */
    interface Events {
        /** A session with {@code peer} is established (after {@link #disconnected} if it replaces one told). */
        void connected(PeerId peer);

        /** The session the listener was told of is replaced by a new one. */
        void disconnected(PeerId peer, String reason);

        /** A handshake frame was refused; {@code message} says why and names the peer. */
        void refused(PeerId peer, String message);
    }

    /**
     * How many inits from one peer this side answers at once; one more every {@link #INIT_REFILL}. Each
     * answer costs a key agreement and a signature, so a relay replaying or forging inits cannot make a
     * peer spend them without bound; a genuine peer sends one per retry (2 s or more apart) or reconnect.
     */
    static final int INIT_BURST = 4;

    static final Duration INIT_REFILL = Duration.ofMillis(500);

    /** How many unconfirmed answers a peer keeps (see {@link PeerState#responded}). */
    static final int MAX_PENDING_ANSWERS = 4;

    // Logged as SecureTransport, as before the split: whoever configured that logger keeps these lines.
    private static final Logger log = LoggerFactory.getLogger(SecureTransport.class);

    private final PeerIdentity identity;
    private final PeerId self;
    private final String context;
    private final byte[] contextBytes;
    private final SecureRandom random;
    private final BiPredicate<PeerId, byte[]> send;
    private final TaskTimer scheduler;
    private final RetryPolicy retries;
    private final RefusalCounts counts;
    private final Predicate<PeerState> current;
    private final Consumer<TransportException> gaveUp;

    /**
     * @param send hands a frame to the inner transport; false if it refused it
     * @param current whether a peer's state is still the one its transport holds (open, not replaced)
     * @param gaveUp told, on the retry thread and without a lock, of a peer this side gave up on
     */
    Handshaker(
            PeerIdentity identity,
            String context,
            SecureRandom random,
            BiPredicate<PeerId, byte[]> send,
            TaskTimer scheduler,
            RetryPolicy retries,
            RefusalCounts counts,
            Predicate<PeerState> current,
            Consumer<TransportException> gaveUp) {
        this.identity = identity;
        this.self = identity.peerId();
        this.context = context;
        this.contextBytes = SessionKeys.context(context);
        this.random = random;
        this.send = send;
        this.scheduler = scheduler;
        this.retries = retries;
        this.counts = counts;
        this.current = current;
        this.gaveUp = gaveUp;
    }

    /** Starts a handshake with a peer the inner transport reports connected: sends this side's init. */
    void start(PeerState peer) {
        synchronized (peer) {
            sendInit(peer);
        }
    }

    /** Handles an {@code init}, {@code accept}, {@code confirm} or {@code finished} frame from {@code peer}. */
    void onFrame(PeerState peer, byte[] frame, Events events) {
        synchronized (peer) {
            switch (frame[1]) {
                case SessionFrames.INIT -> onInit(peer, frame, events);
                case SessionFrames.ACCEPT -> onAccept(peer, frame, events);
                case SessionFrames.CONFIRM -> onConfirm(peer, frame, events);
                case SessionFrames.FINISHED -> onFinished(peer, frame, events);
                default ->
                    throw new IllegalArgumentException("not a handshake frame: " + SessionFrames.typeName(frame[1]));
            }
        }
    }

    /**
     * A peer this side gave up on sent something: it is there again. Its init is answered as any (this
     * side abandoned its own when it gave up, so no glare holds it back); anything else makes this side
     * start a handshake again, with a fresh allowance of retries.
     */
    void resume(PeerState peer, byte[] frame) {
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

    private void onInit(PeerState peer, byte[] frame, Events events) {
        if (frame.length != SessionFrames.INIT_BYTES) {
            malformed(peer.id, "init", frame.length, SessionFrames.INIT_BYTES, events);
            return;
        }
        if (peer.initNonce != null && self.toString().compareTo(peer.id.toString()) < 0) {
            // Glare: both sides sent init; the peer whose id sorts first keeps its own.
            log.debug("init from {} ignored: ours is pending and our id sorts first ({})", peer.id, context);
            return;
        }
        if (!takeInitBudget(peer)) {
            counts.handshakesRejected.incrementAndGet();
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
            rejected(peer.id, "its init carries an unusable X25519 key (" + e.getMessage() + ")", events);
            return;
        }
        byte[] sigR = identity.sign(SessionKeys.responderSigned(th));
        if (!send.test(peer.id, SessionFrames.frame(SessionFrames.ACCEPT, nI, nR, eR, sigR))) {
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
        peer.responded.put(key, new PendingHandshake(nI, nR, th, keys));
    }

    private void onAccept(PeerState peer, byte[] frame, Events events) {
        if (frame.length != SessionFrames.ACCEPT_BYTES) {
            malformed(peer.id, "accept", frame.length, SessionFrames.ACCEPT_BYTES, events);
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
            counts.handshakesRejected.incrementAndGet();
            log.debug("accept from {} for an init this peer does not have pending dropped ({})", peer.id, context);
            return;
        }
        byte[] eI = peer.initEphemeral.publicKey();
        byte[] th = SessionKeys.transcriptHash(contextBytes, self.publicKey(), peer.id.publicKey(), nI, nR, eI, eR);
        if (!peer.id.verify(SessionKeys.responderSigned(th), sigR)) {
            rejected(
                    peer.id,
                    "its accept is not signed by " + peer.id.shortForm()
                            + " over this handshake (a relay in the middle, or an answer made for another peer or room)",
                    events);
            return;
        }
        SessionKeys keys;
        try {
            keys = SessionKeys.derive(th, peer.initEphemeral.agree(eR));
        } catch (GeneralSecurityException e) {
            rejected(peer.id, "its accept carries an unusable X25519 key (" + e.getMessage() + ")", events);
            return;
        }
        peer.initNonce = null;
        peer.initEphemeral = null;
        byte[] sigI = identity.sign(SessionKeys.initiatorSigned(th));
        if (!send.test(peer.id, SessionFrames.frame(SessionFrames.CONFIRM, nI, nR, sigI))) {
            // The responder will not hold the session; the retry, still scheduled, starts afresh.
            log.debug("confirm to {} refused by the inner transport ({})", peer.id, context);
            return;
        }
        // The session is used only once the responder says, in finished, that it holds it too: a
        // confirm lost on the way must not leave this side sending under keys the peer never took.
        peer.confirmed = new PendingHandshake(nI, nR, th, keys);
    }

    private void onConfirm(PeerState peer, byte[] frame, Events events) {
        if (frame.length != SessionFrames.CONFIRM_BYTES) {
            malformed(peer.id, "confirm", frame.length, SessionFrames.CONFIRM_BYTES, events);
            return;
        }
        byte[] nI = SessionFrames.slice(frame, 2, SessionKeys.NONCE_BYTES);
        byte[] nR = SessionFrames.slice(frame, 2 + SessionKeys.NONCE_BYTES, SessionKeys.NONCE_BYTES);
        byte[] sigI = SessionFrames.slice(frame, 2 + 2 * SessionKeys.NONCE_BYTES, SessionFrames.SIGNATURE_BYTES);
        PendingHandshake answered = peer.responded.get(HexFormat.of().formatHex(nI));
        if (answered == null || !answered.matches(nI, nR)) {
            counts.handshakesRejected.incrementAndGet();
            log.debug("confirm from {} for an accept this peer does not have pending dropped ({})", peer.id, context);
            return;
        }
        if (!peer.id.verify(SessionKeys.initiatorSigned(answered.transcript()), sigI)) {
            rejected(
                    peer.id,
                    "its confirm is not signed by " + peer.id.shortForm()
                            + " over this handshake (a relay in the middle, or a confirm made for another handshake)",
                    events);
            return;
        }
        byte[] sigF = identity.sign(SessionKeys.finishedSigned(answered.transcript()));
        if (!send.test(peer.id, SessionFrames.frame(SessionFrames.FINISHED, nI, nR, sigF))) {
            // The initiator, without finished, keeps retrying; its next handshake replaces this one.
            log.debug("finished to {} refused by the inner transport ({})", peer.id, context);
        }
        establish(peer, Session.asResponder(answered.keys()), events);
    }

    private void onFinished(PeerState peer, byte[] frame, Events events) {
        if (frame.length != SessionFrames.FINISHED_BYTES) {
            malformed(peer.id, "finished", frame.length, SessionFrames.FINISHED_BYTES, events);
            return;
        }
        byte[] nI = SessionFrames.slice(frame, 2, SessionKeys.NONCE_BYTES);
        byte[] nR = SessionFrames.slice(frame, 2 + SessionKeys.NONCE_BYTES, SessionKeys.NONCE_BYTES);
        byte[] sigF = SessionFrames.slice(frame, 2 + 2 * SessionKeys.NONCE_BYTES, SessionFrames.SIGNATURE_BYTES);
        PendingHandshake confirmed = peer.confirmed;
        if (confirmed == null || !confirmed.matches(nI, nR)) {
            counts.handshakesRejected.incrementAndGet();
            log.debug("finished from {} for a confirm this peer does not have pending dropped ({})", peer.id, context);
            return;
        }
        if (!peer.id.verify(SessionKeys.finishedSigned(confirmed.transcript()), sigF)) {
            rejected(
                    peer.id,
                    "its finished is not signed by " + peer.id.shortForm()
                            + " over this handshake (a relay in the middle, or a finished made for another handshake)",
                    events);
            return;
        }
        establish(peer, Session.asInitiator(confirmed.keys()), events);
    }

    private void establish(PeerState peer, Session session, Events events) {
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
        counts.sessionsEstablished.incrementAndGet();
        log.debug("session {} with {} established ({})", session.idHex(), peer.id, context);
        if (peer.reported) {
            events.disconnected(peer.id, "peer started a new session (it restarted or reconnected)");
        }
        peer.reported = true;
        events.connected(peer.id);
    }

    private void rejected(PeerId from, String why, Events events) {
        counts.handshakesRejected.incrementAndGet();
        events.refused(from, "session handshake with peer " + from + " refused: " + why);
    }

    private void malformed(PeerId from, String type, int length, int expected, Events events) {
        counts.handshakesRejected.incrementAndGet();
        events.refused(
                from,
                "session handshake with peer " + from + " refused: its " + type + " frame has " + length
                        + " bytes, expected " + expected);
    }

    /**
     * Sends an init to {@code peer} and schedules its retry: if no session with the peer is established
     * by then (a handshake frame was lost, or dropped by the relay), a fresh init goes out after the
     * policy's wait, doubling up to its longest; after its last init the retry gives up instead. The
     * caller holds the peer's lock.
     */
    private void sendInit(PeerState peer) {
        peer.initNonce = nonce();
        peer.initEphemeral = X25519.generate(random);
        send.test(peer.id, SessionFrames.frame(SessionFrames.INIT, peer.initNonce, peer.initEphemeral.publicKey()));
        peer.initsSent++;
        if (peer.retry != null) {
            peer.retry.cancel();
        }
        peer.retry = scheduler.schedule(() -> retry(peer), retries.waitAfter(peer.initsSent));
    }

    /** Runs on the retry scheduler's thread. */
    private void retry(PeerState peer) {
        TransportException error;
        synchronized (peer) {
            if (!current.test(peer) || (peer.session != null && peer.confirmed == null)) {
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
            error = new TransportException(Reason.PEER_UNREACHABLE, context, peer.id, message, null);
        }
        gaveUp.accept(error);
    }

    /** Whether {@code peer} may have one more init answered now; the caller holds its lock. */
    private static boolean takeInitBudget(PeerState peer) {
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

    private byte[] nonce() {
        byte[] nonce = new byte[SessionKeys.NONCE_BYTES];
        random.nextBytes(nonce);
        return nonce;
    }
}
