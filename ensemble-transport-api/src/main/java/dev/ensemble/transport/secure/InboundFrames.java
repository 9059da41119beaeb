package dev.ensemble.transport.secure;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.TransportException;
import dev.ensemble.transport.TransportException.Reason;
import dev.ensemble.transport.TransportListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.crypto.AEADBadTagException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. What a {@link SecureTransport} does with the inner transport's events: it keeps a
 * {@link PeerState} per peer the inner transport lists, starts a handshake when one connects, sorts
 * each received frame (a plain envelope is refused, a handshake frame goes to the {@link Handshaker},
 * a data frame is opened by the peer's {@link Session}), and tells the outer listener what passed:
 * connected only once a session is established, messages only once they authenticate, every refusal
 * counted in {@link RefusalCounts} and reported naming the peer.
 *
 * <p>Threading: runs on the inner transport's callback thread. The outer listener is called on it,
 * in order, and never while a peer's lock is held: what a handshake frame causes is recorded while
 * the {@link Handshaker} holds the lock and told once it is released (a listener may block, or call
 * into the transport from another thread; {@link SecureTransport#close} takes the lock).
 */
final class InboundFrames extends TransportListener implements Handshaker.Events {

    // Logged as SecureTransport, as before the split: whoever configured that logger keeps these lines.
    private static final Logger log = LoggerFactory.getLogger(SecureTransport.class);

    private final TransportListener outer;
    private final Map<PeerId, PeerState> peers;
    private final Handshaker handshaker;
    private final RefusalCounts counts;
    private final String context;
    private final BooleanSupplier closed;

    /** Listener calls a handshake frame caused, made once the peer's lock is released. */
    private final List<Runnable> later = new ArrayList<>();

    private boolean deferring;

    /**
     * @param peers the transport's peers, shared with its senders
     * @param closed whether the transport is closed (then nothing reaches the listener)
     */
    InboundFrames(
            TransportListener outer,
            Map<PeerId, PeerState> peers,
            Handshaker handshaker,
            RefusalCounts counts,
            String context,
            BooleanSupplier closed) {
        this.outer = outer;
        this.peers = peers;
        this.handshaker = handshaker;
        this.counts = counts;
        this.context = context;
        this.closed = closed;
    }

    @Override
    public void onPeerConnected(PeerId id) {
        if (closed.getAsBoolean()) {
            return;
        }
        PeerState peer = new PeerState(id);
        PeerState replaced = peers.put(id, peer);
        if (replaced != null) {
            replaced.cancelRetry();
        }
        if (replaced != null && replaced.reported) {
            // The inner transport reports a reconnect without a loss in between: the old session is gone.
            outer.onPeerDisconnected(id, "the connection was replaced; a new session is being set up");
        }
        handshaker.start(peer);
    }

    @Override
    public void onPeerDisconnected(PeerId id, String reason) {
        PeerState gone = peers.remove(id);
        if (gone != null) {
            gone.cancelRetry();
        }
        if (gone != null && gone.reported && !closed.getAsBoolean()) {
            outer.onPeerDisconnected(id, reason);
        }
    }

    @Override
    public void onUnsent(PeerId id, List<byte[]> frames) {
        PeerState peer = peers.get(id);
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
        if (!plaintexts.isEmpty() && !closed.getAsBoolean()) {
            outer.onUnsent(id, plaintexts);
        }
    }

    @Override
    public void onError(TransportException error) {
        if (!closed.getAsBoolean()) {
            outer.onError(error);
        }
    }

    @Override
    public void onMessage(PeerId from, byte[] frame) {
        if (closed.getAsBoolean()) {
            return;
        }
        PeerState peer = peers.get(from);
        if (peer == null) {
            log.debug(
                    "frame from {}, which the inner transport has not reported connected, dropped ({})", from, context);
            return;
        }
        if (peer.gaveUp) {
            handshaker.resume(peer, frame);
        }
        if (frame.length >= 1 && frame[0] == SessionFrames.PLAIN_ENVELOPE_VERSION) {
            counts.plaintextRefused.incrementAndGet();
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
            case SessionFrames.INIT, SessionFrames.ACCEPT, SessionFrames.CONFIRM, SessionFrames.FINISHED ->
                handshake(peer, frame);
            default -> malformed(from, "session frame of " + SessionFrames.typeName(frame[1]));
        }
    }

    // ---- Handshaker.Events: called with the peer's lock held, so only recorded here ----

    @Override
    public void connected(PeerId peer) {
        tell(() -> outer.onPeerConnected(peer));
    }

    @Override
    public void disconnected(PeerId peer, String reason) {
        tell(() -> outer.onPeerDisconnected(peer, reason));
    }

    @Override
    public void refused(PeerId peer, String message) {
        report(Reason.AUTHENTICATION_FAILED, peer, message);
    }

    /** Hands a handshake frame to the handshaker, then makes the listener calls it caused. */
    private void handshake(PeerState peer, byte[] frame) {
        deferring = true;
        try {
            handshaker.onFrame(peer, frame, this);
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

    private void onData(PeerState peer, byte[] frame) {
        if (frame.length < Session.OVERHEAD) {
            malformed(
                    peer.id,
                    "data frame of " + frame.length + " bytes, shorter than its " + Session.OVERHEAD
                            + "-byte header and tag");
            return;
        }
        Session session = peer.session;
        if (session == null || !session.owns(frame)) {
            counts.framesUnknownSession.incrementAndGet();
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
            counts.framesRejected.incrementAndGet();
            report(
                    Reason.AUTHENTICATION_FAILED,
                    peer.id,
                    "a data frame claiming to come from peer " + peer.id
                            + " failed authentication and was dropped: altered in transit or forged, by the relay"
                            + " (only peer " + peer.id.shortForm() + " and this peer hold the session's keys)");
            return;
        } catch (ReplayWindow.ReplayException e) {
            counts.framesReplayed.incrementAndGet();
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
            counts.framesMissing.addAndGet(opened.skipped());
            log.debug(
                    "{} frame(s) from {} never arrived (their counters were skipped) ({})",
                    opened.skipped(),
                    peer.id,
                    context);
        }
        outer.onMessage(peer.id, opened.plaintext());
    }

    private void malformed(PeerId from, String what) {
        counts.framesMalformed.incrementAndGet();
        report(Reason.PROTOCOL_ERROR, from, "malformed frame from peer " + from + " dropped: " + what);
    }

    private void report(Reason reason, PeerId peer, String message) {
        log.warn("{} ({})", message, context);
        TransportException error = new TransportException(reason, context, peer, message, null);
        tell(() -> outer.onError(error));
    }

    private static boolean isData(byte[] frame) {
        return frame.length >= Session.OVERHEAD && frame[0] == SessionFrames.VERSION && frame[1] == SessionFrames.DATA;
    }
}
