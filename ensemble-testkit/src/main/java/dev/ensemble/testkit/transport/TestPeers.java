package dev.ensemble.testkit.transport;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Readable, repeatable peers for tests: {@code TestPeers.id("alice")} is a real {@code did:key},
 * the same in every run and every module, whose private key is the SHA-256 of {@code
 * "ensemble test peer:alice"}. Anyone can derive these keys from their names: never use them
 * outside tests and simulations.
 *
 * <p>{@link #nameOf(PeerId)} turns such an id back into its name for assertion messages; a peer
 * that was not made here is shown by its {@link PeerId#shortForm()}.
 *
 * <pre>{@code
 * PeerId alice = TestPeers.id("alice");
 * Transport transport = network.transportFor(alice);
 * assertEquals("alice", TestPeers.nameOf(alice));
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class TestPeers {

    private static final Map<String, PeerIdentity> BY_NAME = new ConcurrentHashMap<>();
    private static final Map<PeerIdentity, String> NAME_OF = new ConcurrentHashMap<>();
    private static final Map<PeerId, PeerIdentity> BY_ID = new ConcurrentHashMap<>();

    private TestPeers() {}

    /**
     * The identity named {@code name}, with its private key.
     *
     * @param name any text, e.g. {@code "alice"} or {@code "reader-3"}
     * @return the same identity for the same name, in every run
     */
    public static PeerIdentity identity(String name) {
        return BY_NAME.computeIfAbsent(name, TestPeers::derive);
    }

    /**
     * The peer id named {@code name}.
     *
     * @param name any text, e.g. {@code "alice"}
     * @return {@code identity(name).peerId()}
     */
    public static PeerId id(String name) {
        return identity(name).peerId();
    }

    /**
     * The name a peer id was made from here, or its short form if it was not made here.
     *
     * @param peer the peer
     * @return e.g. {@code "alice"}, or {@code "z6Mk...sdvktH"}
     */
    public static String nameOf(PeerId peer) {
        PeerIdentity identity = BY_ID.get(peer);
        return identity != null ? NAME_OF.get(identity) : peer.shortForm();
    }

    /**
     * The identity, with its private key, of a peer id made here.
     *
     * @param peer a peer from {@link #id(String)}
     * @return its identity
     * @throws IllegalArgumentException if the id was not made here
     */
    public static PeerIdentity identityOf(PeerId peer) {
        PeerIdentity identity = BY_ID.get(peer);
        if (identity == null) {
            throw new IllegalArgumentException(
                    "peer " + peer + " was not made by TestPeers.id(name); its private key is unknown");
        }
        return identity;
    }

    private static PeerIdentity derive(String name) {
        byte[] seed;
        try {
            seed = MessageDigest.getInstance("SHA-256")
                    .digest(("ensemble test peer:" + name).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
        PeerIdentity identity = PeerIdentity.fromSeed(seed);
        NAME_OF.put(identity, name);
        BY_ID.put(identity.peerId(), identity);
        return identity;
    }
}
