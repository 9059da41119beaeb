package dev.ensemble.collab.repo;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One message of the automerge-repo network protocol, version 1: one CBOR map in one binary
 * WebSocket frame (see {@link RepoCodec} and {@code docs/PROTOCOL.md}). Every type is an
 * immutable record; byte arrays are copied in and out.
 *
 * <p>Handshake: {@link Join} (client to server), answered by {@link Peer} or, for an unsupported
 * version, {@link ErrorMessage}. Then, either way: {@link Request} and {@link Sync} (Automerge sync
 * messages for one document), {@link DocUnavailable}, {@link Ephemeral}, and the remote heads
 * gossip ({@link RemoteSubscriptionChange}, {@link RemoteHeadsChanged}).
 */
public sealed interface RepoMessage {
    /** The only protocol version there is. */
    String PROTOCOL_VERSION = "1";

    /** @return the wire {@code type} */
    String type();

    /** @return the sending (for ephemeral: originating) peer's id */
    String senderId();

    /**
     * {@code join}: the client's first message.
     *
     * @param senderId the client's peer id, carried by all its later messages
     * @param peerMetadata its storage id and whether it is ephemeral
     * @param supportedProtocolVersions the versions it speaks, or null when absent (the server
     *     then assumes {@code ["1"]})
     */
    record Join(String senderId, PeerMetadata peerMetadata, List<String> supportedProtocolVersions)
            implements RepoMessage {
        /** Checks the fields. */
        public Join {
            Objects.requireNonNull(senderId, "senderId");
            Objects.requireNonNull(peerMetadata, "peerMetadata");
            supportedProtocolVersions =
                    supportedProtocolVersions == null ? null : List.copyOf(supportedProtocolVersions);
        }

        @Override
        public String type() {
            return "join";
        }
    }

    /**
     * {@code peer}: the server accepts a {@code join}.
     *
     * @param senderId the server's peer id
     * @param targetId the client's peer id
     * @param peerMetadata the server's metadata
     * @param selectedProtocolVersion {@code "1"}
     */
    record Peer(String senderId, String targetId, PeerMetadata peerMetadata, String selectedProtocolVersion)
            implements RepoMessage {
        /** Checks the fields. */
        public Peer {
            Objects.requireNonNull(senderId, "senderId");
            Objects.requireNonNull(targetId, "targetId");
            Objects.requireNonNull(peerMetadata, "peerMetadata");
            Objects.requireNonNull(selectedProtocolVersion, "selectedProtocolVersion");
        }

        @Override
        public String type() {
            return "peer";
        }
    }

    /**
     * {@code error}: the server refuses a {@code join} (only for an unsupported version) and
     * closes the connection.
     *
     * @param senderId the server's peer id
     * @param targetId the client's peer id
     * @param message readable text, e.g. {@code unsupported protocol version}
     */
    record ErrorMessage(String senderId, String targetId, String message) implements RepoMessage {
        /** Checks the fields. */
        public ErrorMessage {
            Objects.requireNonNull(senderId, "senderId");
            Objects.requireNonNull(targetId, "targetId");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String type() {
            return "error";
        }
    }

    /**
     * {@code request}: "I do not have this document; send it, or say you do not have it".
     *
     * @param senderId the sender
     * @param targetId the addressee
     * @param documentId the document
     * @param data an Automerge sync message generated from an empty document (non-empty)
     */
    record Request(String senderId, String targetId, DocumentId documentId, byte[] data) implements RepoMessage {
        /** Checks and copies the fields. */
        public Request {
            Objects.requireNonNull(senderId, "senderId");
            Objects.requireNonNull(targetId, "targetId");
            Objects.requireNonNull(documentId, "documentId");
            data = nonEmpty(data, "request");
        }

        @Override
        public String type() {
            return "request";
        }

        /** @return a copy of the sync message */
        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Request r
                    && senderId.equals(r.senderId)
                    && targetId.equals(r.targetId)
                    && documentId.equals(r.documentId)
                    && Arrays.equals(data, r.data);
        }

        @Override
        public int hashCode() {
            return Objects.hash(senderId, targetId, documentId, Arrays.hashCode(data));
        }

        @Override
        public String toString() {
            return "Request[" + senderId + " -> " + targetId + ", " + documentId + ", " + describe(data) + "]";
        }
    }

    /**
     * {@code sync}: one Automerge sync message for one document.
     *
     * @param senderId the sender
     * @param targetId the addressee
     * @param documentId the document
     * @param data the sync message (non-empty; starts with 0x42 or 0x43)
     */
    record Sync(String senderId, String targetId, DocumentId documentId, byte[] data) implements RepoMessage {
        /** Checks and copies the fields. */
        public Sync {
            Objects.requireNonNull(senderId, "senderId");
            Objects.requireNonNull(targetId, "targetId");
            Objects.requireNonNull(documentId, "documentId");
            data = nonEmpty(data, "sync");
        }

        @Override
        public String type() {
            return "sync";
        }

        /** @return a copy of the sync message */
        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Sync s
                    && senderId.equals(s.senderId)
                    && targetId.equals(s.targetId)
                    && documentId.equals(s.documentId)
                    && Arrays.equals(data, s.data);
        }

