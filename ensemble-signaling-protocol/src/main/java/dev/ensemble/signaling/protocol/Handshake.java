package dev.ensemble.signaling.protocol;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The identity handshake: the server sends a random nonce in a {@code challenge}, the peer answers with
 * a {@code hello} carrying its peer id and the Ed25519 signature of the UTF-8 bytes of
 * {@code "ensemble-signaling:" + nonce} (the nonce exactly as received, in its base64 form).
 *
 * <p>The prefix binds the signature to this protocol, so a signature cannot be replayed elsewhere.
 * Stateless and thread-safe.
 *
 * <pre>{@code
 * ClientMessage.Hello hello = Handshake.hello(identity, challenge.nonce());
 * boolean ok = Handshake.verify(hello, challenge.nonce());   // on the server
 * }</pre>
 */
public final class Handshake {

    /** Prepended to the nonce before signing. */
    public static final String SIGNED_PREFIX = "ensemble-signaling:";
    /** Number of random bytes in a nonce. */
    public static final int NONCE_BYTES = 32;

    private Handshake() {}

    /** A fresh nonce: base64 of {@value #NONCE_BYTES} random bytes. */
    public static String newNonce(SecureRandom random) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /** The bytes a peer signs: UTF-8 of {@code "ensemble-signaling:" + nonce}. */
    public static byte[] signedBytes(String nonce) {
        return (SIGNED_PREFIX + nonce).getBytes(StandardCharsets.UTF_8);
    }

    /** The {@code hello} that answers a challenge with {@code nonce}. */
    public static ClientMessage.Hello hello(PeerIdentity identity, String nonce) {
        String signature = Base64.getEncoder().encodeToString(identity.sign(signedBytes(nonce)));
        return new ClientMessage.Hello(identity.peerId(), signature);
    }

    /** Whether {@code hello} carries a valid signature of {@code nonce} by the key it claims; never throws. */
    public static boolean verify(ClientMessage.Hello hello, String nonce) {
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(hello.signature());
        } catch (IllegalArgumentException e) {
            return false;
        }
        PeerId claimed = hello.peerId();
        return claimed.verify(signedBytes(nonce), signature);
    }
}
