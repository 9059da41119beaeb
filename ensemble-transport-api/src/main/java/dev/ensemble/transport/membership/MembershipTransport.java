package dev.ensemble.transport.membership;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.TransportException;
import dev.ensemble.transport.TransportException.Reason;
import dev.ensemble.transport.TransportListener;
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
 * {@link InviteChain} once the transport below reports the other connected, and a peer is reported
 * connected above only once its chain is admitted. It has one job and knows nothing of sessions or
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
 * present     0x03 0x01 ‖ invite chain (the owner's is empty)     sent first, once per connection
 * revocation  0x03 0x02 ‖ revocation                              every one known once the peer is admitted,
 *                                                                 then as gossip
 * </pre>
 *
 * <h2>What happens to a peer</h2>
 *
 * <ul>
 *   <li>Connected below: this side sends its chain. The peer is <em>pending</em>; the layer above does
 *       not know it yet.
 *   <li>Its chain is admitted ({@link ClosedRoom#admit}): the peer is a <em>member</em>, reported
 *       connected above, and sent every revocation this side knows; its data passes up.
 *   <li>Its chain is refused, or it sends data before presenting one: it is <em>refused</em>. One
 *       {@link Reason#NOT_A_MEMBER} error names it and the reason; every frame it sends is dropped and
 *       counted, and it is never reported connected (until it connects again below and presents a
 *       valid chain).
 *   <li>A revocation (from the owner through {@link #revoke}, or gossiped by a member) or the earliest
 *       expiry of its chain cuts a member off: reported disconnected above with the reason, one
 *       {@code NOT_A_MEMBER} error, then treated as refused. Expiry is checked on every frame it sends
 *       or is sent, and on any callback of the inner transport at most once a second.
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
 * thread-safe. Callbacks arrive on the inner transport's thread, never with a lock of this stage held.
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
        /** Revocations from it that the room refused; inner thread only. */
        int revocationsRefused;
    }

    private final Transport inner;
    private final ClosedRoom room;
    private final PeerId self;
    /** This peer's own admission: rechecked like the members', so that it leaves once it no longer holds. */
    private final ClosedRoom.Admission own;

    private final byte[] presentFrame;
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
    /** The room's revocation epoch the members were last rechecked against; inner thread only. */
    private long recheckedEpoch;
    /** When the members' expiry is next looked at (at most once a second); inner thread only. */
    private Instant nextExpiryCheck = Instant.MIN;

    private final Consumer<Revocation> onRevoked = this::gossip;

    private MembershipTransport(Transport inner, ClosedRoom room, ClosedRoom.Admission own) {
        this.inner = inner;
        this.room = room;
        this.self = own.peer();
        this.own = own;
        this.presentFrame = MembershipFrames.present(own.chain());
    }

    /**
     * Wraps a transport so that only members of {@code room} reach the layer above.
     *
     * @param inner the transport below (in production a {@code SecureTransport})
     * @param room the closed room, with its owner and revocations
     * @param self this peer's id (as the transport below names it to others)
     * @param chain what this peer presents: its invite chain, or {@link InviteChain#empty()} for the owner
     * @return the stage, not started; expiry follows the room's clock and skew
     * @throws IllegalArgumentException if the chain does not admit {@code self} now (the message says why):
     *     it would be refused by every member
     */
    public static MembershipTransport wrap(Transport inner, ClosedRoom room, PeerId self, InviteChain chain) {
        Objects.requireNonNull(inner, "inner");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(chain, "chain");
        ClosedRoom.Admission own;
        try {
            own = room.admit(self, chain);
        } catch (InviteException e) {
            throw new IllegalArgumentException(
                    "this peer's own invite does not let it into closed room '" + room.room() + "': " + e.getMessage(),
                    e);
        }
        return new MembershipTransport(inner, room, own);
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
        inner.start(new InnerListener());
    }

    /**
     * Sends to a member. Returns {@code false} for a peer that is not (or no longer) a member, and for a
     * message that starts with {@link #FRAME_MARKER} (this stage's own frames). Thread-safe.
     */
    @Override
    public boolean send(PeerId to, byte[] message) {
        if (selfExcluded) {
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
        room.removeRevocationListener(onRevoked);
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

    /** The peers admitted as members and still connected. Thread-safe. */
    public Set<PeerId> members() {
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

    /** On the inner thread: applies revocations any stage of the room learnt since the last time, and expiry. */
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
        synchronized (lock) {
            Peer peer = peers.get(id);
            if (peer == null || peer.status != Status.MEMBER) {
                return;
            }
            peer.status = Status.REFUSED;
        }
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

    private void onPresent(PeerId from, Peer peer, byte[] frame) {
        if (peer.status != Status.PENDING || selfExcluded) {
            // A second chain on one connection: nothing a genuine peer sends; a member stays a member.
            framesDropped.incrementAndGet();
            return;
        }
        ClosedRoom.Admission admission;
        try {
            admission = room.admit(from, InviteChain.decode(MembershipFrames.payload(frame)));
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
            catchUp();
            Peer old = peers.put(peer, new Peer());
            if (old != null && old.status == Status.MEMBER) {
                // Connected again without a disconnect in between: the new connection must present anew.
                listener.onPeerDisconnected(peer, "connected again; waiting for its invite");
            }
            inner.send(peer, presentFrame.clone());
        }

        @Override
        public void onPeerDisconnected(PeerId id, String reason) {
            catchUp();
            Peer peer = peers.remove(id);
            if (peer != null && peer.status == Status.MEMBER) {
                listener.onPeerDisconnected(id, reason);
            }
        }

        @Override
        public void onUnsent(PeerId id, List<byte[]> messages) {
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

        @Override
        public void onMessage(PeerId from, byte[] message) {
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
                    case MembershipFrames.PRESENT -> onPresent(from, peer, message);
                    case MembershipFrames.REVOCATION -> onRevocation(from, peer, message);
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

        @Override
        public void onError(TransportException error) {
            listener.onError(error);
        }
    }
}
