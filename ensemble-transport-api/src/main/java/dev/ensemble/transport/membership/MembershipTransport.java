package dev.ensemble.transport.membership;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.TaskTimer;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.TransportException;
import dev.ensemble.transport.TransportException.Reason;
import dev.ensemble.transport.TransportListener;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A transport stage that lets through only the members of a {@link ClosedRoom}: each side presents its
 * {@link InviteChain} once the transport below reports the other connected (with, for a bearer invite, a
 * proof of possession of its holder key bound to this connection), and a peer is reported connected above
 * only once its chain is admitted. It has one job and knows nothing of sessions or
 * sockets, so it is tested alone over an in-memory transport; in a real stack it sits on top of
 * {@code SecureTransport}, whose sessions prove who sent each frame (without them a server could
 * re-label frames, so use both):
 *
 * <pre>
 *   PeerMessaging ◄── MembershipTransport ◄── SecureTransport ◄── WebSocketTransport (relay) / WebRTC
 *                     (members only)          (who, sealed)        (bytes)
 * </pre>
 *
 * <h2>Frames</h2>
 *
 * Its own frames start with {@code 0x03}, which no envelope starts with (an envelope starts with its
 * version, {@code 0x01}); everything else is the layer above's and passes unchanged, so open and
 * closed rooms cost the same bytes per message:
 *
 * <pre>
 * hello       0x03 0x03 ‖ nonce[32]                  sent first, once per connection: fresh random bytes
 * present     0x03 0x04 ‖ u8 n ‖ proof[n] ‖ chain    in answer to the other's hello, once per connection; the
 *                                                    owner's chain is empty; n is 64 for a chain ending with a
 *                                                    bearer invite (signed with its holder key over the room,
 *                                                    this peer, the other peer, its nonce and the invite's id),
 *                                                    else 0
 * revocation  0x03 0x02 ‖ revocation                 every one known once the peer is admitted, then as gossip
 * </pre>
 *
 * <p>So a chain seen on the wire (a stranger the server let in is shown it, as every peer is) is of no use
 * to anyone else: its proof names the peer that presented it and the nonce of one connection. A present of
 * the version before proofs ({@code 0x03 0x01}) is refused, naming the reason.
 *
 * <h2>What happens to a peer</h2>
 *
 * <ul>
 *   <li>Connected below: this side sends a hello with a fresh nonce, and answers the peer's hello with its
 *       chain (and proof). The peer is <em>pending</em>; the layer above does not know it yet.
 *   <li>Its chain is admitted ({@link ClosedRoom#admit}): the peer is a <em>member</em>, reported
 *       connected above, and sent every revocation this side knows; its data passes up.
 *   <li>Its chain is refused, or it sends data before presenting one: it is <em>refused</em>. One
 *       {@link Reason#NOT_A_MEMBER} error names it and the reason; every frame it sends is dropped and
 *       counted, and it is never reported connected (until it connects again below and presents a
 *       valid chain).
 *   <li>A revocation (from the owner through {@link #revoke}, or gossiped by a member) or the earliest
 *       expiry of its chain cuts a member off: reported disconnected above with the reason, one
 *       {@code NOT_A_MEMBER} error, then treated as refused. Expiry is checked on every frame it sends
 *       or is sent, on any callback of the inner transport at most once a second, and by a timer at
 *       the moment it falls due (the earliest expiry plus the room's clock skew), so that a member who
 *       says nothing is cut off on time too. This peer's own expiry has a timer as well.
 *   <li>This peer's own chain no longer holds (the owner revoked this peer, its invite or a member up its
 *       chain, or the chain expired): every member is reported disconnected, one {@code NOT_A_MEMBER}
 *       error names this peer and the reason, and nothing more is sent or admitted.
 * </ul>
 *
 * <p>A new revocation is applied, kept by the {@link ClosedRoom}, and forwarded to every connected
 * member by every stage of the room (a player has one per transport: relay and WebRTC); a known one (a
 * replay) is counted and goes no further, so gossip ends. Nothing more is sent to a revoked member at
 * once; its disconnection is reported at the next callback of each stage's inner transport (so on that
 * transport's thread, as the listener contract requires), and every frame from it is dropped. Revocations
 * are taken only from members (a stranger cannot make this side verify signatures in a loop); one
 * that is refused is counted and reported naming the peer that sent it, and after {@value
 * #MAX_REFUSED_REVOCATIONS} refused from one member (on one connection) its further revocations are
 * dropped unread, so a hostile member cannot either.
 *
 * <h2>Threading</h2>
 *
 * {@link #send}, {@link #queueSize}, {@link #revoke}, {@link #members} and {@link #close} are
 * thread-safe. Callbacks arrive on the inner transport's thread, or on the expiry timer's thread when a
 * member's invite expires; they never overlap (the stage runs its work one task at a time, on whichever of
 * those threads comes first) and never with a lock of this stage held.
 *
 * <pre>{@code
 * ClosedRoom room = ClosedRoom.builder("jam", ownerId).build();
 * Transport members = MembershipTransport.wrap(SecureTransport.wrap(relay, identity, "jam"), room,
 *         identity.peerId(), InviteChain.parse(Files.readString(inviteFile)));
 * }</pre>
 */
public final class MembershipTransport implements Transport {

    /** First byte of this stage's frames. */
    public static final byte FRAME_MARKER = 0x03;

    /**
     * Refused revocations taken from one member per connection; later ones are dropped unread. A genuine
     * member relays only revocations it accepted, so a few refusals (clock skew) are possible and many are
     * an attack: this bounds the signature checks and error events one member can cause.
     */
    static final int MAX_REFUSED_REVOCATIONS = 8;

    /**
     * Longest wait of an expiry timer: a later expiry is waited for in steps of at most this, each looking
     * again at the room's clock. Invites may run to the year 9999, but a timer's delay in nanoseconds
     * overflows after 292 years; a step a day costs nothing.
     */
    static final Duration MAX_TIMER_STEP = Duration.ofDays(1);

    private static final Logger log = LoggerFactory.getLogger(MembershipTransport.class);

    /**
     * What this stage refused and accepted so far.
     *
     * @param membersAdmitted chains admitted (one per peer connection)
     * @param peersRefused peers refused: a bad chain, data before a chain, or cut off by a revocation or expiry
     * @param framesDropped frames from peers that are not members, dropped before the layer above
     * @param revocationsAccepted new revocations applied
     * @param revocationsReplayed revocations already known, ignored and not forwarded
     * @param revocationsRefused revocations refused (forged, another room, not by the owner, garbage)
     */
    public record Counters(
            long membersAdmitted,
            long peersRefused,
            long framesDropped,
            long revocationsAccepted,
            long revocationsReplayed,
            long revocationsRefused) {}

    private enum Status {
        PENDING,
        MEMBER,
        REFUSED
    }

    /** One connected peer's standing; guarded by the stage's lock. */
    private static final class Peer {
        volatile Status status = Status.PENDING;
        volatile ClosedRoom.Admission admission;
        /** Whether its chain was admitted on this connection (it stays set when it is cut off). */
        volatile boolean admitted;
        /** The revocation epoch under which {@code send} last found the admission valid. */
        volatile long checkedEpoch;
        /** Revocations from it that the room refused; serial executor only. */
        int revocationsRefused;
        /** The nonce this side sent it in its hello: what its proof of possession must sign. */
        final byte[] nonce;
        /** Whether this side answered its hello with a present; serial executor only. */
        boolean presented;
        /** Cuts it off when its invite expires, if it is quiet then; null while it is not a member. */
        volatile TaskTimer.Cancellable expiry;

        Peer(byte[] nonce) {
            this.nonce = nonce;
        }

        void cancelExpiry() {
            TaskTimer.Cancellable timer = expiry;
            if (timer != null) {
                timer.cancel();
            }
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    /** One daemon thread for every stage's expiry timers: each task is a look at one admission. */
    private static final TaskTimer EXPIRY_TIMER = TaskTimer.daemon("ensemble-membership-expiry");

    private final Transport inner;
    private final ClosedRoom room;
    private final PeerId self;
    /** This peer's own admission: rechecked like the members', so that it leaves once it no longer holds. */
    private final ClosedRoom.Admission own;

    private final HeldInvite held;
    private final TaskTimer timer;
    /** Runs every callback's work and every expiry, one at a time, so that the listener's calls never overlap. */
    private final SerialExecutor serial = new SerialExecutor();

    private final Object lock = new Object();
    private final Map<PeerId, Peer> peers = new ConcurrentHashMap<>();
    private final AtomicLong membersAdmitted = new AtomicLong();
    private final AtomicLong peersRefused = new AtomicLong();
    private final AtomicLong framesDropped = new AtomicLong();
    private final AtomicLong revocationsAccepted = new AtomicLong();
    private final AtomicLong revocationsReplayed = new AtomicLong();
    private final AtomicLong revocationsRefused = new AtomicLong();
    private volatile TransportListener listener = TransportListener.NONE;
    private volatile boolean selfExcluded;
    /** Set first by {@link #close}: no callback's work runs, nobody is admitted and no timer is armed after it. */
    private volatile boolean closed;
    /** The room's revocation epoch the members were last rechecked against; serial executor only. */
    private long recheckedEpoch;
    /** When the members' expiry is next looked at (at most once a second); serial executor only. */
    private Instant nextExpiryCheck = Instant.MIN;

    private volatile TaskTimer.Cancellable ownExpiry;

    private final Consumer<Revocation> onRevoked = this::gossip;

    private MembershipTransport(
            Transport inner, ClosedRoom room, ClosedRoom.Admission own, HeldInvite held, TaskTimer timer) {
        this.inner = inner;
        this.room = room;
        this.self = own.peer();
        this.own = own;
        this.held = held;
        this.timer = timer;
    }

    /**
     * Wraps a transport so that only members of {@code room} reach the layer above.
     *
     * @param inner the transport below (in production a {@code SecureTransport})
     * @param room the closed room, with its owner and revocations
     * @param self this peer's id (as the transport below names it to others)
     * @param chain what this peer presents: its invite chain ending with a named invite, or {@link
     *     InviteChain#empty()} for the owner
     * @return the stage, not started; expiry follows the room's clock and skew
     * @throws IllegalArgumentException if the chain does not admit {@code self} now (the message says why):
     *     it would be refused by every member; or if it ends with a bearer invite, which needs its holder key
     *     (use {@link #wrap(Transport, ClosedRoom, PeerId, HeldInvite)})
     */
    public static MembershipTransport wrap(Transport inner, ClosedRoom room, PeerId self, InviteChain chain) {
        return wrap(inner, room, self, HeldInvite.of(Objects.requireNonNull(chain, "chain")));
    }

    /**
     * Wraps a transport so that only members of {@code room} reach the layer above, this peer presenting the
     * invite it holds (read from its invite file with {@link HeldInvite#parse}; {@link HeldInvite#owner()} for
     * the owner).
     *
     * @throws IllegalArgumentException if the invite does not admit {@code self} now (the message says why)
     */
    public static MembershipTransport wrap(Transport inner, ClosedRoom room, PeerId self, HeldInvite invite) {
        return wrap(inner, room, self, invite, EXPIRY_TIMER);
    }

    /** As {@link #wrap(Transport, ClosedRoom, PeerId, HeldInvite)}, expiry scheduled on {@code timer} (tests). */
    static MembershipTransport wrap(Transport inner, ClosedRoom room, PeerId self, HeldInvite invite, TaskTimer timer) {
        Objects.requireNonNull(inner, "inner");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(invite, "invite");
        ClosedRoom.Admission own;
        try {
            // A proof to itself checks that the key in the invite file is the invite's, before any peer sees it.
            own = room.admit(self, invite);
        } catch (InviteException e) {
            throw new IllegalArgumentException(
                    "this peer's own invite does not let it into closed room '" + room.room() + "': " + e.getMessage()
                            + " [" + e.problem() + "]",
                    e);
        }
        return new MembershipTransport(inner, room, own, invite, Objects.requireNonNull(timer, "timer"));
    }

    private static byte[] freshNonce() {
        byte[] nonce = new byte[PossessionProof.NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        return nonce;
    }

    /** The inner transport's name: this stage adds nothing to what moves the bytes. Thread-safe. */
    @Override
    public String name() {
        return inner.name();
    }

    /** The inner transport's limit: data passes unchanged. Thread-safe. */
    @Override
    public int maxMessageSize() {
        return inner.maxMessageSize();
    }

    @Override
    public void start(TransportListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        room.addRevocationListener(onRevoked);
        scheduleOwnExpiry();
        inner.start(new InnerListener());
    }

    /**
     * Sends to a member. Returns {@code false} for a peer that is not (or no longer) a member, and for a
     * message that starts with {@link #FRAME_MARKER} (this stage's own frames). Thread-safe.
     */
    @Override
    public boolean send(PeerId to, byte[] message) {
        if (closed || selfExcluded) {
            return false;
        }
        if (MembershipFrames.isMembershipFrame(message)) {
            log.warn(
                    "refusing to send a message that starts with 0x03 (the membership stage's marker) to {}",
                    to.shortForm());
            return false;
        }
        Peer peer = peers.get(to);
        if (peer == null || peer.status != Status.MEMBER || expired(peer)) {
            // An expired or revoked member is reported by the next callback, on the inner transport's thread.
            return false;
        }
        long epoch = room.revocationEpoch();
        if (peer.checkedEpoch != epoch) {
            if (room.recheck(peer.admission).isPresent()) {
                return false;
            }
            peer.checkedEpoch = epoch;
        }
        return inner.send(to, message);
    }

    @Override
    public int queueSize(PeerId peer) {
        return inner.queueSize(peer);
    }

    @Override
    public void close() {
        // Before the timers are cancelled: a callback's task still running arms none after it (scheduleExpiry).
        closed = true;
        room.removeRevocationListener(onRevoked);
        cancelTimers();
        inner.close();
        listener = TransportListener.NONE;
    }

    /**
     * Applies a revocation here (it must be signed by the room's owner) and gossips it to every connected
     * peer. From then on nothing is sent to the members it concerns; they are reported disconnected (and
     * their frames dropped) at the next callback of the inner transport, on its thread. Thread-safe.
     *
     * @return true if it was new, false if already known
     * @throws InviteException if the room refuses it (see {@link ClosedRoom#revoke})
     */
    public boolean revoke(Revocation revocation) throws InviteException {
        if (!room.revoke(revocation)) {
            revocationsReplayed.incrementAndGet();
            return false;
        }
        revocationsAccepted.incrementAndGet();
        return true;
    }

    /** The peers admitted as members and still connected (none once closed). Thread-safe. */
    public Set<PeerId> members() {
        if (closed) {
            return Set.of();
        }
        return peers.entrySet().stream()
                .filter(e -> e.getValue().status == Status.MEMBER)
                .map(Map.Entry::getKey)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The closed room this stage admits to. */
    public ClosedRoom room() {
        return room;
    }

    /** What was refused and accepted so far. Thread-safe. */
    public Counters counters() {
        return new Counters(
                membersAdmitted.get(),
                peersRefused.get(),
                framesDropped.get(),
                revocationsAccepted.get(),
                revocationsReplayed.get(),
                revocationsRefused.get());
    }

    @Override
    public String toString() {
        return "MembershipTransport[" + room + " over " + inner + "]";
    }

    private boolean expired(Peer peer) {
        ClosedRoom.Admission admission = peer.admission;
        return admission != null && room.expired(admission);
    }

    private void cutOffExpired(PeerId id) {
        cutOff(id, "its invite expired");
    }

    /** Calls off every expiry timer of this stage: at close, and once this peer has left the room. */
    private void cancelTimers() {
        TaskTimer.Cancellable ownTimer = ownExpiry;
        if (ownTimer != null) {
            ownTimer.cancel();
        }
        peers.values().forEach(Peer::cancelExpiry);
    }

    /**
     * Delay until {@code due} on the room's clock, zero if it has passed, at most {@link #MAX_TIMER_STEP}: the
     * task looks at the clock again when it runs and waits on if it is early.
     */
    private Duration until(Instant due) {
        Duration delay = Duration.between(room.now(), due);
        if (delay.isNegative()) {
            return Duration.ZERO;
        }
        return delay.compareTo(MAX_TIMER_STEP) > 0 ? MAX_TIMER_STEP : delay;
    }

    /**
     * Arms the timer that cuts a member off when its chain expires, even if neither it nor anyone else on this
     * transport says anything then. Traffic still notices expiry too (the timer's thread may run late).
     */
    private void scheduleExpiry(PeerId id, Peer peer) {
        Instant due = room.expiryDue(peer.admission);
        if (due.equals(Instant.MAX)) {
            return;
        }
        peer.expiry = timer.schedule(() -> serial.execute(() -> onExpiryDue(id, peer)), until(due));
        if (closed || selfExcluded) {
            // Closed (or left) while this was being armed: close saw no timer to cancel, so this one goes now.
            peer.cancelExpiry();
        }
    }

    /** On the serial executor, when a member's timer fires: cut it off, or wait on if the clock is behind. */
    private void onExpiryDue(PeerId id, Peer peer) {
        if (closed || peers.get(id) != peer || peer.status != Status.MEMBER) {
            return;
        }
        if (expired(peer)) {
            cutOffExpired(id);
        } else {
            scheduleExpiry(id, peer);
        }
    }

    /** Arms the timer that makes this peer leave when its own chain expires. */
    private void scheduleOwnExpiry() {
        Instant due = room.expiryDue(own);
        if (due.equals(Instant.MAX)) {
            return;
        }
        ownExpiry = timer.schedule(() -> serial.execute(this::onOwnExpiryDue), until(due));
        if (closed || selfExcluded) {
            ownExpiry.cancel();
        }
    }

    private void onOwnExpiryDue() {
        if (selfExcluded || closed) {
            return;
        }
        if (room.expired(own)) {
            checkOwn();
        } else {
            scheduleOwnExpiry();
        }
    }

    /** On the serial executor: applies revocations any stage of the room learnt since the last time, and expiry. */
    private void catchUp() {
        long epoch = room.revocationEpoch();
        if (epoch != recheckedEpoch) {
            recheckedEpoch = epoch;
            recheckMembers();
        }
        Instant now = room.now();
        if (!now.isBefore(nextExpiryCheck)) {
            // A quiet member's expiry is noticed on anyone's traffic, not only on its own.
            nextExpiryCheck = now.plusSeconds(1);
            checkOwn();
            for (Map.Entry<PeerId, Peer> entry : peers.entrySet()) {
                if (entry.getValue().status == Status.MEMBER && expired(entry.getValue())) {
                    cutOffExpired(entry.getKey());
                }
            }
        }
    }

    /** Turns a member into a refused peer: disconnected above, one error. */
    private void cutOff(PeerId id, String why) {
        Peer peer = peers.get(id);
        synchronized (lock) {
            if (peer == null || peer.status != Status.MEMBER) {
                return;
            }
            peer.status = Status.REFUSED;
        }
        peer.cancelExpiry();
        peersRefused.incrementAndGet();
        String message = "peer " + id + " is no longer a member of closed room '" + room.room() + "': " + why
                + "; its frames are dropped from now on";
        log.warn("{}", message);
        TransportListener target = listener;
        target.onPeerDisconnected(id, "no longer a member of the room: " + why);
        target.onError(new TransportException(Reason.NOT_A_MEMBER, room.room(), id, message, null));
    }

    /** Refuses a pending peer: one error. */
    private void refuse(PeerId id, Peer peer, String why) {
        synchronized (lock) {
            if (peer.status != Status.PENDING) {
                return;
            }
            peer.status = Status.REFUSED;
        }
        peersRefused.incrementAndGet();
        String message = "peer " + id + " is not a member of closed room '" + room.room() + "': " + why
                + "; its frames are dropped";
        log.warn("{}", message);
        listener.onError(new TransportException(Reason.NOT_A_MEMBER, room.room(), id, message, null));
    }

    /**
     * Sends a new revocation to every peer admitted on its connection (the one it came from sees a replay); a
     * pending peer gets every revocation once it is admitted. A member cut off meanwhile (on the inner thread,
     * perhaps by this very revocation) still gets it: that is how a revoked peer learns to leave.
     */
    private void gossip(Revocation revocation) {
        byte[] frame = MembershipFrames.revocation(revocation);
        for (Map.Entry<PeerId, Peer> entry : peers.entrySet()) {
            if (entry.getValue().admitted) {
                inner.send(entry.getKey(), frame.clone());
            }
        }
    }

    private void recheckMembers() {
        for (Map.Entry<PeerId, Peer> entry : peers.entrySet()) {
            Peer peer = entry.getValue();
            ClosedRoom.Admission admission = peer.admission;
            if (peer.status == Status.MEMBER && admission != null) {
                room.recheck(admission).ifPresent(e -> cutOff(entry.getKey(), e.getMessage()));
            }
        }
        checkOwn();
    }

    /**
     * Leaves the room once this peer's own chain no longer holds: not only when the owner revokes this peer, but
     * also its invite, or a member up its chain, or when the chain expires. The members refuse it from then on.
     */
    private void checkOwn() {
        if (!selfExcluded) {
            room.recheck(own).ifPresent(e -> excludeSelf(e.getMessage()));
        }
    }

    /** This peer's chain no longer holds: it leaves every member (who refuse its frames anyway) and says so once. */
    private void excludeSelf(String why) {
        selfExcluded = true;
        // Out of the room, it waits for nobody's expiry: the timers would only hold this stage until they ran.
        cancelTimers();
        String message = "this peer (" + self + ") is no longer a member of closed room '" + room.room() + "': " + why
                + "; members refuse its frames, so it has left them; ask the owner for a new invite";
        log.warn("{}", message);
        for (Map.Entry<PeerId, Peer> entry : peers.entrySet()) {
            boolean wasMember;
            synchronized (lock) {
                wasMember = entry.getValue().status == Status.MEMBER;
                entry.getValue().status = Status.REFUSED;
            }
            if (wasMember) {
                listener.onPeerDisconnected(entry.getKey(), "this peer's membership ended: " + why);
            }
        }
        listener.onError(new TransportException(Reason.NOT_A_MEMBER, room.room(), self, message, null));
    }

    /** The other side's nonce for this connection: answered with this side's chain, bound to it. */
    private void onHello(PeerId from, Peer peer, byte[] frame) {
        byte[] nonce = MembershipFrames.payload(frame);
        if (peer.presented || selfExcluded || nonce.length != PossessionProof.NONCE_BYTES) {
            // A second hello on one connection, or a malformed one: nothing a genuine peer sends.
            framesDropped.incrementAndGet();
            return;
        }
        peer.presented = true;
        PossessionProof binding = PossessionProof.toPeer(from, nonce);
        inner.send(from, MembershipFrames.present(held.chain(), held.prove(binding, self)));
    }

    private void onPresent(PeerId from, Peer peer, byte[] frame) {
        if (peer.status != Status.PENDING || selfExcluded) {
            // A second chain on one connection: nothing a genuine peer sends; a member stays a member.
            framesDropped.incrementAndGet();
            return;
        }
        ClosedRoom.Admission admission;
        try {
            byte[] proof = MembershipFrames.presentProof(frame);
            if (proof == null) {
                throw new InviteException(
                        InviteException.Problem.MALFORMED,
                        "its present frame of " + frame.length + " bytes ends inside the proof it announces");
            }
            InviteChain chain = InviteChain.decode(MembershipFrames.presentChain(frame));
            admission = room.admit(from, chain, PossessionProof.toPeer(self, peer.nonce), proof);
        } catch (InviteException e) {
            refuse(from, peer, e.getMessage() + " [" + e.problem() + "]");
            return;
        }
        synchronized (lock) {
            if (peer.status != Status.PENDING) {
                return;
            }
            peer.admission = admission;
            peer.admitted = true;
            peer.status = Status.MEMBER;
        }
        scheduleExpiry(from, peer);
        membersAdmitted.incrementAndGet();
        log.debug("{} admitted to closed room {} until {}", from.shortForm(), room.room(), admission.expiresAt());
        // Only now: a stranger would learn who was revoked, and could have each member send it every revocation
        // (up to MAX_REVOCATIONS frames) on every connection. One gossiped meanwhile may come twice: a replay.
        for (Revocation revocation : room.revocations()) {
            inner.send(from, MembershipFrames.revocation(revocation));
        }
        listener.onPeerConnected(from);
    }

    private void onRevocation(PeerId from, Peer peer, byte[] frame) {
        if (peer.status != Status.MEMBER || peer.revocationsRefused >= MAX_REFUSED_REVOCATIONS) {
            framesDropped.incrementAndGet();
            return;
        }
        Revocation revocation;
        boolean fresh;
        try {
            revocation = Revocation.decode(MembershipFrames.payload(frame));
            fresh = room.revoke(revocation);
        } catch (InviteException e) {
            revocationsRefused.incrementAndGet();
            peer.revocationsRefused++;
            String message = "peer " + from + " relayed a revocation for closed room '" + room.room()
                    + "' that was refused: " + e.getMessage() + " [" + e.problem() + "]"
                    + (peer.revocationsRefused == MAX_REFUSED_REVOCATIONS
                            ? "; that is " + MAX_REFUSED_REVOCATIONS
                                    + " from this peer, so its further revocations are dropped unread"
                            : "");
            log.warn("{}", message);
            listener.onError(new TransportException(Reason.NOT_A_MEMBER, room.room(), from, message, null));
            return;
        }
        if (!fresh) {
            revocationsReplayed.incrementAndGet();
            return;
        }
        revocationsAccepted.incrementAndGet();
        catchUp();
    }

    /** Receives the inner transport's events on its thread. */
    private final class InnerListener extends TransportListener {

        @Override
        public void onPeerConnected(PeerId peer) {
            run(() -> connected(peer));
        }

        @Override
        public void onPeerDisconnected(PeerId id, String reason) {
            run(() -> disconnected(id, reason));
        }

        @Override
        public void onUnsent(PeerId id, List<byte[]> messages) {
            run(() -> unsent(id, messages));
        }

        @Override
        public void onMessage(PeerId from, byte[] message) {
            run(() -> received(from, message));
        }

        @Override
        public void onError(TransportException error) {
            run(() -> listener.onError(error));
        }

        /**
         * Runs a callback's work on the serial executor, unless the stage is closed by the time it runs: the
         * transport below may still deliver what it had in flight, and that must admit nobody and arm no timer.
         */
        private void run(Runnable work) {
            serial.execute(() -> {
                if (!closed) {
                    work.run();
                }
            });
        }

        private void connected(PeerId peer) {
            catchUp();
            byte[] nonce = freshNonce();
            Peer old = peers.put(peer, new Peer(nonce));
            if (old != null) {
                old.cancelExpiry();
                if (old.status == Status.MEMBER) {
                    // Connected again without a disconnect in between: the new connection must present anew.
                    listener.onPeerDisconnected(peer, "connected again; waiting for its invite");
                }
            }
            inner.send(peer, MembershipFrames.hello(nonce));
        }

        private void disconnected(PeerId id, String reason) {
            catchUp();
            Peer peer = peers.remove(id);
            if (peer != null) {
                peer.cancelExpiry();
                if (peer.status == Status.MEMBER) {
                    listener.onPeerDisconnected(id, reason);
                }
            }
        }

        private void unsent(PeerId id, List<byte[]> messages) {
            Peer peer = peers.get(id);
            if (peer == null || peer.status != Status.MEMBER) {
                return;
            }
            List<byte[]> data = new ArrayList<>(messages.size());
            for (byte[] message : messages) {
                if (!MembershipFrames.isMembershipFrame(message)) {
                    data.add(message);
                }
            }
            if (!data.isEmpty()) {
                listener.onUnsent(id, data);
            }
        }

        private void received(PeerId from, byte[] message) {
            catchUp();
            Peer peer = peers.get(from);
            if (peer == null) {
                // Not reported connected below: nothing a correct transport does.
                framesDropped.incrementAndGet();
                return;
            }
            if (MembershipFrames.isMembershipFrame(message)) {
                // A lone marker byte is no frame of this stage's, and no envelope either: dropped like an unknown type.
                switch (message.length < 2 ? 0 : MembershipFrames.type(message)) {
                    case MembershipFrames.HELLO -> onHello(from, peer, message);
                    case MembershipFrames.PRESENT -> onPresent(from, peer, message);
                    case MembershipFrames.REVOCATION -> onRevocation(from, peer, message);
                    case MembershipFrames.LEGACY_PRESENT -> {
                        framesDropped.incrementAndGet();
                        refuse(
                                from,
                                peer,
                                "it presented its invite as versions before proof of possession did (membership"
                                        + " frame 0x03 0x01, no proof that it holds a bearer invite's key); upgrade"
                                        + " it [NO_PROOF]");
                    }
                    default -> {
                        framesDropped.incrementAndGet();
                        log.debug("dropped a membership frame of {} bytes from {}", message.length, from.shortForm());
                    }
                }
                return;
            }
            switch (peer.status) {
                case MEMBER -> {
                    if (expired(peer)) {
                        framesDropped.incrementAndGet();
                        cutOffExpired(from);
                    } else {
                        listener.onMessage(from, message);
                    }
                }
                case PENDING -> {
                    framesDropped.incrementAndGet();
                    refuse(
                            from,
                            peer,
                            "it sent data before presenting an invite (a peer without the membership"
                                    + " stage, or a stranger)");
                }
                case REFUSED -> framesDropped.incrementAndGet();
            }
        }
    }
}