        @Override
        public int hashCode() {
            return Objects.hash(senderId, targetId, documentId, Arrays.hashCode(data));
        }

        @Override
        public String toString() {
            return "Sync[" + senderId + " -> " + targetId + ", " + documentId + ", " + describe(data) + "]";
        }
    }

    /**
     * {@code doc-unavailable}: neither the sender nor any of its peers has the document.
     *
     * @param senderId the sender
     * @param targetId the peer that asked
     * @param documentId the document
     */
    record DocUnavailable(String senderId, String targetId, DocumentId documentId) implements RepoMessage {
        /** Checks the fields. */
        public DocUnavailable {
            Objects.requireNonNull(senderId, "senderId");
            Objects.requireNonNull(targetId, "targetId");
            Objects.requireNonNull(documentId, "documentId");
        }

        @Override
        public String type() {
            return "doc-unavailable";
        }
    }

    /**
     * {@code ephemeral}: an application message about a document that is not stored.
     *
     * @param senderId the originating peer (unchanged when forwarded)
     * @param targetId the next hop
     * @param documentId the document it belongs to
     * @param count the sender's per-session sequence number (from 1)
     * @param sessionId the originating session
     * @param data the application's message, itself CBOR (non-empty)
     */
    record Ephemeral(String senderId, String targetId, DocumentId documentId, long count, String sessionId, byte[] data)
            implements RepoMessage {
        /** Checks and copies the fields. */
        public Ephemeral {
            Objects.requireNonNull(senderId, "senderId");
            Objects.requireNonNull(targetId, "targetId");
            Objects.requireNonNull(documentId, "documentId");
            Objects.requireNonNull(sessionId, "sessionId");
            if (count < 0) {
                throw new IllegalArgumentException("ephemeral count must be >= 0, but was " + count);
            }
            data = nonEmpty(data, "ephemeral");
        }

        @Override
        public String type() {
            return "ephemeral";
        }

        /** @return a copy of the CBOR payload */
        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Ephemeral e
                    && senderId.equals(e.senderId)
                    && targetId.equals(e.targetId)
                    && documentId.equals(e.documentId)
                    && count == e.count
                    && sessionId.equals(e.sessionId)
                    && Arrays.equals(data, e.data);
        }

        @Override
        public int hashCode() {
            return Objects.hash(senderId, targetId, documentId, count, sessionId, Arrays.hashCode(data));
        }

        @Override
        public String toString() {
            return "Ephemeral[" + senderId + " -> " + targetId + ", " + documentId + ", #" + count + " of " + sessionId
                    + ", " + describe(data) + "]";
        }
    }

    /**
     * {@code remote-subscription-change}: which storage ids' heads the sender wants to hear of.
     *
     * @param senderId the sender
     * @param targetId the addressee
     * @param add storage ids to add, or null when absent
     * @param remove storage ids to remove, or null when absent
     */
    record RemoteSubscriptionChange(String senderId, String targetId, List<String> add, List<String> remove)
            implements RepoMessage {
        /** Checks and copies the fields. */
        public RemoteSubscriptionChange {
            Objects.requireNonNull(senderId, "senderId");
            Objects.requireNonNull(targetId, "targetId");
            add = add == null ? null : List.copyOf(add);
            remove = remove == null ? null : List.copyOf(remove);
        }

        @Override
        public String type() {
            return "remote-subscription-change";
        }
    }

    /**
     * {@code remote-heads-changed}: the heads that other peers' storages hold of a document.
     *
     * @param senderId the sender
     * @param targetId the addressee
     * @param documentId the document
     * @param newHeads per storage id, the heads it holds and when they were seen
     */
    record RemoteHeadsChanged(
            String senderId, String targetId, DocumentId documentId, Map<String, RemoteHeads> newHeads)
            implements RepoMessage {
        /** Checks and copies the fields (keeping their order). */
        public RemoteHeadsChanged {
            Objects.requireNonNull(senderId, "senderId");
            Objects.requireNonNull(targetId, "targetId");
            Objects.requireNonNull(documentId, "documentId");
            newHeads = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(newHeads));
        }

        @Override
        public String type() {
            return "remote-heads-changed";
        }
    }

    /**
     * One entry of {@link RemoteHeadsChanged#newHeads()}.
     *
     * @param heads change hashes in bs58check
     * @param timestamp milliseconds since 1970 when the heads were seen
     */
    record RemoteHeads(List<String> heads, long timestamp) {
        /** Copies the heads. */
        public RemoteHeads {
            heads = List.copyOf(heads);
        }
    }

    private static byte[] nonEmpty(byte[] data, String type) {
        Objects.requireNonNull(data, "data");
        if (data.length == 0) {
            // The JavaScript adapters refuse to send these too ("Tried to send a zero-length message").
            throw new IllegalArgumentException("a " + type + " message must carry data, but data is empty");
        }
        return data.clone();
    }

    private static String describe(byte[] data) {
        return data.length + " bytes ("
                + HexFormat.of().formatHex(data, 0, Math.min(8, data.length))
                + (data.length > 8 ? "…" : "") + ")";
    }
}
