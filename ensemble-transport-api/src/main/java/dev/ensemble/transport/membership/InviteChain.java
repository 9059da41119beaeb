package dev.ensemble.transport.membership;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.membership.InviteException.Problem;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The invites a peer presents to prove it belongs to a closed room, from the owner's invite down to
 * its own: link 0 is signed by the owner, each further link by the holder of the link before it
 * (allowed to delegate), and the last names the presenting peer (or is a bearer invite). The owner
 * presents the empty chain. {@link ClosedRoom#admit} checks a chain.
 *
 * <h2>Encoding</h2>
 *
 * <pre>
 * +------+------+-------+----------------------+----------------------+----
 * | 0x01 | 0x03 | count | u16 len ‖ invite 0   | u16 len ‖ invite 1   | ...
 * +------+------+-------+----------------------+----------------------+----
 * count ≤ {@value #MAX_LENGTH}; each invite as {@link Invite} encodes it
 * text form: "ensemble-invite:" ‖ base64url(bytes), no padding (files, join tokens)
 * </pre>
 *
 * <p>The count and each length are checked against the limits before anything is decoded, so a
 * hostile chain costs at most {@link #MAX_BYTES} bytes of reading and no signature checks.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * InviteChain bobs = InviteChain.of(Invite.issue(owner, "jam", bob.peerId(), true, now, tomorrow));
 * InviteChain carols = bobs.delegate(bob, carol.peerId(), false, now, tomorrow);   // bob may delegate
 * Files.writeString(file, carols.toText());
 * }</pre>
 */
public final class InviteChain {

    /** Most invites in a chain: the owner's and three delegations. */
    public static final int MAX_LENGTH = 4;
    /** Largest encoding of a chain. */
    public static final int MAX_BYTES = 3 + MAX_LENGTH * (2 + Invite.MAX_BYTES);
    /** Prefix of the text form. */
    public static final String TEXT_PREFIX = "ensemble-invite:";
    /** Longest text form. */
    public static final int MAX_TEXT_LENGTH = TEXT_PREFIX.length() + (MAX_BYTES + 2) / 3 * 4;

    private static final InviteChain EMPTY = new InviteChain(List.of());

    private final List<Invite> invites;

    private InviteChain(List<Invite> invites) {
        this.invites = List.copyOf(invites);
    }

    /** The empty chain: what the owner presents. */
    public static InviteChain empty() {
        return EMPTY;
    }

    /**
     * A chain of the given invites, root first.
     *
     * @throws IllegalArgumentException for more than {@link #MAX_LENGTH} invites
     */
    public static InviteChain of(Invite... invites) {
        if (invites.length > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "an invite chain holds at most " + MAX_LENGTH + " invites but was given " + invites.length);
        }
        return new InviteChain(List.of(invites));
    }

    /**
     * Extends this chain by an invite signed by its holder. The room and the holder's right to delegate
     * are not checked here (a chain that breaks the rules is refused where it is presented).
     *
     * @param holder the holder of this chain's last invite
     * @param invitee the new member, or {@code null} for a bearer invite
     * @param mayDelegate whether the new member may delegate in turn
     * @param issuedAt when the new invite starts to be valid
     * @param expiresAt when the new invite stops being valid
     * @return the longer chain
     * @throws IllegalArgumentException if this chain is empty or already {@link #MAX_LENGTH} long
     */
    public InviteChain delegate(
            PeerIdentity holder, PeerId invitee, boolean mayDelegate, Instant issuedAt, Instant expiresAt) {
        if (invites.isEmpty()) {
            throw new IllegalArgumentException("the owner issues invites with Invite.issue, not by delegating");
        }
        if (invites.size() >= MAX_LENGTH) {
            throw new IllegalArgumentException("an invite chain holds at most " + MAX_LENGTH + " invites");
        }
        Invite last = invites.get(invites.size() - 1);
        List<Invite> longer = new ArrayList<>(invites);
        longer.add(Invite.issue(holder, last.room(), invitee, mayDelegate, issuedAt, expiresAt));
        return new InviteChain(longer);
    }

    /** The invites, root (the owner's) first. */
    public List<Invite> invites() {
        return invites;
    }

    /** Whether this is the empty chain (the owner's). */
    public boolean isEmpty() {
        return invites.isEmpty();
    }

    /** The canonical encoding. */
    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Wire.VERSION);
        out.write(Wire.TYPE_CHAIN);
        out.write(invites.size());
        for (Invite invite : invites) {
            byte[] bytes = invite.encode();
            out.write(bytes.length >>> 8);
            out.write(bytes.length & 0xff);
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    /** The text form: {@value #TEXT_PREFIX} and the base64url encoding without padding. */
    public String toText() {
        return Wire.toText(TEXT_PREFIX, encode());
    }

    /**
     * Decodes a chain (encoding only; {@link ClosedRoom#admit} checks the rest).
     *
     * @throws InviteException {@link Problem#TOO_LARGE} for too many bytes or invites, else {@link
     *     Problem#MALFORMED} naming what is wrong
     */
    public static InviteChain decode(byte[] encoded) throws InviteException {
        Objects.requireNonNull(encoded, "encoded");
        if (encoded.length > MAX_BYTES) {
            throw new InviteException(
                    Problem.TOO_LARGE,
                    "an invite chain must be at most " + MAX_BYTES + " bytes but has " + encoded.length);
        }
        Wire.Reader in = new Wire.Reader(encoded, "invite chain");
        in.expect(Wire.VERSION, in.u8(), "version");
        in.expect(Wire.TYPE_CHAIN, in.u8(), "type");
        int count = in.u8();
        if (count > MAX_LENGTH) {
            throw new InviteException(
                    Problem.TOO_LARGE,
                    "an invite chain holds at most " + MAX_LENGTH + " invites (the owner's and " + (MAX_LENGTH - 1)
                            + " delegations) but this one holds " + count);
        }
        List<Invite> invites = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int length = in.u16();
            if (length > Invite.MAX_BYTES) {
                throw new InviteException(
                        Problem.TOO_LARGE,
                        "invite " + i + " of the chain must be at most " + Invite.MAX_BYTES + " bytes but has "
                                + length);
            }
            try {
                invites.add(Invite.decode(in.take(length, "invite " + i)));
            } catch (InviteException e) {
                throw new InviteException(e.problem(), "invite " + i + " of the chain: " + e.getMessage());
            }
        }
        in.end();
        return new InviteChain(invites);
    }

    /**
     * Parses the text form (surrounding white space is ignored, so a file's final newline does no harm).
     *
     * @throws InviteException as {@link #decode}, or {@link Problem#MALFORMED} for a missing prefix or
     *     bad base64url
     */
    public static InviteChain parse(String text) throws InviteException {
        Objects.requireNonNull(text, "text");
        return decode(Wire.fromText(
                text, TEXT_PREFIX, MAX_BYTES, "an invite", "; is this an invite file written by --invite-out?"));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof InviteChain that && invites.equals(that.invites);
    }

    @Override
    public int hashCode() {
        return invites.hashCode();
    }

    @Override
    public String toString() {
        return invites.isEmpty() ? "InviteChain[owner]" : "InviteChain" + invites;
    }
}
