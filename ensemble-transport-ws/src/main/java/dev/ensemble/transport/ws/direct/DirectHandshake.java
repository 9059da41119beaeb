package dev.ensemble.transport.ws.direct;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * INTERNAL API. The frames and the signed transcript of the direct connection's identity handshake
 * ({@code docs/PROTOCOL.md}, "Direct connection"). Both sides send a {@code hello} (their public key
 * and a fresh nonce) as soon as the WebSocket opens; on the other's hello each side sends a {@code
 * proof}: its signature of a transcript that holds both keys, both nonces and the signer's role, so a
 * proof cannot be replayed on another connection (fresh nonces), answered for another key (both keys
 * bound) or reflected back at its author (role bound).
 *
 * <pre>
 * hello (66 bytes)                          proof (66 bytes)
 * +------+------+---------+---------+       +------+------+--------------+
 * | 0x01 | 0x01 | key 32  | nonce 32|       | 0x01 | 0x02 | signature 64 |
 * +------+------+---------+---------+       +------+------+--------------+
 *
 * transcript = "ensemble-direct-v1" | role ('D' dialer or 'L' listener, the signer's) |
 *              dialer key | dialer nonce | listener key | listener nonce
 * </pre>
 *
 * <p>The signaling protocol's {@code Handshake} signs only a server nonce for a server that proves
 * nothing; this handshake is mutual, so it has its own transcript. Stateless and thread-safe.
 */
final class DirectHandshake {

    static final byte VERSION = 0x01;
    static final byte HELLO = 0x01;
    static final byte PROOF = 0x02;
    static final int NONCE_BYTES = 32;
    static final int HELLO_BYTES = 2 + PeerId.PUBLIC_KEY_BYTES + NONCE_BYTES;
    static final int PROOF_BYTES = 2 + PeerId.SIGNATURE_BYTES;
    static final byte ROLE_DIALER = 'D';
    static final byte ROLE_LISTENER = 'L';

    private static final byte[] CONTEXT = "ensemble-direct-v1".getBytes(StandardCharsets.US_ASCII);

    private DirectHandshake() {}

    /** A hello: version, type, the 32-byte public key, the nonce. */
    static byte[] hello(PeerId self, byte[] nonce) {
        byte[] frame = new byte[HELLO_BYTES];
        frame[0] = VERSION;
        frame[1] = HELLO;
        self.copyPublicKeyTo(frame, 2);
        System.arraycopy(nonce, 0, frame, 2 + PeerId.PUBLIC_KEY_BYTES, NONCE_BYTES);
        return frame;
    }

    /** A proof: version, type, the signature of the transcript by {@code identity} in {@code role}. */
    static byte[] proof(PeerIdentity identity, byte role, byte[] transcriptBody) {
        byte[] signature = identity.sign(signed(role, transcriptBody));
        byte[] frame = new byte[PROOF_BYTES];
        frame[0] = VERSION;
        frame[1] = PROOF;
        System.arraycopy(signature, 0, frame, 2, PeerId.SIGNATURE_BYTES);
        return frame;
    }

    /** Whether {@code proof} is {@code signer}'s signature of the transcript in {@code role}; never throws. */
    static boolean verify(PeerId signer, byte role, byte[] transcriptBody, byte[] proof) {
        if (proof.length != PROOF_BYTES || proof[0] != VERSION || proof[1] != PROOF) {
            return false;
        }
        return signer.verify(signed(role, transcriptBody), Arrays.copyOfRange(proof, 2, PROOF_BYTES));
    }

    /** The part of the transcript both proofs share: dialer key and nonce, listener key and nonce. */
    static byte[] transcriptBody(PeerId dialer, byte[] dialerNonce, PeerId listener, byte[] listenerNonce) {
        byte[] body = new byte[2 * (PeerId.PUBLIC_KEY_BYTES + NONCE_BYTES)];
        dialer.copyPublicKeyTo(body, 0);
        System.arraycopy(dialerNonce, 0, body, PeerId.PUBLIC_KEY_BYTES, NONCE_BYTES);
        int at = PeerId.PUBLIC_KEY_BYTES + NONCE_BYTES;
        listener.copyPublicKeyTo(body, at);
        System.arraycopy(listenerNonce, 0, body, at + PeerId.PUBLIC_KEY_BYTES, NONCE_BYTES);
        return body;
    }

    /** The bytes signed: the context, the role byte, the transcript body. */
    static byte[] signed(byte role, byte[] transcriptBody) {
        byte[] signed = new byte[CONTEXT.length + 1 + transcriptBody.length];
        System.arraycopy(CONTEXT, 0, signed, 0, CONTEXT.length);
        signed[CONTEXT.length] = role;
        System.arraycopy(transcriptBody, 0, signed, CONTEXT.length + 1, transcriptBody.length);
        return signed;
    }

    /**
     * Checks a hello's layout and returns the key it announces.
     *
     * @throws IllegalArgumentException naming what is wrong (length, version, type)
     */
    static PeerId helloKey(byte[] frame) {
        checkHeader(frame, HELLO_BYTES, HELLO, "hello");
        return PeerId.fromPublicKey(Arrays.copyOfRange(frame, 2, 2 + PeerId.PUBLIC_KEY_BYTES));
    }

    /** The nonce of a hello already checked by {@link #helloKey}. */
    static byte[] helloNonce(byte[] frame) {
        return Arrays.copyOfRange(frame, 2 + PeerId.PUBLIC_KEY_BYTES, HELLO_BYTES);
    }

    /** Checks a proof's layout. @throws IllegalArgumentException naming what is wrong */
    static void checkProof(byte[] frame) {
        checkHeader(frame, PROOF_BYTES, PROOF, "proof");
    }

    private static void checkHeader(byte[] frame, int length, byte type, String name) {
        if (frame.length < 2 || frame[0] != VERSION) {
            throw new IllegalArgumentException(
                    "expected a direct-connection " + name + " (version 0x01) but got " + describe(frame));
        }
        if (frame[1] != type) {
            throw new IllegalArgumentException(String.format(
                    "expected a %s (type 0x%02x) but got type 0x%02x (%d bytes)", name, type, frame[1], frame.length));
        }
        if (frame.length != length) {
            throw new IllegalArgumentException(
                    "a " + name + " is " + length + " bytes but this one has " + frame.length);
        }
    }

    /** A short description of a frame that is not what was expected, without echoing all of it. */
    static String describe(byte[] frame) {
        if (frame.length == 0) {
            return "an empty frame";
        }
        StringBuilder head = new StringBuilder();
        for (int i = 0; i < Math.min(4, frame.length); i++) {
            head.append(String.format("%02x", frame[i]));
        }
        return frame.length + " bytes starting " + head;
    }
}
