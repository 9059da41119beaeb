package dev.ensemble.transport.membership;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.membership.InviteException.Problem;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A closed room as one peer (or the signaling server) knows it: its name, its owner, the revocations
 * seen so far, and the rules that decide whether an {@link InviteChain} lets a peer in. {@link
 * MembershipTransport} asks it about every peer; the signaling server's invite authorizer asks it
 * about every join.
 *
 * <h2>Checking a chain ({@link #admit})</h2>
 *
 * Cheap checks first, signatures last, so a hostile chain costs no more than its reading plus, if
 * everything else holds, one Ed25519 verification per link:
 * <ol>
 *   <li>the empty chain admits the owner only ({@link Problem#NO_INVITE});
 *   <li>every link is for this room ({@link Problem#WRONG_ROOM}); link 0 is signed by the owner
 *       ({@link Problem#NOT_FROM_OWNER}); each further link is signed by the holder of the link before
 *       (its invitee, or a bearer invite's holder key; {@link Problem#BROKEN_CHAIN}), whose invite allows
 *       delegation ({@link Problem#DELEGATION_NOT_ALLOWED});
 *   <li>every link is issued no later than now plus the clock skew ({@link Problem#NOT_YET_VALID})
 *       and expires after now minus the skew ({@link Problem#EXPIRED});
 *   <li>the last link names the presenter ({@link Problem#NOT_THE_INVITEE}), or is a bearer invite and a
 *       proof of possession came with it ({@link Problem#NO_PROOF});
 *   <li>no link, no issuer or holder of a link, and not the presenter is revoked ({@link Problem#REVOKED});
 *   <li>every signature verifies ({@link Problem#FORGED});
 *   <li>for a bearer invite last, the proof verifies with its holder key over what binds this presentation
 *       ({@link Problem#NO_PROOF}): one connection to one peer, or one join at one server. A chain copied
 *       off the wire comes without a proof, or with one bound to another presenter, peer or nonce.
 * </ol>
 *
 * <p>The admission lasts until the earliest expiry of the chain's links ({@link Admission#expiresAt}).
 *
 * <h2>Revocations ({@link #revoke})</h2>
 *
 * Only the owner revokes. A revocation for another room, by someone else, dated in the future or
 * with a bad signature is refused; one already known (a replay) changes nothing and is reported as
 * not new, so that gossip stops there. At most {@link #MAX_REVOCATIONS} per room. With a {@link
 * Builder#revocationFile file}, accepted revocations are appended to it and read back on creation,
 * so they last as long as the room, across restarts.
 *
 * <p>Thread-safe: {@link #admit} and {@link #revoke} may be called from any thread.
 *
 * <pre>{@code
 * ClosedRoom room = ClosedRoom.builder("jam", ownerId).revocationFile(dir.resolve("jam.revocations")).build();
 * Admission bob = room.admit(bobId, InviteChain.parse(text));   // throws InviteException with the reason
 * }</pre>
 */
public final class ClosedRoom {

    /** The clock difference tolerated between the signer of an invite and its checker. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofMinutes(2);
    /** Most revocations a room keeps; more are refused as {@link Problem#TOO_LARGE}. */
    public static final int MAX_REVOCATIONS = 4096;

    private static final Logger log = LoggerFactory.getLogger(ClosedRoom.class);
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private final String room;
    private final PeerId owner;
    private final Clock clock;
    private final Duration clockSkew;
    private final RevocationFile revocationFile;
    private final int maxRevocations;
    private final Map<String, Revocation> revocations = new ConcurrentHashMap<>();
    private final Set<String> revokedInvites = ConcurrentHashMap.newKeySet();
    private final Set<PeerId> revokedMembers = ConcurrentHashMap.newKeySet();
    private final List<Consumer<Revocation>> revocationListeners = new CopyOnWriteArrayList<>();
    /**
     * Bumped as each revocation is applied, before any listener runs: a stage that reads it on another
     * thread sees the revocation at once, not only once its own listener has been called.
     */
    private final AtomicLong revocationEpoch = new AtomicLong();

    private ClosedRoom(Builder builder) throws IOException {
        this.room = builder.room;
        this.owner = builder.owner;
        this.clock = builder.clock;
        this.clockSkew = builder.clockSkew;
        this.revocationFile = builder.revocationFile == null ? null : new RevocationFile(builder.revocationFile);
        this.maxRevocations = builder.maxRevocations;
        if (revocationFile != null) {
            revocationFile.load(room, owner, maxRevocations).forEach(this::apply);
        }
    }

    /**
     * Starts building a closed room.
     *
     * @param room the room name (1 to 255 bytes of UTF-8)
     * @param owner the did:key that signs its invites and revocations
     * @return a builder
     */
    public static Builder builder(String room, PeerId owner) {
        return new Builder(room, owner);
    }

    /** The room's name. */
    public String room() {
        return room;
    }

    /** The room's owner. */
    public PeerId owner() {
        return owner;
    }

    /**
     * Checks that {@code chain} lets {@code presenter} into this room now (see the class comment for
     * the order of the checks). A chain that ends with a bearer invite needs a proof of possession, so it
     * is refused here ({@link Problem#NO_PROOF}): the server checks one with {@link #admitJoin}, the peers
     * in {@link MembershipTransport}.
     *
     * @return the admission, lasting until the chain's earliest expiry
     * @throws InviteException naming the first rule the chain breaks
     */
    public Admission admit(PeerId presenter, InviteChain chain) throws InviteException {
        return check(presenter, chain, true, null, null);
    }

    /**
     * Checks a join's token at the server: the text form of an invite chain that lets {@code presenter} in,
     * followed, when it ends with a bearer invite, by {@code '.'} and the base64url proof of possession that
     * {@link HeldInvite#joinToken} makes, bound to this presenter and to {@code serverNonce}, the challenge
     * nonce of the connection that joins. A token seen in another join, or a chain copied off the wire, is
     * refused ({@link Problem#NO_PROOF}).
     *
     * @param presenter the verified peer that joins
     * @param token the join's token
     * @param serverNonce the challenge nonce the server sent on the joining connection
     * @return the admission
     * @throws InviteException naming the first rule the token breaks
     */
    public Admission admitJoin(PeerId presenter, String token, String serverNonce) throws InviteException {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(serverNonce, "serverNonce");
        int dot = token.indexOf('.');
        InviteChain chain = InviteChain.parse(dot < 0 ? token : token.substring(0, dot));
        byte[] proof = null;
        if (dot >= 0) {
            String text = token.substring(dot + 1).strip();
            if (text.length() > 100) {
                throw new InviteException(
                        Problem.MALFORMED,
                        "the proof of possession after the invite must be 86 characters but has " + text.length());
            }
            try {
                proof = Base64.getUrlDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                throw new InviteException(
                        Problem.MALFORMED,
                        "the proof of possession after the invite is not base64url: " + e.getMessage());
            }
        }
        return check(presenter, chain, true, PossessionProof.atJoin(serverNonce), proof);
    }

    /**
     * Checks that the invite a peer holds lets it in now: its chain, and for a bearer invite that the key held
     * with it is the invite's (the peer proves possession to itself). What a peer checks before joining, so
     * that an expired or foreign invite is named before anything connects.
     *
     * @return the admission, lasting until the chain's earliest expiry
     * @throws InviteException naming the first rule the invite breaks
     */
    public Admission admit(PeerId self, HeldInvite invite) throws InviteException {
        byte[] nonce = new byte[PossessionProof.NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        PossessionProof binding = PossessionProof.toPeer(self, nonce);
        return check(self, invite.chain(), true, binding, invite.prove(binding, self));
    }

    /** Checks a chain with the proof of possession a peer sent with it, bound by {@code binding}. */
    Admission admit(PeerId presenter, InviteChain chain, PossessionProof binding, byte[] proof) throws InviteException {
        return check(presenter, chain, true, binding, proof);
    }

    private Admission check(
            PeerId presenter, InviteChain chain, boolean verifySignatures, PossessionProof binding, byte[] proof)
            throws InviteException {
        Objects.requireNonNull(presenter, "presenter");
        Objects.requireNonNull(chain, "chain");
        List<Invite> links = chain.invites();
        if (links.isEmpty()) {
            if (presenter.equals(owner)) {
                return new Admission(presenter, chain, Instant.MAX);
            }
            throw new InviteException(
                    Problem.NO_INVITE,
                    "peer " + presenter + " presented no invite to closed room '" + room + "'; only its owner " + owner
                            + " may; ask the owner or a member for an invite");
        }
        if (links.size() > InviteChain.MAX_LENGTH) {
            throw new InviteException(
                    Problem.TOO_LARGE,
                    "an invite chain holds at most " + InviteChain.MAX_LENGTH + " invites but has " + links.size());
        }
        Instant now = clock.instant();
        Instant expiresAt = Instant.MAX;
        Invite previous = null;
        for (int i = 0; i < links.size(); i++) {
            Invite link = links.get(i);
            String where = "invite " + i + " of the chain (" + link.idHex() + ")";
            if (!link.room().equals(room)) {
                throw new InviteException(
                        Problem.WRONG_ROOM, where + " is for room '" + link.room() + "', not for '" + room + "'");
            }
            if (previous == null) {
                if (!link.issuer().equals(owner)) {
                    throw new InviteException(
                            Problem.NOT_FROM_OWNER,
                            where + " is signed by " + link.issuer() + ", not by the room's owner " + owner);
                }
            } else {
                if (!link.issuer().equals(previous.holder())) {
                    throw new InviteException(
                            Problem.BROKEN_CHAIN,
                            where + " is signed by " + link.issuer() + ", but invite " + (i - 1)
                                    + (previous.bearer()
                                            ? " is a bearer invite whose holder key is " + previous.holder()
                                            : " was given to " + previous.holder()));
                }
                if (!previous.mayDelegate()) {
                    throw new InviteException(
                            Problem.DELEGATION_NOT_ALLOWED,
                            where + " was delegated by member " + link.issuer()
                                    + ", whose own invite does not allow it to invite others");
                }
            }
            if (link.issuedAt().isAfter(now.plus(clockSkew))) {
                throw new InviteException(
                        Problem.NOT_YET_VALID,
                        where + " is issued at " + link.issuedAt() + ", in the future (now " + now
                                + ", clock skew allowed " + clockSkew.toSeconds() + " s); check the signer's clock");
            }
            if (!now.minus(clockSkew).isBefore(link.expiresAt())) {
                throw new InviteException(
                        Problem.EXPIRED,
                        where + " expired at " + link.expiresAt() + " (now " + now + "); ask for a new invite");
            }
            if (revokedInvites.contains(link.idHex())) {
                throw new InviteException(Problem.REVOKED, where + " was revoked by the room's owner");
            }
            if (revokedMembers.contains(link.issuer())) {
                throw new InviteException(
                        Problem.REVOKED, where + " was signed by " + link.issuer() + ", a member the owner revoked");
            }
            if (revokedMembers.contains(link.holder())) {
                throw new InviteException(
                        Problem.REVOKED, where + " names " + link.holder() + ", a member the owner revoked");
            }
            if (link.expiresAt().isBefore(expiresAt)) {
                expiresAt = link.expiresAt();
            }
            previous = link;
        }
        if (!previous.bearer() && !previous.invitee().orElseThrow().equals(presenter)) {
            throw new InviteException(
                    Problem.NOT_THE_INVITEE,
                    "the invite chain was given to " + previous.invitee().orElseThrow() + ", not to " + presenter
                            + " who presented it");
        }
        boolean needsProof = verifySignatures && previous.bearer();
        if (needsProof && (binding == null || proof == null || proof.length != PeerId.SIGNATURE_BYTES)) {
            throw new InviteException(
                    Problem.NO_PROOF,
                    "invite " + (links.size() - 1) + " of the chain (" + previous.idHex() + ") is a bearer invite, and "
                            + (proof == null || proof.length == 0
                                    ? "no proof of possession came with it"
                                    : "its proof of possession is " + proof.length + " bytes, not "
                                            + PeerId.SIGNATURE_BYTES)
                            + ": its holder must sign for each presentation with the key kept in the invite file"
                            + " (a chain copied off the wire, or a peer of a version without proof of possession)");
        }
        if (revokedMembers.contains(presenter)) {
            throw new InviteException(Problem.REVOKED, "peer " + presenter + " was revoked by the room's owner");
        }
        for (int i = 0; verifySignatures && i < links.size(); i++) {
            if (!links.get(i).signatureValid()) {
                throw new InviteException(
                        Problem.FORGED,
                        "invite " + i + " of the chain (" + links.get(i).idHex() + ") has a signature that does"
                                + " not verify with its issuer's key "
                                + links.get(i).issuer() + ": forged or altered");
            }
        }
        if (needsProof
                && !previous.holderKey().orElseThrow().verify(binding.signedBytes(room, presenter, previous), proof)) {
            throw new InviteException(
                    Problem.NO_PROOF,
                    "the proof of possession of bearer invite " + previous.idHex() + " does not verify with its holder"
                            + " key " + previous.holder().shortForm() + " for " + presenter + " on this connection: a"
                            + " chain replayed by someone who saw it but does not hold the invite file's key, or a"
                            + " proof made for another peer, connection or join");
        }
        return new Admission(presenter, chain, expiresAt);
    }

    /**
     * Whether an admission still holds under the revocations known now and at the clock's time; the
     * reason if not. Cheap: the signatures were verified when it was admitted and are not again.
     *
     * @return empty if it holds, else why not
     */
    public Optional<InviteException> recheck(Admission admission) {
        try {
            check(admission.peer(), admission.chain(), false, null, null);
            return Optional.empty();
        } catch (InviteException e) {
            return Optional.of(e);
        }
    }

    /**
     * Applies a revocation signed by the owner.
     *
     * @return true if it is new here (so it should be gossiped on), false if it was already known (a replay)
     * @throws InviteException if it is for another room ({@link Problem#WRONG_ROOM}), not signed by the owner
     *     ({@link Problem#NOT_FROM_OWNER}, {@link Problem#FORGED}), dated in the future ({@link
     *     Problem#NOT_YET_VALID}), or the room holds {@link #MAX_REVOCATIONS} already ({@link Problem#TOO_LARGE})
     */
    public boolean revoke(Revocation revocation) throws InviteException {
        Objects.requireNonNull(revocation, "revocation");
        if (!revocation.room().equals(room)) {
            throw new InviteException(
                    Problem.WRONG_ROOM,
                    "revocation " + revocation.idHex() + " is for room '" + revocation.room() + "', not for '" + room
                            + "'");
        }
        if (!revocation.issuer().equals(owner)) {
            throw new InviteException(
                    Problem.NOT_FROM_OWNER,
                    "revocation " + revocation.idHex() + " is signed by " + revocation.issuer()
                            + "; only the room's owner " + owner + " may revoke");
        }
        if (revocation.kind() == Revocation.Kind.MEMBER && revocation.member().equals(owner)) {
            throw new InviteException(
                    Problem.OWNER_NOT_REVOCABLE,
                    "revocation " + revocation.idHex() + " names the room's owner " + owner + ", who cannot be"
                            + " revoked: every invite of the room is the owner's, so none would hold; to end"
                            + " the room, revoke its invites or create a new room");
        }
        if (revocations.containsKey(revocation.idHex())) {
            return false;
        }
        Instant now = clock.instant();
        if (revocation.issuedAt().isAfter(now.plus(clockSkew))) {
            throw new InviteException(
                    Problem.NOT_YET_VALID,
                    "revocation " + revocation.idHex() + " is dated " + revocation.issuedAt() + ", in the future (now "
                            + now + ")");
        }
        if (!revocation.signatureValid()) {
            throw new InviteException(
                    Problem.FORGED,
                    "revocation " + revocation.idHex() + " has a signature that does not verify with the owner's key "
                            + owner + ": forged or altered");
        }
        synchronized (this) {
            if (revocations.containsKey(revocation.idHex())) {
                return false;
            }
            if (revocations.size() >= maxRevocations) {
                throw new InviteException(
                        Problem.TOO_LARGE,
                        "room '" + room + "' holds " + maxRevocations + " revocations, the most it keeps;"
                                + " create a new room instead");
            }
            apply(revocation);
            if (revocationFile != null) {
                revocationFile.append(revocation);
            }
        }
        log.info("room {}: {} accepted", room, revocation);
        for (Consumer<Revocation> listener : revocationListeners) {
            try {
                listener.accept(revocation);
            } catch (RuntimeException e) {
                log.error("room {}: a revocation listener failed on {}", room, revocation, e);
            }
        }
        return true;
    }

    /**
     * Calls {@code listener} with each new revocation, on the thread that applied it, after it holds: how
     * every {@link MembershipTransport} of the room (one per transport) learns of a revocation another one
     * received. Must be fast and must not throw.
     */
    public void addRevocationListener(Consumer<Revocation> listener) {
        revocationListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Stops calling a listener given to {@link #addRevocationListener}. */
    public void removeRevocationListener(Consumer<Revocation> listener) {
        revocationListeners.remove(listener);
    }

    /** The room's clock's time. */
    Instant now() {
        return clock.instant();
    }

    /** Changes whenever a revocation has been applied: admissions checked under another value need a recheck. */
    long revocationEpoch() {
        return revocationEpoch.get();
    }

    /** When {@link #expired} turns true for an admission ({@link Instant#MAX} for the owner's). */
    Instant expiryDue(Admission admission) {
        Instant expiresAt = admission.expiresAt();
        return expiresAt.equals(Instant.MAX) ? Instant.MAX : expiresAt.plus(clockSkew);
    }

    /** Whether an admission's chain has expired, with the same clock skew as {@link #admit}. Cheap. */
    boolean expired(Admission admission) {
        return !clock.instant().minus(clockSkew).isBefore(admission.expiresAt());
    }

    /** The revocations known, in no particular order. */
    public List<Revocation> revocations() {
        return new ArrayList<>(revocations.values());
    }

    /** Whether the owner revoked this member. */
    public boolean isRevoked(PeerId member) {
        return revokedMembers.contains(member);
    }

    private void apply(Revocation revocation) {
        revocations.put(revocation.idHex(), revocation);
        if (revocation.kind() == Revocation.Kind.INVITE) {
            revokedInvites.add(HexFormat.of().formatHex(revocation.target()));
        } else {
            revokedMembers.add(revocation.member());
        }
        revocationEpoch.incrementAndGet();
    }

    @Override
    public String toString() {
        return "ClosedRoom[" + room + ", owner " + owner.shortForm() + ", " + revocations.size() + " revocations]";
    }

    /**
     * A peer let into the room by a chain, until {@code expiresAt}.
     *
     * @param peer the admitted peer
     * @param chain the chain it presented
     * @param expiresAt the earliest expiry of the chain's invites ({@link Instant#MAX} for the owner)
     */
    public record Admission(PeerId peer, InviteChain chain, Instant expiresAt) {}

    /** Builds a {@link ClosedRoom}. Not thread-safe. */
    public static final class Builder {
        private final String room;
        private final PeerId owner;
        private Clock clock = Clock.systemUTC();
        private Duration clockSkew = DEFAULT_CLOCK_SKEW;
        private Path revocationFile;
        private int maxRevocations = MAX_REVOCATIONS;

        private Builder(String room, PeerId owner) {
            Wire.roomBytes(Objects.requireNonNull(room, "room"));
            this.room = room;
            this.owner = Objects.requireNonNull(owner, "owner");
        }

        /** The clock that says "now" for expiry (tests pass a fixed or manual one). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The clock difference tolerated between signers and this checker; default {@link #DEFAULT_CLOCK_SKEW}. */
        public Builder clockSkew(Duration clockSkew) {
            if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("clockSkew must be between 0 and 1 hour but is " + clockSkew);
            }
            this.clockSkew = clockSkew;
            return this;
        }

        /** A file that keeps the room's revocations across restarts (created on the first one); none by default. */
        public Builder revocationFile(Path revocationFile) {
            this.revocationFile = revocationFile;
            return this;
        }

        /** Lowers the limit of revocations (tests reach it without signing thousands). */
        Builder maxRevocations(int maxRevocations) {
            this.maxRevocations = maxRevocations;
            return this;
        }

        /**
         * Builds the room, reading the revocation file if there is one.
         *
         * @throws IOException if the file cannot be read, or holds a line that is not a revocation of this
         *     room by its owner (the message names the line)
         */
        public ClosedRoom build() throws IOException {
            return new ClosedRoom(this);
        }
    }
}
