package dev.ensemble.transport;

import java.util.Arrays;
import java.util.Objects;

/**
 * The stable identity of a peer: its Ed25519 public key written as a {@code did:key}. The same
 * peer keeps the same id across reconnects, so a transport reports a reconnecting peer as the
 * same {@code PeerId}; a peer proves that an id is its own by signing with the private key that
 * {@link PeerIdentity} holds, and anyone can check such a signature with {@link #verify}.
 *
 * <p>The string form is {@code "did:key:z"} followed by the base58btc encoding of the bytes
 * {@code 0xed 0x01} (the multicodec code of an Ed25519 public key) and the 32-byte public key, for
 * example {@code did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH}. Every Ed25519 {@code did:key}
 * therefore starts with {@code did:key:z6Mk}. {@link #toString()} is that string; {@link #shortForm()}
 * ({@code z6Mk...sdvktH}) is for log lines and thread names, where the whole key is noise.
 *
 * <p>Tests that want readable, repeatable peers derive them from names: the test kit
 * (ensemble-testkit) has {@code TestPeers.id("alice")} (a {@link PeerIdentity#fromSeed seed}
 * hashed from the name).
 *
 * <p>Immutable and thread-safe; equal when the public keys are equal; ordered by the string form.
 *
 * <pre>{@code
 * PeerId id = PeerId.parse("did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH");
 * boolean genuine = id.verify(message, signature);
 * }</pre>
 */
public final class PeerId implements Comparable<PeerId> {

    /** Every Ed25519 peer id starts with this: the DID method and the multibase prefix for base58btc. */
    public static final String DID_KEY_PREFIX = "did:key:z";
    /** Length of an Ed25519 public key in bytes. */
    public static final int PUBLIC_KEY_BYTES = 32;
    /** Length of an Ed25519 signature in bytes. */
    public static final int SIGNATURE_BYTES = 64;

    /** How many characters of the end of the string form {@link #shortForm()} keeps. */
    private static final int SHORT_FORM_TAIL = 6;

    private static final byte MULTICODEC_ED25519_PUB_0 = (byte) 0xed;
    private static final byte MULTICODEC_ED25519_PUB_1 = (byte) 0x01;
    /** Longer strings cannot be an Ed25519 did:key; checked before decoding so hostile input stays cheap. */
    private static final int MAX_DID_LENGTH = 64;

    private final byte[] publicKey;
    private final String did;
    /**
     * Computed once: peer ids key the maps every received frame goes through (the messaging
     * actor's, the sync engine's), and hashing 32 bytes per look-up was visible in a profile of a
     * peer's keystroke.
     */
    private final int hash;

    private PeerId(byte[] publicKey) {
        this.publicKey = publicKey;
        this.hash = Arrays.hashCode(publicKey);
        byte[] multicodec = new byte[2 + PUBLIC_KEY_BYTES];
        multicodec[0] = MULTICODEC_ED25519_PUB_0;
        multicodec[1] = MULTICODEC_ED25519_PUB_1;
        System.arraycopy(publicKey, 0, multicodec, 2, PUBLIC_KEY_BYTES);
        this.did = DID_KEY_PREFIX + Base58.encode(multicodec);
    }

    /**
     * Names the peer that owns an Ed25519 public key.
     *
     * @param publicKey the 32 raw bytes of the key; copied
     * @throws IllegalArgumentException if the key is not 32 bytes long
     */
    public static PeerId fromPublicKey(byte[] publicKey) {
        Objects.requireNonNull(publicKey, "publicKey");
        if (publicKey.length != PUBLIC_KEY_BYTES) {
            throw new IllegalArgumentException(
                    "an Ed25519 public key must be " + PUBLIC_KEY_BYTES + " bytes but has " + publicKey.length);
        }
        return new PeerId(publicKey.clone());
    }

    /**
     * Parses a {@code did:key} string.
     *
     * @throws IllegalArgumentException naming what is wrong: prefix, alphabet, multicodec or key length
     */
    public static PeerId parse(String did) {
        Objects.requireNonNull(did, "did");
        if (did.length() > MAX_DID_LENGTH) {
            throw new IllegalArgumentException("a peer id must be at most " + MAX_DID_LENGTH
                    + " characters (an Ed25519 did:key) but has " + did.length());
        }
        if (!did.startsWith(DID_KEY_PREFIX)) {
            throw new IllegalArgumentException(
                    "a peer id must start with '" + DID_KEY_PREFIX + "' but is '" + did + "'");
        }
        byte[] decoded;
        try {
            decoded = Base58.decode(did.substring(DID_KEY_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("peer id '" + did + "' is not valid: " + e.getMessage(), e);
        }
        if (decoded.length < 2 || decoded[0] != MULTICODEC_ED25519_PUB_0 || decoded[1] != MULTICODEC_ED25519_PUB_1) {
            throw new IllegalArgumentException(
                    "peer id '" + did + "' must hold an Ed25519 public key (multicodec 0xed 0x01, 'did:key:z6Mk...')");
        }
        if (decoded.length != 2 + PUBLIC_KEY_BYTES) {
            throw new IllegalArgumentException("peer id '" + did + "' must hold a " + PUBLIC_KEY_BYTES
                    + "-byte key but holds " + (decoded.length - 2) + " bytes");
        }
        return new PeerId(Arrays.copyOfRange(decoded, 2, decoded.length));
    }

    /** The 32 raw bytes of the Ed25519 public key (a copy). */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** Writes the 32 raw bytes of the public key into {@code target} at {@code offset}, without copying twice. */
    public void copyPublicKeyTo(byte[] target, int offset) {
        System.arraycopy(publicKey, 0, target, offset, PUBLIC_KEY_BYTES);
    }

    /**
     * Checks an Ed25519 signature made by this peer's private key.
     *
     * @return true only if {@code signature} is a valid signature of {@code message} by this key;
     *     false for any wrong, truncated or malformed signature, and for a key that is not a point
     *     of the curve (never throws for bad input)
     */
    public boolean verify(byte[] message, byte[] signature) {
        return Ed25519.verify(publicKey, message, signature);
    }

    /**
     * A short form for logs and thread names: {@code "z6Mk..."} and the last {@value #SHORT_FORM_TAIL}
     * characters, e.g. {@code z6Mk...sdvktH}. Not unique in principle (use {@link #toString()} wherever
     * the id must be exact); two peers of one room share one with a chance of about 1 in 38 billion.
     *
     * @return the short form
     */
    public String shortForm() {
        return "z6Mk..." + did.substring(did.length() - SHORT_FORM_TAIL);
    }

    /** The {@code did:key} string. */
    @Override
    public String toString() {
        return did;
    }

    @Override
    public boolean equals(Object other) {
        return other == this
                || other instanceof PeerId that && hash == that.hash && Arrays.equals(publicKey, that.publicKey);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public int compareTo(PeerId other) {
        return did.compareTo(other.did);
    }
}
