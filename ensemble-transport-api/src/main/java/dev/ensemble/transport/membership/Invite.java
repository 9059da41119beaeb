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
 * <h2>Encoding (version 1; all integers big-endian)</h2>
 *
 * <pre>
 * +------+------+-------+-----+--------+------------+-------------+----------+-----------+-----------+-----------+
 * | 0x01 | 0x01 | flags | len | room   | issuer[32] | invitee[32] | issued   | expires   | nonce[16] | sig[64]   |
 * | ver  | type |       | u8  | UTF-8  |            | (not bearer)| i64 secs | i64 secs  |           |           |
 * +------+------+-------+-----+--------+------------+-------------+----------+-----------+-----------+-----------+
 * flags: bit 0 bearer (no invitee field), bit 1 the holder may delegate; other bits 0
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
    private static final int NONCE_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String room;
    private final PeerId issuer;
    private final PeerId invitee;
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
            boolean mayDelegate,
            Instant issuedAt,
            Instant expiresAt,
            byte[] body,
            byte[] signature) {
        this.room = room;
        this.issuer = issuer;
        this.invitee = invitee;
        this.mayDelegate = mayDelegate;
        this.issuedAt = issuedAt;
        this.expiresAt = expiresAt;
        this.body = body;
        this.signature = signature;
        this.id = Arrays.copyOf(Wire.sha256(body), ID_BYTES);
    }

    /**
     * Signs a new invite with a fresh random nonce.
     *
     * @param issuer the owner, or a member whose own invite allows delegation
     * @param room the room (1 to 255 bytes of UTF-8)
     * @param invitee the only peer that may use it, or {@code null} for a bearer invite (anyone who holds it)
     * @param mayDelegate whether the holder may sign invites for others
     * @param issuedAt when it starts to be valid
     * @param expiresAt when it stops being valid; after {@code issuedAt}
     * @return the signed invite
     * @throws IllegalArgumentException for a room of the wrong size or an expiry not after the issue time
     */
    public static Invite issue(
            PeerIdentity issuer,
            String room,
            PeerId invitee,
            boolean mayDelegate,
            Instant issuedAt,
            Instant expiresAt) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        return issue(issuer, room, invitee, mayDelegate, issuedAt, expiresAt, nonce);
    }

    /** As {@link #issue(PeerIdentity, String, PeerId, boolean, Instant, Instant)} with a given nonce (test vectors). */
    static Invite issue(
            PeerIdentity issuer,
            String room,
            PeerId invitee,
            boolean mayDelegate,
            Instant issuedAt,
            Instant expiresAt,
            byte[] nonce) {
        Objects.requireNonNull(issuer, "issuer");
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
        out.write((invitee == null ? FLAG_BEARER : 0) | (mayDelegate ? FLAG_MAY_DELEGATE : 0));
        Wire.writeRoom(out, room);
        out.writeBytes(issuer.peerId().publicKey());
        if (invitee != null) {
            out.writeBytes(invitee.publicKey());
        }
        Wire.writeLong(out, issued);
        Wire.writeLong(out, expires);
        out.writeBytes(nonce);
        byte[] body = out.toByteArray();
        byte[] signature = issuer.sign(Wire.concat(SIGNATURE_LABEL, body));
        return new Invite(
                room,
                issuer.peerId(),
                invitee,
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
     * @throws InviteException {@link Problem#TOO_LARGE} above {@link #MAX_BYTES}, else {@link Problem#MALFORMED}
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
        if ((flags & ~(FLAG_BEARER | FLAG_MAY_DELEGATE)) != 0) {
            throw in.malformed(String.format("its flags 0x%02x set bits this version does not know", flags));
        }
        String room = in.room();
        PeerId issuer = in.key("the issuer key");
        PeerId invitee = (flags & FLAG_BEARER) != 0 ? null : in.key("the invitee key");
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

    /** Whether anyone who holds it may use it. */
    public boolean bearer() {
        return invitee == null;
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
                + (invitee == null ? "bearer" : invitee.shortForm()) + (mayDelegate ? ", may delegate" : "")
                + ", expires " + expiresAt + "]";
    }
}
