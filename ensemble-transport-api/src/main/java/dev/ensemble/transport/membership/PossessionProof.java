package dev.ensemble.transport.membership;

import dev.ensemble.transport.PeerId;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * INTERNAL API. What the holder of a bearer invite signs with its holder key to prove, for one
 * presentation, that it holds the key: the room, the presenting peer, the bearer invite's id, and what
 * makes the presentation fresh: to a peer, that peer's key and the random nonce it sent on this
 * connection; at a server's join, the server's challenge nonce of this connection. A proof thus admits
 * only its presenter (whom sessions, or the server's handshake, authenticate), only once.
 *
 * <pre>
 * to a peer:  "ensemble-invite-proof/1 peer" ‖ u8 len ‖ room ‖ presenter[32] ‖ receiver[32] ‖ nonce[32] ‖ invite id[16]
 * at a join:  "ensemble-invite-proof/1 join" ‖ u8 len ‖ room ‖ presenter[32] ‖ u8 len ‖ nonce ‖ invite id[16]
 *             (the join's nonce is the server's challenge nonce exactly as received, UTF-8, 1 to 255 bytes)
 * proof = Ed25519(holder key, the bytes above)
 * </pre>
 *
 * <p>The two labels differ, so a proof made for a peer cannot stand in at a server or the reverse.
 * Stateless.
 */
@FunctionalInterface
interface PossessionProof {

    /** Length of a membership stage's nonce, sent in its hello. */
    int NONCE_BYTES = 32;

    byte[] PEER_LABEL = "ensemble-invite-proof/1 peer".getBytes(StandardCharsets.US_ASCII);
    byte[] JOIN_LABEL = "ensemble-invite-proof/1 join".getBytes(StandardCharsets.US_ASCII);

    /**
     * The bytes the holder signs to present a chain ending with {@code bearer}.
     *
     * @param room the room
     * @param presenter the peer presenting the chain
     * @param bearer the chain's last invite, a bearer invite
     */
    byte[] signedBytes(String room, PeerId presenter, Invite bearer);

    /** Binds a proof to one connection with {@code receiver}, which sent {@code receiverNonce} on it. */
    static PossessionProof toPeer(PeerId receiver, byte[] receiverNonce) {
        if (receiverNonce.length != NONCE_BYTES) {
            throw new IllegalArgumentException(
                    "a peer's nonce must be " + NONCE_BYTES + " bytes but has " + receiverNonce.length);
        }
        byte[] nonce = receiverNonce.clone();
        return (room, presenter, bearer) -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(PEER_LABEL);
            Wire.writeRoom(out, room);
            out.writeBytes(presenter.publicKey());
            out.writeBytes(receiver.publicKey());
            out.writeBytes(nonce);
            out.writeBytes(bearer.id());
            return out.toByteArray();
        };
    }

    /**
     * Binds a proof to one join at a server, by the challenge nonce of the connection that joins.
     *
     * @throws IllegalArgumentException for a nonce that is empty or longer than 255 bytes of UTF-8
     */
    static PossessionProof atJoin(String serverNonce) {
        byte[] nonce = serverNonce.getBytes(StandardCharsets.UTF_8);
        if (nonce.length == 0 || nonce.length > 255) {
            throw new IllegalArgumentException(
                    "a server's challenge nonce must be 1 to 255 bytes of UTF-8 but has " + nonce.length);
        }
        return (room, presenter, bearer) -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(JOIN_LABEL);
            Wire.writeRoom(out, room);
            out.writeBytes(presenter.publicKey());
            out.write(nonce.length);
            out.writeBytes(nonce);
            out.writeBytes(bearer.id());
            return out.toByteArray();
        };
    }
}
