package dev.ensemble.transport.membership;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.membership.InviteException.Problem;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The owner's signed withdrawal of an invite (and so of every chain through it) or of a member (who
 * can then neither join on any chain nor have invites it delegated honoured). Peers gossip
 * revocations to each other and keep them for the room's life; a revocation cannot be undone.
 *
 * <h2>Encoding (version 1)</h2>
 *
 * <pre>
 * +------+------+------+-----+-------+------------+----------+------------+---------+
 * | 0x01 | 0x02 | kind | len | room  | issuer[32] | target   | issued i64 | sig[64] |
 * +------+------+------+-----+-------+------------+----------+------------+---------+
 * kind 0x01: target is an invite's 16-byte id; kind 0x02: target is a member's 32-byte key
 * sig = Ed25519(issuer, "ensemble-revocation/1" ‖ every byte before sig)
 * id  = first 16 bytes of SHA-256(every byte before sig)          (to recognise a replay)
 * </pre>
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * Revocation kick = Revocation.ofMember(owner, "jam", mallory.peerId(), Instant.now());
 * membershipTransport.revoke(kick);   // applied here and gossiped to every member
 * }</pre>
 */
public final class Revocation {

    /** Largest encoding. */
    public static final int MAX_BYTES = 4 + Wire.MAX_ROOM_BYTES + 32 + 32 + 8 + 64;

    static final byte[] SIGNATURE_LABEL = "ensemble-revocation/1".getBytes(StandardCharsets.US_ASCII);

    /** What a revocation withdraws. */
    public enum Kind {
        /** One invite, by its id: every chain that holds it is void. */
        INVITE(0x01, Invite.ID_BYTES),
        /** One member, by its key: it is out, and so are the invites it signed. */
        MEMBER(0x02, PeerId.PUBLIC_KEY_BYTES);

        final int code;
        final int targetBytes;

        Kind(int code, int targetBytes) {
            this.code = code;
            this.targetBytes = targetBytes;
        }
    }

    private final Kind kind;
    private final String room;
    private final PeerId issuer;
    private final byte[] target;
    private final Instant issuedAt;
    private final byte[] body;
    private final byte[] signature;
    private final byte[] id;

    private Revocation(
            Kind kind, String room, PeerId issuer, byte[] target, Instant issuedAt, byte[] body, byte[] signature) {
        this.kind = kind;
        this.room = room;
        this.issuer = issuer;
        this.target = target;
        this.issuedAt = issuedAt;
        this.body = body;
        this.signature = signature;
        this.id = Arrays.copyOf(Wire.sha256(body), Invite.ID_BYTES);
    }

    /** The owner withdraws an invite (and every chain through it). */
    public static Revocation ofInvite(PeerIdentity owner, String room, Invite invite, Instant issuedAt) {
        return sign(owner, room, Kind.INVITE, invite.id(), issuedAt);
    }

    /**
     * The owner withdraws a member (and the invites it delegated).
     *
     * @throws IllegalArgumentException if {@code member} is the owner itself: every invite of the room is the
     *     owner's, so revoking it would void them all, and peers refuse such a revocation ({@link
     *     Problem#OWNER_NOT_REVOCABLE})
     */
    public static Revocation ofMember(PeerIdentity owner, String room, PeerId member, Instant issuedAt) {
        Objects.requireNonNull(member, "member");
        if (member.equals(owner.peerId())) {
            throw new IllegalArgumentException("the owner of room '" + room + "' (" + member + ") cannot revoke"
                    + " itself: every invite of the room is signed by it, so none would hold; revoke the invites"
                    + " or members you mean, or create a new room");
        }
        return sign(owner, room, Kind.MEMBER, member.publicKey(), issuedAt);
    }

