package dev.ensemble.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/**
 * A peer's own identity: an Ed25519 key pair whose public half is its {@link PeerId}. Transports
 * sign with it to prove who they are (the signaling server's challenge, for one); the private key
 * never leaves this object except through {@link #save(Path)}.
 *
 * <p>Keep one identity per peer and store it with {@link #save(Path)} so the peer keeps its name
 * across restarts; {@link #loadOrCreate(Path)} does both in one call. The file is a small JSON
 * document holding the 32-byte private seed in base64:
 *
 * <pre>{@code
 * {"kind":"ed25519","peerId":"did:key:z6Mk...","privateKey":"<base64 of 32 bytes>"}
 * }</pre>
 *
 * <p>On file systems with POSIX permissions the file is created readable and writable by its owner
 * only ({@code rw-------}); elsewhere the platform's defaults apply.
 *
 * <p>Ed25519 is the JDK's own (no cryptography library is needed); see {@link PeerId} for the
 * string form.
 *
 * <p>Immutable and thread-safe: {@link #sign(byte[])} may be called from any thread.
 *
 * <pre>{@code
 * PeerIdentity me = PeerIdentity.loadOrCreate(Path.of("peer-identity.json"));
 * byte[] signature = me.sign(message);
 * assert me.peerId().verify(message, signature);
 * }</pre>
 */
public final class PeerIdentity {

    /** Length of the private seed in bytes. */
    public static final int SEED_BYTES = 32;

    static final String FILE_KIND = "ed25519";

    private final byte[] seed;
    private final PrivateKey privateKey;
    private final PeerId peerId;

    private PeerIdentity(byte[] seed) {
        this.seed = seed;
        this.privateKey = Ed25519.privateKey(seed);
        this.peerId = PeerId.fromPublicKey(Ed25519.publicKeyOf(seed));
    }

    /** Creates a fresh identity from the platform's strong random source. */
    public static PeerIdentity generate() {
        return generate(new SecureRandom());
    }

    /** Creates a fresh identity from {@code random} (tests may pass a seeded source). */
    public static PeerIdentity generate(SecureRandom random) {
        byte[] seed = new byte[SEED_BYTES];
        Objects.requireNonNull(random, "random").nextBytes(seed);
        return new PeerIdentity(seed);
    }

    /**
     * Recreates the identity held by a 32-byte private seed (RFC 8032's "private key").
     *
     * @param seed the seed; copied
     * @throws IllegalArgumentException if the seed is not 32 bytes long
     */
    public static PeerIdentity fromSeed(byte[] seed) {
        Objects.requireNonNull(seed, "seed");
        if (seed.length != SEED_BYTES) {
            throw new IllegalArgumentException(
                    "an Ed25519 private seed must be " + SEED_BYTES + " bytes but has " + seed.length);
        }
        return new PeerIdentity(seed.clone());
    }

    /**
     * Reads an identity written by {@link #save(Path)}.
     *
     * @throws IOException if the file cannot be read, or is not an identity file (the message names the
     *     file and what is wrong, for example a peer id that does not match the key)
     */
    public static PeerIdentity load(Path file) throws IOException {
        Map<String, String> fields = IdentityFile.read(file);
        if (!FILE_KIND.equals(fields.get("kind"))) {
            throw new IOException(
                    "identity file " + file + " must be a JSON object with \"kind\":\"" + FILE_KIND + "\"");
        }
        byte[] seed;
        try {
            seed = Base64.getDecoder().decode(fields.getOrDefault("privateKey", ""));
        } catch (IllegalArgumentException e) {
            throw new IOException(
                    "identity file " + file + " has a privateKey that is not base64: " + e.getMessage(), e);
        }
        if (seed.length != SEED_BYTES) {
            throw new IOException("identity file " + file + " must hold a " + SEED_BYTES
                    + "-byte privateKey but it has " + seed.length + " bytes");
        }
        PeerIdentity identity = new PeerIdentity(seed);
        String recorded = fields.getOrDefault("peerId", "");
        if (!identity.peerId().toString().equals(recorded)) {
            throw new IOException("identity file " + file + " names peer '" + recorded
                    + "' but its private key belongs to '" + identity.peerId() + "'; the file is corrupt");
        }
        return identity;
    }

    /**
     * Loads the identity stored at {@code file}, or generates one and saves it there if the file does
     * not exist yet.
     */
    public static PeerIdentity loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            return load(file);
        }
        PeerIdentity fresh = generate();
        fresh.save(file);
        return fresh;
    }

    /**
     * Writes this identity to {@code file} (replacing it atomically where the file system allows),
     * readable by the owner only where POSIX permissions are supported. Parent directories are created.
     */
    public void save(Path file) throws IOException {
        IdentityFile.write(
                file, FILE_KIND, peerId.toString(), Base64.getEncoder().encodeToString(seed));
    }

    /** The public name of this identity. */
    public PeerId peerId() {
        return peerId;
    }

    /** Signs {@code message} with the private key; returns the 64-byte Ed25519 signature. */
    public byte[] sign(byte[] message) {
        return Ed25519.sign(privateKey, Objects.requireNonNull(message, "message"));
    }

    /** Shows the peer id only, never the key. */
    @Override
    public String toString() {
        return "PeerIdentity[" + peerId + "]";
    }
}
