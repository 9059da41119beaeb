package dev.ensemble.collab.repo;

/**
 * What a peer says about itself in {@code join} and {@code peer} (the map under the key
 * {@code peerMetadata}). Immutable.
 *
 * @param storageId the id of the peer's durable storage (a UUID as text), or null if it has none
 *     (the JavaScript side writes CBOR {@code undefined}; this codec omits the key)
 * @param isEphemeral true: do not keep sync state for this peer; null when absent
 */
public record PeerMetadata(String storageId, Boolean isEphemeral) {
    /** A peer without storage whose sync state is not worth keeping: what a Java client sends. */
    public static final PeerMetadata EPHEMERAL = new PeerMetadata(null, true);
    /** An empty map: neither field. */
    public static final PeerMetadata EMPTY = new PeerMetadata(null, null);
}
