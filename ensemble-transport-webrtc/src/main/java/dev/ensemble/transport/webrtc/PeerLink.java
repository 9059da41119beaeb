package dev.ensemble.transport.webrtc;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.TransportException.Reason;
import dev.ensemble.transport.webrtc.signal.Signal;
import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.RTCSignalingState;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything this peer knows about one remote peer: the current peer connection (if any), its
 * negotiation state, its data channel and outbox, whether the peer is reported up, and the
 * re-dial schedule.
 *
 * <p><b>Owner</b>: the transport's owner thread. Every field is read and written only there, and
 * every native call on the peer connection and data channel is made there. webrtc-java callbacks
 * (on libwebrtc's signaling and network threads) only copy their arguments and hand a task to
 * the owner, tagged with the {@link Connection} they belong to, so that a callback of a replaced
 * connection is recognised and ignored.
 *
 * <h2>Negotiation (perfect negotiation)</h2>
 *
 * Both sides create the same pre-negotiated data channel (id 0), so both want to offer at once.
 * The <em>polite</em> side is the one whose peer id sorts lower: on an offer collision it rolls
 * back its own offer and answers; the impolite side ignores the colliding offer. Operations on
 * one connection run one at a time: a description that arrives while an offer or answer is in
 * flight waits in {@code inbox} until it completes, so the signaling state read is never stale.
 */
final class PeerLink {

    private static final Logger LOG = LoggerFactory.getLogger(PeerLink.class);
    private static final String CHANNEL_LABEL = "ensemble";
    private static final int CHANNEL_ID = 0;
    /** Bytes kept in libwebrtc's send buffer at most; a reliable channel closes at 16 MiB. */
    private static final long HIGH_WATER = 1024 * 1024;

    private static final int MAX_PENDING_CANDIDATES = 256;
    private static final int MAX_INBOX = 16;
    private static final Duration DRAIN_POLL = Duration.ofMillis(1);
    private static final Duration MAX_STEP_TIMEOUT = Duration.ofSeconds(5);

    private final WebRtcTransport transport;
    private final PeerId peer;
    private final boolean polite;

    private Connection current;
    private boolean up;
    private SendGate gate;
    private int attempt;
    private Future<?> redialTimer;
    private boolean removed;

    PeerLink(WebRtcTransport transport, PeerId peer) {
        this.transport = transport;
        this.peer = peer;
        this.polite = transport.localPeer().compareTo(peer) < 0;
    }

    PeerId peer() {
        return peer;
    }

    /** Creates a connection unless one exists: the application wants this peer. */
    void dial() {
        if (removed || current != null) {
            return;
        }
        cancel(redialTimer);
        redialTimer = null;
        current = newConnection();
        if (current == null) {
            scheduleRedial();
        }
    }

    /** Closes everything for good: the peer left or the transport closes. */
    void remove(String reason, boolean report) {
        removed = true;
        cancel(redialTimer);
        if (report) {
            down(reason);
        } else {
            markDown();
        }
        if (current != null) {
            current.teardown();
            current = null;
        }
    }

    /** The session of this link's current connection, or {@code null} if it has none. */
    String currentSession() {
        return current == null ? null : current.session;
    }

    void onSignal(Signal signal) {
        if (removed) {
            return;
        }
        String session = signal.session();
        String peerSession = signal.peerSession();
        if (peerSession != null && (current == null || !peerSession.equals(current.session))) {
            LOG.debug("peer {}: dropping {} meant for our replaced connection {}", peer, kind(signal), peerSession);
            return;
        }
        if (signal instanceof Signal.Description description && description.type() == Signal.Type.OFFER) {
            if (current != null
                    && current.remoteSession != null
                    && session != null
                    && !session.equals(current.remoteSession)) {
                LOG.debug(
                        "peer {} started a new session {} (was {}): starting afresh",
                        peer,
                        session,
                        current.remoteSession);
                lose(current, "peer started a new connection", false);
            }
            if (current == null) {
                cancel(redialTimer);
                redialTimer = null;
                current = newConnection();
                if (current == null) {
                    scheduleRedial();
                    return;
                }
            }
        }
        Connection c = current;
        if (c == null) {
            LOG.debug("peer {}: dropping {} for no current connection", peer, kind(signal));
            return;
        }
        if (signal instanceof Signal.Description description) {
            if (c.remoteSession == null) {
                c.remoteSession = session;
            } else if (session != null && !session.equals(c.remoteSession)) {
                LOG.debug("peer {}: dropping an answer of old session {}", peer, session);
                return;
            }
            if (c.inbox.size() >= MAX_INBOX) {
                transport.reportError(
                        Reason.PROTOCOL_ERROR,
                        peer,
                        "peer " + peer + " sent more than " + MAX_INBOX
                                + " descriptions while one was being applied; dropping the newest",
                        null);
                return;
            }
            c.inbox.add(description);
            c.pump();
        } else if (signal instanceof Signal.Candidate candidate) {
            if (candidate.isEndOfCandidates()) {
                return;
            }
            if (c.remoteSession != null && session != null && !session.equals(c.remoteSession)) {
                LOG.debug("peer {}: dropping a candidate of old session {}", peer, session);
                return;
            }
            c.onRemoteCandidate(candidate);
        }
    }

    /** Queues a message accepted by {@code send} through {@code sendGate}. */
    void enqueue(SendGate sendGate, byte[] message) {
        if (!up || sendGate != gate || current == null) {
            // Accepted in the instant the peer went down: hand it back like the rest of the outbox.
            sendGate.release(message.length);
            transport.reportUnsent(peer, List.of(message));
            return;
        }
        current.outbox.add(message);
        current.flush();
    }

    /** Test hook: restarts ICE as after an ICE failure, without breaking anything. */
    void restartIceForTest() {
        if (current != null) {
            current.iceRestarted = false;
            current.restartIce("test");
        }
    }

    /** Test hook: closes the data channel as if the network had broken it. */
    void breakChannel() {
        if (current != null && current.channel != null) {
            current.channel.close();
        }
    }

    /** Creates a connection, or returns null (and says why) if libwebrtc refuses. */
    private Connection newConnection() {
        Connection c = new Connection();
        try {
            c.open();
            return c;
        } catch (RuntimeException e) {
            transport.reportError(
                    Reason.LIBRARY_ERROR,
                    peer,
                    "creating a peer connection to " + peer + " failed: " + e.getMessage() + "; retrying with backoff",
                    e);
            c.teardown();
            return null;
        }
    }

    private void up() {
        if (up) {
            return;
        }
        up = true;
        attempt = 0;
        gate = new SendGate(transport.config().maxQueuedBytes());
        transport.reportUp(peer, gate);
    }

    private void down(String reason) {
        down(reason, List.of());
    }

    /** Reports the peer down, handing back {@code lostInBuffer} and then the outbox, oldest first. */
    private void down(String reason, List<byte[]> lostInBuffer) {
        if (!up) {
            if (!lostInBuffer.isEmpty()) {
                transport.reportUnsent(peer, lostInBuffer);
            }
            return;
        }
        List<byte[]> unsent = new ArrayList<>(lostInBuffer);
        unsent.addAll(markDown());
        transport.reportDown(peer, reason, unsent);
    }

    /** Marks the peer down and returns what its outbox still held, oldest first. */
    private List<byte[]> markDown() {
        up = false;
        gate = null;
        return current == null ? List.of() : current.takeOutbox();
    }

    /** A connection is beyond repair: report the peer down, close it, re-dial later. */
    private void lose(Connection c, String reason, boolean redial) {
        if (c != current) {
            return;
        }
        LOG.debug("peer {}: connection {} lost: {}", peer, c.session, reason);
        // Torn down for good: what libwebrtc still buffered will never be sent, so it is handed back too.
        // (A peer that is only down, ICE disconnected, keeps its buffer: it is sent if ICE recovers.)
        down(reason, c.takeBuffered());
        c.teardown();
        current = null;
        if (redial && !removed) {
            scheduleRedial();
        }
    }

    private void scheduleRedial() {
        attempt++;
        Duration delay = transport.config().backoff().delay(attempt);
        LOG.debug("peer {}: re-dial #{} in {} ms", peer, attempt, delay.toMillis());
        cancel(redialTimer);
        redialTimer = transport.schedule(delay, () -> {
            redialTimer = null;
            dial();
        });
    }

    private static void cancel(Future<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private static String kind(Signal signal) {
        return signal instanceof Signal.Description d ? d.type().json() : "candidate";
    }

    /** One peer connection and its data channel; replaced as a whole on re-dial. */
    private final class Connection implements PeerConnectionObserver, RTCDataChannelObserver {
        final String session = newSessionId();
        RTCPeerConnection pc;
        RTCDataChannel channel;
        String remoteSession;
        boolean closed;
        /** A negotiation step (offer or answer) is in flight. */
        boolean busy;

        boolean makingOffer;
        boolean negotiationNeeded;
        boolean ignoreOffer;
        boolean remoteDescriptionSet;
        boolean channelOpen;
        boolean iceRestarted;
        RTCPeerConnectionState pcState = RTCPeerConnectionState.NEW;
        final ArrayDeque<Signal.Description> inbox = new ArrayDeque<>();
        final List<Signal.Candidate> pendingCandidates = new ArrayList<>();
        final ArrayDeque<byte[]> outbox = new ArrayDeque<>();
        /**
         * The last messages given to libwebrtc, about {@link #HIGH_WATER} bytes of them: when the
         * connection is torn down, the tail that its send buffer still held is handed back.
         */
        final ArrayDeque<byte[]> recent = new ArrayDeque<>();

        long recentBytes;
        long bufferedEstimate;
        /** Set by libwebrtc's network thread, cleared by the owner: a flush is queued. */
        final AtomicBoolean flushQueued = new AtomicBoolean();

        Future<?> connectTimer;
        Future<?> graceTimer;
        Future<?> drainTimer;
        Future<?> stepTimer;

        void open() {
            pc = transport.factory().createPeerConnection(transport.rtcConfiguration(), this);
            RTCDataChannelInit init = new RTCDataChannelInit();
            init.negotiated = true;
            init.id = CHANNEL_ID;
            init.ordered = true;
            channel = pc.createDataChannel(CHANNEL_LABEL, init);
            channel.registerObserver(this);
            armConnectTimer("dialing");
            LOG.debug("peer {}: connection {} created (polite={})", peer, session, polite);
        }

        void armConnectTimer(String phase) {
            cancel(connectTimer);
            Duration timeout = transport.config().connectTimeout();
            connectTimer = transport.schedule(timeout, () -> {
                if (closed || up) {
                    return;
                }
                transport.reportError(
                        Reason.PEER_UNREACHABLE,
                        peer,
                        "no data channel to peer " + peer + " within " + timeout
                                + " after " + phase + " (" + transport.iceDescription() + "); the peer stays on"
                                + " the relay and is re-dialed with backoff",
                        null);
                lose(this, "connect timeout", true);
            });
        }

        // ---- negotiation, on the owner thread ----

        void pump() {
            if (closed || busy) {
                return;
            }
            Signal.Description next = inbox.poll();
            if (next != null) {
                applyRemote(next);
                return;
            }
            if (negotiationNeeded && pc.getSignalingState() == RTCSignalingState.STABLE) {
                makeOffer();
            }
        }

        void makeOffer() {
            negotiationNeeded = false;
            beginStep("creating an offer");
            makingOffer = true;
            pc.createOffer(new RTCOfferOptions(), new CreateSessionDescriptionObserver() {
                @Override
                public void onSuccess(RTCSessionDescription description) {
                    owner(c -> c.offerCreated(description));
                }

                @Override
                public void onFailure(String error) {
                    owner(c -> c.stepFailed("creating an offer", error));
                }
            });
        }

        void offerCreated(RTCSessionDescription offer) {
            if (!inbox.isEmpty() && inbox.peek().type() == Signal.Type.OFFER && polite) {
                // A remote offer arrived meanwhile: the polite side yields before it ever offers.
                makingOffer = false;
                endStep();
                negotiationNeeded = true;
                pump();
                return;
            }
            beginStep("setting the local offer");
            pc.setLocalDescription(offer, new SetSessionDescriptionObserver() {
                @Override
                public void onSuccess() {
                    owner(c -> c.offerSet(offer));
                }

                @Override
                public void onFailure(String error) {
                    owner(c -> c.stepFailed("setting the local offer", error));
                }
            });
        }

        void offerSet(RTCSessionDescription offer) {
            makingOffer = false;
            endStep();
            transport.sendSignal(peer, new Signal.Description(Signal.Type.OFFER, offer.sdp, session, remoteSession));
            pump();
        }

        void applyRemote(Signal.Description description) {
            boolean offer = description.type() == Signal.Type.OFFER;
            RTCSignalingState state = pc.getSignalingState();
            boolean collision = offer && (makingOffer || state != RTCSignalingState.STABLE);
            ignoreOffer = !polite && collision;
            if (ignoreOffer) {
                LOG.debug("peer {}: impolite, ignoring a colliding offer", peer);
                pump();
                return;
            }
            if (!offer && state != RTCSignalingState.HAVE_LOCAL_OFFER) {
                LOG.debug("peer {}: dropping an answer in state {}", peer, state);
                pump();
                return;
            }
            if (!description.sdp().startsWith("v=0")) {
                // webrtc-java 0.14.0 never calls back for an SDP it cannot parse; refuse it here.
                transport.reportError(
                        Reason.PROTOCOL_ERROR,
                        peer,
                        "peer " + peer + " sent an " + description.type().json()
                                + " whose SDP does not start with \"v=0\" (it starts with \""
                                + printable(description.sdp()) + "\"); dropped",
                        null);
                pump();
                return;
            }
            beginStep("applying the remote " + description.type().json());
            if (collision) {
                LOG.debug("peer {}: polite, rolling back our offer for theirs", peer);
                pc.setLocalDescription(
                        new RTCSessionDescription(RTCSdpType.ROLLBACK, ""), new SetSessionDescriptionObserver() {
                            @Override
                            public void onSuccess() {}

                            @Override
                            public void onFailure(String error) {
                                owner(c -> c.stepFailed("rolling back the local offer", error));
                            }
                        });
            }
            RTCSessionDescription remote =
                    new RTCSessionDescription(offer ? RTCSdpType.OFFER : RTCSdpType.ANSWER, description.sdp());
            pc.setRemoteDescription(remote, new SetSessionDescriptionObserver() {
                @Override
                public void onSuccess() {
                    owner(c -> c.remoteSet(offer));
                }

                @Override
                public void onFailure(String error) {
                    owner(c -> c.stepFailed(
                            "applying the remote " + description.type().json(), error));
                }
            });
        }

        void remoteSet(boolean offer) {
            remoteDescriptionSet = true;
            for (Signal.Candidate candidate : pendingCandidates) {
                if (remoteSession == null
                        || candidate.session() == null
                        || candidate.session().equals(remoteSession)) {
                    addCandidate(candidate);
                }
            }
            pendingCandidates.clear();
            if (!offer) {
                endStep();
                pump();
                return;
            }
            beginStep("creating an answer");
            pc.createAnswer(new RTCAnswerOptions(), new CreateSessionDescriptionObserver() {
                @Override
                public void onSuccess(RTCSessionDescription answer) {
                    owner(c -> c.answerCreated(answer));
                }

                @Override
                public void onFailure(String error) {
                    owner(c -> c.stepFailed("creating an answer", error));
                }
            });
        }

        void answerCreated(RTCSessionDescription answer) {
            beginStep("setting the local answer");
            pc.setLocalDescription(answer, new SetSessionDescriptionObserver() {
                @Override
                public void onSuccess() {
                    owner(c -> {
                        c.endStep();
                        transport.sendSignal(
                                peer, new Signal.Description(Signal.Type.ANSWER, answer.sdp, session, remoteSession));
                        c.pump();
                    });
                }

                @Override
                public void onFailure(String error) {
                    owner(c -> c.stepFailed("setting the local answer", error));
                }
            });
        }

        /**
         * Marks a negotiation step in flight. libwebrtc answers every step with a callback, except
         * (in webrtc-java 0.14.0) for an SDP it cannot parse: the watchdog turns silence into a
         * failure, so one bad description cannot stall the connection.
         */
        void beginStep(String step) {
            busy = true;
            cancel(stepTimer);
            Duration timeout = stepTimeout();
            stepTimer = transport.schedule(timeout, () -> {
                if (!closed && busy && current == this) {
                    stepFailed(step, "no result from libwebrtc within " + timeout);
                }
            });
        }

        void endStep() {
            busy = false;
            cancel(stepTimer);
            stepTimer = null;
        }

        void stepFailed(String step, String error) {
            transport.reportError(
                    Reason.LIBRARY_ERROR,
                    peer,
                    "negotiation with peer " + peer + " failed while " + step + ": " + error
                            + "; starting a fresh connection",
                    null);
            lose(this, "negotiation failed", true);
        }

        void onRemoteCandidate(Signal.Candidate candidate) {
            if (!remoteDescriptionSet || remoteSession == null) {
                if (pendingCandidates.size() < MAX_PENDING_CANDIDATES) {
                    pendingCandidates.add(candidate);
                }
                return;
            }
            addCandidate(candidate);
        }

        void addCandidate(Signal.Candidate candidate) {
            try {
                pc.addIceCandidate(new RTCIceCandidate(
                        candidate.sdpMid(),
                        candidate.sdpMLineIndex() == null ? 0 : candidate.sdpMLineIndex(),
                        candidate.candidate()));
            } catch (RuntimeException e) {
                if (!ignoreOffer) {
                    LOG.debug("peer {}: candidate rejected: {}", peer, e.getMessage());
                }
            }
        }

        // ---- health, on the owner thread ----

        void channelStateChanged() {
            RTCDataChannelState state = channel.getState();
            if (state == RTCDataChannelState.OPEN) {
                channelOpen = true;
                cancel(connectTimer);
                if (!isBroken(pcState)) {
                    up();
                }
            } else if (state == RTCDataChannelState.CLOSING || state == RTCDataChannelState.CLOSED) {
                lose(this, "data channel closed", true);
            }
        }

        void connectionStateChanged(RTCPeerConnectionState state) {
            pcState = state;
            switch (state) {
                case CONNECTED -> {
                    cancel(graceTimer);
                    iceRestarted = false;
                    if (channelOpen) {
                        cancel(connectTimer);
                        up();
                    }
                }
                case DISCONNECTED -> {
                    down("ICE disconnected");
                    cancel(graceTimer);
                    graceTimer = transport.schedule(transport.config().disconnectedGrace(), () -> {
                        if (!closed && pcState == RTCPeerConnectionState.DISCONNECTED) {
                            restartIce("ICE stayed disconnected");
                        }
                    });
                }
                case FAILED -> {
                    down("ICE failed");
                    restartIce("ICE failed");
                }
                case CLOSED -> lose(this, "peer connection closed", true);
                default -> {}
            }
        }

        void restartIce(String why) {
            if (iceRestarted) {
                lose(this, why + " after an ICE restart", true);
                return;
            }
            iceRestarted = true;
            LOG.debug("peer {}: {}, restarting ICE", peer, why);
            pc.restartIce();
            armConnectTimer("an ICE restart");
        }

        // ---- data, on the owner thread ----

        void flush() {
            flushQueued.set(false);
            if (outbox.isEmpty() || closed || channel.getState() != RTCDataChannelState.OPEN) {
                // A closing channel may accept a message and never send it: keep the outbox for the
                // hand-back that the coming state change brings.
                return;
            }
            while (!outbox.isEmpty() && !closed) {
                if (bufferedEstimate >= HIGH_WATER) {
                    bufferedEstimate = channel.getBufferedAmount();
                    if (bufferedEstimate >= HIGH_WATER) {
                        scheduleDrainCheck();
                        return;
                    }
                }
                byte[] message = outbox.poll();
                SendGate sendGate = gate;
                try {
                    channel.send(new RTCDataChannelBuffer(ByteBuffer.wrap(message), true));
                } catch (Exception e) {
                    transport.reportError(
                            Reason.LIBRARY_ERROR,
                            peer,
                            "sending " + message.length + " bytes to peer " + peer + " failed: " + e.getMessage(),
                            e);
                    // Not sent: back at the head, so that it is handed back with the rest.
                    outbox.addFirst(message);
                    lose(this, "send failed", true);
                    return;
                } finally {
                    if (sendGate != null) {
                        sendGate.release(message.length);
                    }
                }
                bufferedEstimate += message.length;
                remember(message);
            }
        }

        private void remember(byte[] message) {
            recent.addLast(message);
            recentBytes += message.length;
            while (recentBytes - recent.peekFirst().length >= HIGH_WATER) {
                recentBytes -= recent.pollFirst().length;
            }
        }

        /**
         * Returns the messages still in libwebrtc's send buffer, oldest first: the shortest tail of
         * {@link #recent} that covers its buffered amount (a message partly sent was not delivered).
         */
        List<byte[]> takeBuffered() {
            long buffered = 0;
            if (channel != null) {
                try {
                    buffered = channel.getBufferedAmount();
                } catch (RuntimeException e) {
                    LOG.debug("peer {}: no buffered amount from a closing channel: {}", peer, e.toString());
                }
            }
            ArrayDeque<byte[]> tail = new ArrayDeque<>();
            long covered = 0;
            while (covered < buffered && !recent.isEmpty()) {
                byte[] message = recent.pollLast();
                tail.addFirst(message);
                covered += message.length;
            }
            recent.clear();
            recentBytes = 0;
            return List.copyOf(tail);
        }

        /**
         * webrtc-java 0.14 does not reliably report the send buffer draining (no
         * onBufferedAmountChange arrived in a 4 MB transfer), so a full buffer is polled.
         */
        void scheduleDrainCheck() {
            if (drainTimer != null && !drainTimer.isDone()) {
                return;
            }
            drainTimer = transport.schedule(DRAIN_POLL, () -> {
                drainTimer = null;
                if (!closed && current == this) {
                    bufferedEstimate = channel.getBufferedAmount();
                    flush();
                }
            });
        }

        List<byte[]> takeOutbox() {
            List<byte[]> unsent = List.copyOf(outbox);
            outbox.clear();
            return unsent;
        }

        void teardown() {
            if (closed) {
                return;
            }
            closed = true;
            cancel(connectTimer);
            cancel(graceTimer);
            cancel(drainTimer);
            cancel(stepTimer);
            outbox.clear();
            // Order matters: channels first, then the peer connection (the factory is never
            // disposed). Each step runs even if an earlier one failed.
            if (channel != null) {
                quietly("unregistering the channel observer", channel::unregisterObserver);
                quietly("closing the data channel", channel::close);
                quietly("disposing the data channel", channel::dispose);
                channel = null;
            }
            if (pc != null) {
                quietly("closing the peer connection", pc::close);
                pc = null;
            }
        }

        private void quietly(String step, Runnable nativeCall) {
            try {
                nativeCall.run();
            } catch (RuntimeException e) {
                LOG.warn("peer {}: {} failed", peer, step, e);
            }
        }

        /** Hands work to the owner; runs only if this connection is still the current one. */
        private void owner(Consumer<Connection> task) {
            transport.execute(() -> {
                if (!closed && current == this) {
                    task.accept(this);
                }
            });
        }

        // ---- webrtc-java callbacks: libwebrtc threads; copy and hand over, never throw ----

        @Override
        public void onIceCandidate(RTCIceCandidate candidate) {
            String line = candidate.sdp;
            String mid = candidate.sdpMid;
            int index = candidate.sdpMLineIndex;
            owner(c -> transport.sendSignal(peer, new Signal.Candidate(line, mid, index, session, remoteSession)));
        }

        @Override
        public void onConnectionChange(RTCPeerConnectionState state) {
            owner(c -> c.connectionStateChanged(state));
        }

        @Override
        public void onRenegotiationNeeded() {
            owner(c -> {
                c.negotiationNeeded = true;
                c.pump();
            });
        }

        @Override
        public void onDataChannel(RTCDataChannel unexpected) {
            transport.execute(() -> {
                LOG.warn("peer {} opened an unexpected data channel; closing it", peer);
                unexpected.close();
                unexpected.dispose();
            });
        }

        @Override
        public void onStateChange() {
            owner(Connection::channelStateChanged);
        }

        @Override
        public void onMessage(RTCDataChannelBuffer buffer) {
            ByteBuffer data = buffer.data.duplicate();
            byte[] copy = new byte[data.remaining()];
            data.get(copy);
            owner(c -> {
                if (up) {
                    transport.reportMessage(peer, copy);
                }
            });
        }

        @Override
        public void onBufferedAmountChange(long previousAmount) {
            if (flushQueued.compareAndSet(false, true)) {
                owner(c -> {
                    if (!c.outbox.isEmpty()) {
                        c.bufferedEstimate = c.channel.getBufferedAmount();
                    }
                    c.flush();
                });
            }
        }
    }

    private Duration stepTimeout() {
        Duration half = transport.config().connectTimeout().dividedBy(2);
        return half.compareTo(MAX_STEP_TIMEOUT) < 0 ? half : MAX_STEP_TIMEOUT;
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && i < 16; i++) {
            char c = text.charAt(i);
            out.append(c >= ' ' && c <= '~' ? c : '?');
        }
        return out.toString();
    }

    private static String newSessionId() {
        byte[] bytes = new byte[8];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static boolean isBroken(RTCPeerConnectionState state) {
        return state == RTCPeerConnectionState.DISCONNECTED
                || state == RTCPeerConnectionState.FAILED
                || state == RTCPeerConnectionState.CLOSED;
    }
}
