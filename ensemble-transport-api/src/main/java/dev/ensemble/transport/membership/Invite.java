package dev.ensemble.transport.membership;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.membership.InviteException.Problem;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * One signed invite into a closed room: its issuer (the room's owner, or a member allowed to
 * delegate) lets its invitee (a {@code did:key}, or whoever holds it: a <em>bearer</em> invite) into
 * the room until it expires, and says whether the holder may invite others in turn. Invites are
 * presented as an {@link InviteChain}; {@link ClosedRoom} checks them.
 *
 * <p>A bearer invite names a one-time <em>holder key</em> instead of an invitee: the public half of
 * an Ed25519 key pair whose private half is kept in the invite file ({@link HeldInvite}) and never
 * sent. Whoever presents a chain that ends with a bearer invite must prove that it holds that key, by
 * signing what binds this presentation (the connection to one peer, or one join at one server), so a
 * chain copied off the wire is of no use. The next link after a bearer invite is signed by its holder
 * key.
 *
 * <h2>Encoding (version 1; all integers big-endian)</h2>
 *
 * <pre>
 * +------+------+-------+-----+--------+------------+-------------+----------+-----------+-----------+-----------+
 * | 0x01 | 0x01 | flags | len | room   | issuer[32] | invitee[32] | issued   | expires   | nonce[16] | sig[64]   |
 * | ver  | type |       | u8  | UTF-8  |            | or holder   | i64 secs | i64 secs  |           |           |
 * +------+------+-------+-----+--------+------------+-------------+----------+-----------+-----------+-----------+
 * flags: bit 0 bearer and bit 2 holder key, always together (the 32-byte field is the holder key, not
 *        an invitee); bit 1 the holder may delegate; other bits 0. Bit 0 without bit 2 is a bearer
 *        invite of before holder keys: refused ({@link Problem#UNBOUND_BEARER}).
 * sig   = Ed25519(issuer, "ensemble-invite/1" ‖ every byte before sig)
 * id    = first 16 bytes of SHA-256(every byte before sig)       (what a revocation names)
 * </pre>
 *
 * <p>Times are unix seconds; {@code expires} must be after {@code issued}. The encoding is canonical:
 * one invite has exactly one encoding, and decoding refuses anything else (unknown flags, trailing
 * bytes, a room that is not strict UTF-8). At most {@link #MAX_BYTES} bytes.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * Invite invite = Invite.issue(owner, "jam", bob.peerId(), false, now, now.plus(Duration.ofDays(1)));
 * InviteChain chain = InviteChain.of(invite);
 * }</pre>
 */
public final class Invite {

    /** Largest encoding: a 255-byte room and an invitee. */
    public static final int MAX_BYTES = 4 + Wire.MAX_ROOM_BYTES + 32 + 32 + 8 + 8 + 16 + 64;
    /** Length of an invite's id. */
    public static final int ID_BYTES = 16;

    static final byte[] SIGNATURE_LABEL = "ensemble-invite/1".getBytes(StandardCharsets.US_ASCII);
    private static final int FLAG_BEARER = 0x01;
    private static final int FLAG_MAY_DELEGATE = 0x02;
    private static final int FLAG_HOLDER_KEY = 0x04;
    private static final int NONCE_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String room;
    private final PeerId issuer;
    private final PeerId invitee;
    private final PeerId holderKey;
    private final boolean mayDelegate;
    private final Instant issuedAt;
    private final Instant expiresAt;
    private final byte[] body;
    private final byte[] signature;
    private final byte[] id;

    private Invite(
            String room,
            PeerId issuer,
            PeerId invitee,
            PeerId holderKey,
            boolean mayDelegate,
            Instant issuedAt,
            Instant expiresAt,
            byte[] body,
            byte[] signature) {
        this.room = room;
        this.issuer = issuer;
        this.invitee = invitee;
        this.holderKey = holderKey;
        this.mayDelegate = mayDelegate;
        this.issuedAt = issuedAt;
        this.expiresAt = expiresAt;
        this.body = body;
        this.signature = signature;
        this.id = Arrays.copyOf(Wire.sha256(body), ID_BYTES);
    }

    /**
     * Signs a new invite for one peer with a fresh random nonce. A bearer invite (for whoever holds it)
     * is made with {@link HeldInvite#issueBearer}, which also makes the key its holder must prove.
     *
     * @param issuer the owner, or a member whose own invite allows delegation
     * @param room the room (1 to 255 bytes of UTF-8)
     * @param invitee the only peer that may use it
     * @param mayDelegate whether the holder may sign invites for others
     * @param issuedAt when it starts to be valid
     * @param expiresAt when it stops being valid; after {@code issuedAt}
     * @return the signed invite
     * @throws IllegalArgumentException for a {@code null} invitee (make a bearer invite with {@link
     *     HeldInvite#issueBearer}), a room of the wrong size or an expiry not after the issue time
     */
    public static Invite issue(
            PeerIdentity issuer,
            String room,
            PeerId invitee,
            boolean mayDelegate,
            Instant issuedAt,
            Instant expiresAt) {
        if (invitee == null) {
            throw new IllegalArgumentException("an invite names its invitee; a bearer invite (for whoever holds it)"
                    + " names a holder key whose private half its holder keeps: use HeldInvite.issueBearer");
        }
        return issue(issuer, room, invitee, null, mayDelegate, issuedAt, expiresAt, freshNonce());
    }

    static byte[] freshNonce() {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        return nonce;
    }

    /**
     * Signs an invite with a given nonce (test vectors): for {@code invitee}, or, with {@code invitee} null,
     * a bearer invite for whoever holds the private half of {@code holderKey}.
     */
    static Invite issue(
            PeerIdentity issuer,
            String room,
            PeerId invitee,
            PeerId holderKey,
            boolean mayDelegate,
            Instant issuedAt,
            Instant expiresAt,
            byte[] nonce) {
        Objects.requireNonNull(issuer, "issuer");
        if ((invitee == null) == (holderKey == null)) {
            throw new IllegalArgumentException(
                    "an invite names either its invitee or, as a bearer invite, a holder key");
        }
        Objects.requireNonNull(room, "room");
        long issued = issuedAt.getEpochSecond();
        long expires = expiresAt.getEpochSecond();
        if (issued < 0 || expires > Wire.MAX_SECONDS) {
            throw new IllegalArgumentException(
                    "an invite's times must lie between 1970 and the end of year 9999 but are " + issuedAt + " and "
                            + expiresAt);
        }
        if (expires <= issued) {
            throw new IllegalArgumentException(
                    "an invite must expire after it is issued but expires at " + expiresAt + ", issued " + issuedAt);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(MAX_BYTES);
        out.write(Wire.VERSION);
        out.write(Wire.TYPE_INVITE);
        out.write((invitee == null ? FLAG_BEARER | FLAG_HOLDER_KEY : 0) | (mayDelegate ? FLAG_MAY_DELEGATE : 0));
        Wire.writeRoom(out, room);
        out.writeBytes(issuer.peerId().publicKey());
        out.writeBytes(invitee != null ? invitee.publicKey() : holderKey.publicKey());
        Wire.writeLong(out, issued);
        Wire.writeLong(out, expires);
        out.writeBytes(nonce);
        byte[] body = out.toByteArray();
        byte[] signature = issuer.sign(Wire.concat(SIGNATURE_LABEL, body));
        return new Invite(
                room,
                issuer.peerId(),
                invitee,
                holderKey,
                mayDelegate,
                Instant.ofEpochSecond(issued),
                Instant.ofEpochSecond(expires),
                body,
                signature);
    }

    /**
     * Decodes an invite. Checks only the encoding, not the signature, the room or the times: that is
     * {@link ClosedRoom}'s work, done after the cheap checks.
     *
     * @param encoded the bytes of one invite
     * @return the invite
     * @throws InviteException {@link Problem#TOO_LARGE} above {@link #MAX_BYTES}, {@link Problem#UNBOUND_BEARER}
     *     for a bearer invite without a holder key (made before holder keys), else {@link Problem#MALFORMED}
     *     naming the field
     */
    public static Invite decode(byte[] encoded) throws InviteException {
        Objects.requireNonNull(encoded, "encoded");
        if (encoded.length > MAX_BYTES) {
            throw new InviteException(
                    Problem.TOO_LARGE, "an invite must be at most " + MAX_BYTES + " bytes but has " + encoded.length);
        }
        Wire.Reader in = new Wire.Reader(encoded, "invite");
        in.expect(Wire.VERSION, in.u8(), "version");
        in.expect(Wire.TYPE_INVITE, in.u8(), "type");
        int flags = in.u8();
        if ((flags & ~(FLAG_BEARER | FLAG_MAY_DELEGATE | FLAG_HOLDER_KEY)) != 0) {
            throw in.malformed(String.format("its flags 0x%02x set bits this version does not know", flags));
        }
        boolean bearer = (flags & FLAG_BEARER) != 0;
        if (bearer && (flags & FLAG_HOLDER_KEY) == 0) {
            // Checked before anything else is read: such an invite is a secret anyone who saw it can use.
            throw new InviteException(
                    Problem.UNBOUND_BEARER,
                    "a bearer invite without a holder key (made before proof of possession) is refused: anyone who"
                            + " saw it on the wire or in a join could use it; ask the room's owner for a new invite");
        }
        if (!bearer && (flags & FLAG_HOLDER_KEY) != 0) {
            throw in.malformed(String.format("its flags 0x%02x name a holder key without the bearer bit", flags));
        }
        String room = in.room();
        PeerId issuer = in.key("the issuer key");
        PeerId invitee = bearer ? null : in.key("the invitee key");
        PeerId holderKey = bearer ? in.key("the holder key") : null;
        long issued = in.seconds();
        long expires = in.seconds();
        in.take(NONCE_BYTES, "the nonce");
        int bodyLength = in.position();
        byte[] signature = in.take(PeerId.SIGNATURE_BYTES, "the signature");
        in.end();
        if (expires <= issued) {
            throw in.malformed("it expires (" + expires + ") no later than it is issued (" + issued + ")");
        }
        return new Invite(
                room,
                issuer,
                invitee,
                holderKey,
                (flags & FLAG_MAY_DELEGATE) != 0,
                Instant.ofEpochSecond(issued),
                Instant.ofEpochSecond(expires),
                Arrays.copyOf(encoded, bodyLength),
                signature);
    }

    /** The canonical encoding (a copy). */
    public byte[] encode() {
        return Wire.concat(body, signature);
    }

    /** Whether the signature verifies with the issuer's key (about 2 ms with the JDK's Ed25519). */
    boolean signatureValid() {
        return issuer.verify(Wire.concat(SIGNATURE_LABEL, body), signature);
    }

    /** The room it lets into. */
    public String room() {
        return room;
    }

    /** Who signed it. */
    public PeerId issuer() {
        return issuer;
    }

    /** The only peer that may use it, or empty for a bearer invite. */
    public Optional<PeerId> invitee() {
        return Optional.ofNullable(invitee);
    }

    /** Whether anyone who holds it (its holder key's private half) may use it. */
    public boolean bearer() {
        return invitee == null;
    }

    /** A bearer invite's holder key (the public half; the private half is in the invite file), else empty. */
    public Optional<PeerId> holderKey() {
        return Optional.ofNullable(holderKey);
    }

    /** Whoever holds it: the invitee, or a bearer invite's holder key. It signs the next link of a chain. */
    PeerId holder() {
        return invitee != null ? invitee : holderKey;
    }

    /** Whether its holder may sign invites for others. */
    public boolean mayDelegate() {
        return mayDelegate;
    }

    /** When it starts to be valid (whole seconds). */
    public Instant issuedAt() {
        return issuedAt;
    }

    /** When it stops being valid (whole seconds). */
    public Instant expiresAt() {
        return expiresAt;
    }

    /** Its id, the first 16 bytes of SHA-256 of its signed bytes (a copy): what a revocation names. */
    public byte[] id() {
        return id.clone();
    }

    /** Its id in hexadecimal, for logs and messages. */
    public String idHex() {
        return HexFormat.of().formatHex(id);
    }

    boolean hasId(byte[] other) {
        return Arrays.equals(id, other);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Invite that
                && Arrays.equals(body, that.body)
                && Arrays.equals(signature, that.signature);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(id);
    }

    /** Its id, room, issuer, invitee and expiry (short forms). */
    @Override
    public String toString() {
        return "Invite[" + idHex() + ", room " + room + ", by " + issuer.shortForm() + ", for "
                + (invitee == null ? "bearer, key " + holderKey.shortForm() : invitee.shortForm())
                + (mayDelegate ? ", may delegate" : "")
                + ", expires " + expiresAt + "]";
    }
}