    private static Revocation sign(PeerIdentity owner, String room, Kind kind, byte[] target, Instant issuedAt) {
        Objects.requireNonNull(owner, "owner");
        if (issuedAt.getEpochSecond() < 0 || issuedAt.getEpochSecond() > Wire.MAX_SECONDS) {
            throw new IllegalArgumentException(
                    "a revocation's time must lie between 1970 and the end of year 9999 but is " + issuedAt);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(MAX_BYTES);
        out.write(Wire.VERSION);
        out.write(Wire.TYPE_REVOCATION);
        out.write(kind.code);
        Wire.writeRoom(out, Objects.requireNonNull(room, "room"));
        out.writeBytes(owner.peerId().publicKey());
        out.writeBytes(target);
        Wire.writeLong(out, issuedAt.getEpochSecond());
        byte[] body = out.toByteArray();
        return new Revocation(
                kind,
                room,
                owner.peerId(),
                target.clone(),
                Instant.ofEpochSecond(issuedAt.getEpochSecond()),
                body,
                owner.sign(Wire.concat(SIGNATURE_LABEL, body)));
    }

    /**
     * Decodes a revocation (encoding only; {@link ClosedRoom#revoke} checks the rest).
     *
     * @throws InviteException {@link Problem#TOO_LARGE} or {@link Problem#MALFORMED} naming the field
     */
    public static Revocation decode(byte[] encoded) throws InviteException {
        Objects.requireNonNull(encoded, "encoded");
        if (encoded.length > MAX_BYTES) {
            throw new InviteException(
                    Problem.TOO_LARGE,
                    "a revocation must be at most " + MAX_BYTES + " bytes but has " + encoded.length);
        }
        Wire.Reader in = new Wire.Reader(encoded, "revocation");
        in.expect(Wire.VERSION, in.u8(), "version");
        in.expect(Wire.TYPE_REVOCATION, in.u8(), "type");
        int code = in.u8();
        Kind kind = code == Kind.INVITE.code ? Kind.INVITE : code == Kind.MEMBER.code ? Kind.MEMBER : null;
        if (kind == null) {
            throw in.malformed(String.format("its kind 0x%02x is neither 0x01 (invite) nor 0x02 (member)", code));
        }
        String room = in.room();
        PeerId issuer = in.key("the issuer key");
        byte[] target = in.take(kind.targetBytes, "the target");
        long issued = in.seconds();
        int bodyLength = in.position();
        byte[] signature = in.take(PeerId.SIGNATURE_BYTES, "the signature");
        in.end();
        return new Revocation(
                kind,
                room,
                issuer,
                target,
                Instant.ofEpochSecond(issued),
                Arrays.copyOf(encoded, bodyLength),
                signature);
    }

    /** Prefix of the text form. */
    public static final String TEXT_PREFIX = "ensemble-revocation:";

    /** The text form: {@value #TEXT_PREFIX} and base64url without padding (one line of a revocation file). */
    public String toText() {
        return Wire.toText(TEXT_PREFIX, encode());
    }

    /**
     * Parses the text form (surrounding white space ignored).
     *
     * @throws InviteException {@link Problem#MALFORMED} for a missing prefix or bad base64url, else as {@link #decode}
     */
    public static Revocation parse(String text) throws InviteException {
        Objects.requireNonNull(text, "text");
        return decode(Wire.fromText(text, TEXT_PREFIX, MAX_BYTES, "a revocation", ""));
    }

    /** The canonical encoding (a copy). */
    public byte[] encode() {
        return Wire.concat(body, signature);
    }

    boolean signatureValid() {
        return issuer.verify(Wire.concat(SIGNATURE_LABEL, body), signature);
    }

    /** What it withdraws. */
    public Kind kind() {
        return kind;
    }

    /** The room. */
    public String room() {
        return room;
    }

    /** Who signed it (valid only if the room's owner). */
    public PeerId issuer() {
        return issuer;
    }

    /** The withdrawn invite's id or member's key (a copy). */
    public byte[] target() {
        return target.clone();
    }

    /** The withdrawn member, for a {@link Kind#MEMBER} revocation. */
    public PeerId member() {
        if (kind != Kind.MEMBER) {
            throw new IllegalStateException("a revocation of an invite names no member");
        }
        return PeerId.fromPublicKey(target);
    }

    /** When it was signed (whole seconds). */
    public Instant issuedAt() {
        return issuedAt;
    }

    /** Its id in hexadecimal: equal ids are the same revocation (a replay). */
    public String idHex() {
        return HexFormat.of().formatHex(id);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Revocation that
                && Arrays.equals(body, that.body)
                && Arrays.equals(signature, that.signature);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(id);
    }

    @Override
    public String toString() {
        return "Revocation[" + idHex() + ", room " + room + ", of "
                + (kind == Kind.MEMBER
                        ? "member " + PeerId.fromPublicKey(target).shortForm()
                        : "invite " + HexFormat.of().formatHex(target))
                + "]";
    }
}
