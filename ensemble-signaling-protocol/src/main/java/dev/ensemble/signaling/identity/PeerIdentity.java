package dev.ensemble.signaling.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * A peer's own identity: an Ed25519 key pair (BouncyCastle) whose public half is its {@link PeerId}.
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

    private static final String FILE_KIND = "ed25519";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Ed25519PrivateKeyParameters privateKey;
    private final PeerId peerId;

    private PeerIdentity(Ed25519PrivateKeyParameters privateKey) {
        this.privateKey = privateKey;
        this.peerId = PeerId.fromPublicKey(privateKey.generatePublicKey().getEncoded());
    }

    /** Creates a fresh identity from the platform's strong random source. */
    public static PeerIdentity generate() {
        return generate(new SecureRandom());
    }

    /** Creates a fresh identity from {@code random} (tests may pass a seeded source). */
    public static PeerIdentity generate(SecureRandom random) {
        return new PeerIdentity(new Ed25519PrivateKeyParameters(Objects.requireNonNull(random, "random")));
    }

    /**
     * Recreates the identity held by a 32-byte private seed.
     *
     * @throws IllegalArgumentException if the seed is not 32 bytes long
     */
    public static PeerIdentity fromSeed(byte[] seed) {
        Objects.requireNonNull(seed, "seed");
        if (seed.length != SEED_BYTES) {
            throw new IllegalArgumentException(
                    "an Ed25519 private seed must be " + SEED_BYTES + " bytes but has " + seed.length);
        }
        return new PeerIdentity(new Ed25519PrivateKeyParameters(seed, 0));
    }

    /**
     * Reads an identity written by {@link #save(Path)}.
     *
     * @throws IOException if the file cannot be read, or is not an identity file (the message names the
     *     file and what is wrong, for example a peer id that does not match the key)
     */
    public static PeerIdentity load(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IOException("identity file " + file + " cannot be read as JSON: " + e.getMessage(), e);
        }
        if (root == null
                || !root.isObject()
                || !FILE_KIND.equals(root.path("kind").asText())) {
            throw new IOException(
                    "identity file " + file + " must be a JSON object with \"kind\":\"" + FILE_KIND + "\"");
        }
        byte[] seed;
        try {
            seed = Base64.getDecoder().decode(root.path("privateKey").asText());
        } catch (IllegalArgumentException e) {
            throw new IOException(
                    "identity file " + file + " has a privateKey that is not base64: " + e.getMessage(), e);
        }
        if (seed.length != SEED_BYTES) {
            throw new IOException("identity file " + file + " must hold a " + SEED_BYTES
                    + "-byte privateKey but it has " + seed.length + " bytes");
        }
        PeerIdentity identity = fromSeed(seed);
        String recorded = root.path("peerId").asText();
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
        Path absolute = file.toAbsolutePath();
        Path directory = absolute.getParent();
        Files.createDirectories(directory);
        ObjectNode root = JSON.createObjectNode()
                .put("kind", FILE_KIND)
                .put("peerId", peerId.toString())
                .put("privateKey", Base64.getEncoder().encodeToString(privateKey.getEncoded()));
        Path temporary = directory.resolve(absolute.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        createOwnerOnly(temporary);
        Files.writeString(temporary, JSON.writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
        try {
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void createOwnerOnly(Path file) throws IOException {
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        try {
            if (posix) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException e) {
            throw new IOException(
                    "temporary identity file " + file + " appeared while saving; another process "
                            + "is saving the same identity",
                    e);
        }
    }

    /** The public name of this identity. */
    public PeerId peerId() {
        return peerId;
    }

    /** Signs {@code message} with the private key; returns the 64-byte Ed25519 signature. */
    public byte[] sign(byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, privateKey);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    /** Shows the peer id only, never the key. */
    @Override
    public String toString() {
        return "PeerIdentity[" + peerId + "]";
    }
}
