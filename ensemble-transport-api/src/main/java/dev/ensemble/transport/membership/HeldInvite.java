package dev.ensemble.transport.membership;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.membership.InviteException.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a peer holds to get into a closed room: its {@link InviteChain} and, when the chain ends with a
 * bearer invite, the private half of that invite's holder key, with which it proves possession each time
 * it presents the chain (to each peer, bound to that connection; at the server's join, bound to the
 * server's challenge). The chain alone, as anyone who watches a join or a presentation sees it, does not
 * let a stranger in. This is what an invite file holds.
 *
 * <h2>Text form (an invite file)</h2>
 *
 * <pre>
 * ensemble-invite:&lt;base64url chain&gt;
 * ensemble-invite-key:&lt;base64url of the holder key's 32-byte Ed25519 seed&gt;     (bearer invites only)
 * </pre>
 *
 * <p>Keep the file as secret as the room: whoever holds it is a member until the invite expires or the
 * owner revokes it. A file with a bearer invite but no key line, or a key that is not the invite's holder
 * key, is refused when read; so is a bearer invite of before holder keys ({@link Problem#UNBOUND_BEARER}).
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * HeldInvite invite = HeldInvite.issueBearer(owner, "jam", false, now, now.plus(Duration.ofDays(1)));
 * invite.writeTo(file);                                        // owner-only; the owner hands the file on
 * HeldInvite held = HeldInvite.parse(Files.readString(file));  // a player reads it
 * }</pre>
 */
public final class HeldInvite {

    /** Prefix of the key line. */
    public static final String KEY_PREFIX = "ensemble-invite-key:";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HeldInvite OWNER = new HeldInvite(InviteChain.empty(), null, null);

    private final InviteChain chain;
    private final byte[] holderSeed;
    private final PeerIdentity holder;

    private HeldInvite(InviteChain chain, byte[] holderSeed, PeerIdentity holder) {
        this.chain = chain;
        this.holderSeed = holderSeed;
        this.holder = holder;
    }

    /** What the owner holds: the empty chain. */
    public static HeldInvite owner() {
        return OWNER;
    }

    /**
     * A chain that ends with a named invite (or the owner's empty chain): it needs no key.
     *
     * @throws IllegalArgumentException if it ends with a bearer invite: that needs its holder key ({@link
     *     #parse}, {@link #issueBearer})
     */
    public static HeldInvite of(InviteChain chain) {
        Objects.requireNonNull(chain, "chain");
        if (endsWithBearer(chain)) {
            throw new IllegalArgumentException("the chain ends with a bearer invite, which is of no use without its"
                    + " holder key: read the whole invite file with HeldInvite.parse");
        }
        return chain.isEmpty() ? OWNER : new HeldInvite(chain, null, null);
    }

    /**
     * The owner (or a member allowed to delegate, passing its own held invite's chain) signs a bearer invite
     * for whoever will hold the returned object, with a fresh one-time holder key.
     *
     * @param issuer the room's owner
     * @param room the room
     * @param mayDelegate whether the holder may sign invites for others (with the holder key)
     * @param issuedAt when it starts to be valid
     * @param expiresAt when it stops being valid
     * @return the invite and its key, to be written to a file with {@link #toText()}
     */
    public static HeldInvite issueBearer(
            PeerIdentity issuer, String room, boolean mayDelegate, Instant issuedAt, Instant expiresAt) {
        byte[] seed = new byte[PeerIdentity.SEED_BYTES];
        RANDOM.nextBytes(seed);
        return issueBearer(issuer, room, mayDelegate, issuedAt, expiresAt, seed, Invite.freshNonce());
    }

    /** As {@link #issueBearer(PeerIdentity, String, boolean, Instant, Instant)} with a given seed and nonce. */
    static HeldInvite issueBearer(
            PeerIdentity issuer,
            String room,
            boolean mayDelegate,
            Instant issuedAt,
            Instant expiresAt,
            byte[] seed,
            byte[] nonce) {
        PeerIdentity holder = PeerIdentity.fromSeed(seed);
        Invite invite = Invite.issue(issuer, room, null, holder.peerId(), mayDelegate, issuedAt, expiresAt, nonce);
        return new HeldInvite(InviteChain.of(invite), seed.clone(), holder);
    }

    /**
     * Reads an invite file's text (blank lines and surrounding white space ignored).
     *
     * @throws InviteException as {@link InviteChain#parse} for the chain ({@link Problem#UNBOUND_BEARER} for a
     *     bearer invite of before holder keys), or {@link Problem#MALFORMED} for a missing, extra or wrong key
     */
    public static HeldInvite parse(String text) throws InviteException {
        Objects.requireNonNull(text, "text");
        if (text.length() > InviteChain.MAX_TEXT_LENGTH + KEY_PREFIX.length() + 200) {
            throw new InviteException(
                    Problem.TOO_LARGE,
                    "an invite file must be at most " + (InviteChain.MAX_TEXT_LENGTH + KEY_PREFIX.length() + 200)
                            + " characters but has " + text.length());
        }
        List<String> lines =
                text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty()) {
            throw new InviteException(Problem.MALFORMED, "the invite file is empty");
        }
        InviteChain chain = InviteChain.parse(lines.get(0));
        if (!endsWithBearer(chain)) {
            if (lines.size() > 1) {
                throw new InviteException(
                        Problem.MALFORMED,
                        "the invite file holds " + (lines.size() - 1) + " lines after its invite, but its invite names"
                                + " its member and needs no key");
            }
            return chain.isEmpty() ? OWNER : new HeldInvite(chain, null, null);
        }
        if (lines.size() != 2) {
            throw new InviteException(
                    Problem.MALFORMED,
                    lines.size() == 1
                            ? "the invite file holds a bearer invite but not its key (a line starting with '"
                                    + KEY_PREFIX + "'): the invite alone is of no use; ask for the whole file"
                            : "the invite file must hold two lines (the invite and its key) but holds " + lines.size());
        }
        byte[] seed = Wire.fromText(lines.get(1), KEY_PREFIX, PeerIdentity.SEED_BYTES, "the invite's key", "");
        if (seed.length != PeerIdentity.SEED_BYTES) {
            throw new InviteException(
                    Problem.MALFORMED,
                    "the invite's key must be " + PeerIdentity.SEED_BYTES + " bytes but has " + seed.length);
        }
        PeerIdentity holder = PeerIdentity.fromSeed(seed);
        PeerId expected = last(chain).holderKey().orElseThrow();
        if (!holder.peerId().equals(expected)) {
            throw new InviteException(
                    Problem.MALFORMED,
                    "the key in the invite file is not the bearer invite's holder key (" + expected.shortForm()
                            + "): the file was put together from two invites");
        }
        return new HeldInvite(chain, seed, holder);
    }

    /** The chain, as presented. */
    public InviteChain chain() {
        return chain;
    }

    /** Whether the chain ends with a bearer invite, so that this holds its key. */
    public boolean bearer() {
        return holder != null;
    }

    /**
     * Extends the chain by an invite for {@code invitee}, signed by its holder: {@code self} for a named
     * invite, the holder key for a bearer invite. Whether the chain allows delegating is checked where the
     * longer chain is presented.
     *
     * @param self this peer, the invitee of the chain's last invite (unused for a bearer invite)
     * @return the longer chain, to give to {@code invitee}
     */
    public InviteChain delegate(
            PeerIdentity self, PeerId invitee, boolean mayDelegate, Instant issuedAt, Instant expiresAt) {
        return chain.delegate(holder != null ? holder : self, invitee, mayDelegate, issuedAt, expiresAt);
    }

    /** The key that signs delegations from a bearer invite (its holder key), or empty. */
    Optional<PeerIdentity> holder() {
        return Optional.ofNullable(holder);
    }

    /**
     * The text of an invite file: the chain's text form and, for a bearer invite, a second line with its key.
     * Secret: whoever has it can join.
     */
    public String toText() {
        if (holder == null) {
            return chain.toText() + "\n";
        }
        return chain.toText() + "\n" + Wire.toText(KEY_PREFIX, holderSeed) + "\n";
    }

    /**
     * Writes {@link #toText()} to {@code file} so that nobody else can read it at any moment: into a new
     * temporary file in the same directory, created readable and writable by its owner only where the file
     * system has POSIX permissions (elsewhere its defaults apply), then renamed over {@code file} at once.
     * So a reader waiting for the file never sees half of it, and an existing file of that name, however
     * readable, is replaced rather than rewritten. ({@code Files.writeString} would create it with the
     * process's default permissions, often readable by every user.)
     *
     * @param file where the invite file goes
     * @throws IOException if it cannot be written or moved into place; no temporary file is left then
     */
    public void writeTo(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        Path parent = file.toAbsolutePath().getParent();
        // Files.createTempFile gives a POSIX file rw------- from its creation: there is no window to chmod.
        Path temp = Files.createTempFile(parent, ".invite", ".tmp");
        try {
            Files.writeString(temp, toText(), StandardCharsets.US_ASCII);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * The {@code token} of a {@code join} into the closed room on a connection whose server sent {@code
     * serverNonce} in its challenge: the chain's text form, and for a bearer invite a {@code '.'} and the
     * base64url proof of possession bound to this peer and that nonce (docs/SECURITY.md, "Proof of
     * possession").
     *
     * @param self this peer, as the server knows it
     * @param serverNonce the challenge's nonce, exactly as received
     */
    public String joinToken(PeerId self, String serverNonce) {
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(serverNonce, "serverNonce");
        if (holder == null) {
            return chain.toText();
        }
        return chain.toText() + "." + base64url(prove(PossessionProof.atJoin(serverNonce), self));
    }

    /** The proof for a presentation bound by {@code binding}, or an empty array when the chain needs none. */
    byte[] prove(PossessionProof binding, PeerId self) {
        if (holder == null) {
            return new byte[0];
        }
        Invite last = last(chain);
        return holder.sign(binding.signedBytes(last.room(), self, last));
    }

    static boolean endsWithBearer(InviteChain chain) {
        return !chain.isEmpty() && last(chain).bearer();
    }

    static Invite last(InviteChain chain) {
        List<Invite> invites = chain.invites();
        return invites.get(invites.size() - 1);
    }

    private static String base64url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HeldInvite that
                && chain.equals(that.chain)
                && Arrays.equals(holderSeed, that.holderSeed);
    }

    @Override
    public int hashCode() {
        return chain.hashCode();
    }

    /** The chain; never the key. */
    @Override
    public String toString() {
        return "HeldInvite[" + chain + (holder != null ? ", with its holder key" : "") + "]";
    }
}
