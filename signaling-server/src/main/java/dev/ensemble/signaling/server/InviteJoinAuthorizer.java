package dev.ensemble.signaling.server;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.membership.ClosedRoom;
import dev.ensemble.transport.membership.InviteChain;
import dev.ensemble.transport.membership.InviteException;
import dev.ensemble.transport.membership.Revocation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps strangers out of closed rooms at the door: a join into a closed room must carry, in its {@code
 * token} field, an invite chain (its text form, {@code ensemble-invite:...}) that lets the joining
 * did:key in, checked by the same rules as the peers check it ({@link ClosedRoom#admitJoin}); the owner joins
 * without one. A chain that ends with a bearer invite must be followed by {@code '.'} and a proof of
 * possession of the invite's holder key, signed over this connection's challenge nonce ({@code
 * HeldInvite.joinToken} makes the token), so a token copied from another join, or a chain seen on the
 * wire, is refused ({@code NO_PROOF}). Joins into other rooms go to the next authorizer. The refusal names the rule the invite
 * broke, and the peer reads it in its {@code unauthorized} error.
 *
 * <p>The peers check every member themselves ({@code MembershipTransport}); this check only saves a
 * closed room the traffic of strangers (and their place in the room's peer count). The server learns
 * revocations from its revocation directory at start, through {@link #revoke}, and from the members, who
 * pass on each one they learn with a {@code revoke} message ({@link #acceptRevocation}); the server then
 * removes from the room the members it now refuses. A revocation it has not heard of lets the revoked
 * member join, and the members refuse it.
 *
 * <p>In a closed room the invite is the join token: when the server also requires signed join tokens,
 * it does not ask one for a closed room ({@link #checksTokenItself}).
 *
 * <p>Thread-safe. Cost: up to four Ed25519 verifications per join into a closed room (about 2 ms each
 * with the JDK), after the cheap checks; a join that fails those costs none.
 *
 * <pre>{@code
 * JoinAuthorizer closed = InviteJoinAuthorizer.parse("jam=did:key:z6Mk...", Clock.systemUTC());
 * SignalingServerConfig config = SignalingServerConfig.builder().joinAuthorizer(closed).build();
 * }</pre>
 */
public final class InviteJoinAuthorizer implements JoinAuthorizer {

    private final Map<String, ClosedRoom> rooms;
    private final JoinAuthorizer others;

    /**
     * Checks invites for {@code rooms} and hands every other join to {@code others}.
     *
     * @param rooms the closed rooms, by name
     * @param others decides joins into rooms that are not closed (e.g. {@link JoinAuthorizer#ALLOW_ALL})
     */
    public InviteJoinAuthorizer(Map<String, ClosedRoom> rooms, JoinAuthorizer others) {
        this.rooms = Map.copyOf(rooms);
        this.others = Objects.requireNonNull(others, "others");
    }

    /** Whether {@code room} is one of the closed rooms (for the inspection namespace). Thread-safe. */
    boolean isClosed(String room) {
        return rooms.containsKey(room);
    }

    /**
     * Parses the command line's form: comma-separated {@code room=owner-did} pairs, every other room open.
     *
     * @throws IllegalArgumentException naming the pair that is not {@code room=did:key:z6Mk...}, a room name
     *     that is empty or longer than 255 bytes of UTF-8, or a room given twice
     */
    public static InviteJoinAuthorizer parse(String spec, Clock clock) {
        return parse(spec, clock, null);
    }

    /**
     * As {@link #parse(String, Clock)}, keeping each closed room's revocations in a file of {@code
     * revocationDir} ({@link #revocationFileName}): read at start (an operator may append lines that an
     * owner made with {@code Revocation.toText()}), appended to by {@link #revoke}.
     *
     * @param revocationDir the directory, or {@code null} to keep revocations in memory only
     * @throws IllegalArgumentException naming a bad pair, or a revocation file that cannot be read or holds a
     *     line that is not a revocation of its room by its owner
     */
    public static InviteJoinAuthorizer parse(String spec, Clock clock, Path revocationDir) {
        Map<String, ClosedRoom> rooms = new LinkedHashMap<>();
        for (String pair : spec.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int equals = pair.lastIndexOf('='); // a room name may hold '=', a did:key never does
            if (equals <= 0) {
                throw new IllegalArgumentException(
                        "a closed room must be given as room=did:key:z6Mk... (its owner) but is '" + pair.trim() + "'");
            }
            String room = pair.substring(0, equals).trim();
            PeerId owner;
            try {
                owner = PeerId.parse(pair.substring(equals + 1).trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("closed room '" + room + "': " + e.getMessage(), e);
            }
            ClosedRoom known = rooms.get(room);
            if (known != null) {
                // Keeping either owner silently would let the other's invites in, or keep them out, by surprise.
                throw new IllegalArgumentException("closed room '" + room + "' is given twice (owners " + known.owner()
                        + " and " + owner + "); give each room once");
            }
            try {
                ClosedRoom.Builder builder = ClosedRoom.builder(room, owner).clock(clock);
                if (revocationDir != null) {
                    builder.revocationFile(revocationDir.resolve(revocationFileName(room)));
                }
                rooms.put(room, builder.build());
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalArgumentException("closed room '" + room + "': " + e.getMessage(), e);
            }
        }
        return new InviteJoinAuthorizer(rooms, ALLOW_ALL);
    }

    /**
     * The name of a closed room's revocation file: the room name with every character other than {@code
     * A-Z a-z 0-9 . _ -} written as {@code %XX} (its UTF-8 bytes), then {@code .revocations}; for example
     * {@code team/jam} is {@code team%2Fjam.revocations}.
     */
    public static String revocationFileName(String room) {
        StringBuilder name = new StringBuilder();
        for (byte b : room.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-')) {
                name.append(c);
            } else {
                name.append(String.format("%%%02X", b & 0xff));
            }
        }
        if (name.charAt(0) == '.') {
            name.replace(0, 1, "%2E"); // no hidden files, no "." or ".."
        }
        return name.append(".revocations").toString();
    }

    /** Without the connection's nonce a bearer invite cannot be proved: only named invites get in. */
    @Override
    public JoinDecision authorize(PeerId peer, String room, String token) {
        return authorize(peer, room, token, null);
    }

    @Override
    public JoinDecision authorize(PeerId peer, String room, String token, String challengeNonce) {
        ClosedRoom closed = rooms.get(room);
        if (closed == null) {
            return others.authorize(peer, room, token, challengeNonce);
        }
        if (token == null) {
            if (peer.equals(closed.owner())) {
                return JoinDecision.allow();
            }
            return JoinDecision.deny("room '" + room + "' is closed: join with an invite from its owner "
                    + closed.owner() + " or one of its members (NO_INVITE)");
        }
        try {
            if (challengeNonce == null) {
                int dot = token.indexOf('.');
                closed.admit(peer, InviteChain.parse(dot < 0 ? token : token.substring(0, dot)));
            } else {
                closed.admitJoin(peer, token, challengeNonce);
            }
            return JoinDecision.allow();
        } catch (InviteException e) {
            return JoinDecision.deny("room '" + room + "' is closed and the invite was refused: " + e.getMessage()
                    + " (" + e.problem() + ")");
        }
    }

    /** Closed rooms read their invite from the token field; others follow the next authorizer. */
    @Override
    public boolean checksTokenItself(String room) {
        return rooms.containsKey(room) || others.checksTokenItself(room);
    }

    /**
     * Takes a revocation a member passed on: malformed if it is not one; ignored (passed to the next
     * authorizer) if {@code room} is not closed here; refused, naming the rule, if the closed room refuses it
     * (not signed by the owner, for another room, naming the owner, dated in the future, forged, one too many);
     * else known or applied, and then appended to the room's revocation file if there is one. Costs one Ed25519
     * verification for a revocation not known yet.
     */
    @Override
    public RevocationDecision acceptRevocation(String room, String text) {
        Revocation revocation;
        try {
            revocation = Revocation.parse(text);
        } catch (InviteException e) {
            return RevocationDecision.malformed(e.getMessage() + " (" + e.problem() + ")");
        }
        ClosedRoom closed = rooms.get(room);
        if (closed == null) {
            return others.acceptRevocation(room, text);
        }
        try {
            return closed.revoke(revocation) ? RevocationDecision.applied() : RevocationDecision.known();
        } catch (InviteException e) {
            return RevocationDecision.refused(e.getMessage() + " (" + e.problem() + ")");
        }
    }

    /**
     * Applies a revocation by a closed room's owner, so that the revoked member or invite no longer gets in.
     * Members already in the room stay there (only a revocation a member passes on with {@code revoke} makes
     * the server check them again).
     *
     * @return true if new, false if known
     * @throws InviteException if the room is not closed here or refuses it (see {@link ClosedRoom#revoke})
     */
    public boolean revoke(Revocation revocation) throws InviteException {
        ClosedRoom closed = rooms.get(revocation.room());
        if (closed == null) {
            throw new InviteException(
                    InviteException.Problem.WRONG_ROOM,
                    "room '" + revocation.room() + "' is not closed on this server");
        }
        return closed.revoke(revocation);
    }

    @Override
    public String toString() {
        return "InviteJoinAuthorizer[closed " + rooms.keySet() + "]";
    }
}
