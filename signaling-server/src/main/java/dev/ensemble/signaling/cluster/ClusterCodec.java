package dev.ensemble.signaling.cluster;

import dev.ensemble.signaling.protocol.RoomName;
import dev.ensemble.transport.PeerId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * INTERNAL API. The bytes of a {@link ClusterMessage} on a Redis channel: binary, so that a relay
 * frame travels unchanged, and versioned, so that a node can tell a message it cannot read from
 * one it can.
 *
 * <pre>
 * byte 0      version, {@value #VERSION}
 * byte 1      kind: 1 peer-joined, 2 peer-left, 3 roster, 4 relayed-signal, 5 relayed-frame, 6 replaced
 * then        node: a short string (1 byte length, then ASCII)
 * peer-joined, peer-left:  room (short string), peer (short string, a did:key)
 * roster:                  room, 2-byte big-endian count, that many peers
 * relayed-signal:          peer (the addressee), then to the end: the UTF-8 JSON of the server's signal message
 * relayed-frame:           peer (the addressee), then to the end: the relay frame as the sender sent it
 * replaced:                peer
 * </pre>
 *
 * <p>Decoding checks everything (version, kind, lengths, node id, room name, did:key, nothing left
 * over) and throws {@link MalformedClusterMessageException} saying what is wrong.
 *
 * <p>Thread-safe: stateless.
 */
public final class ClusterCodec {

    /** The version this node writes and reads. */
    public static final byte VERSION = 1;

    static final byte PEER_JOINED = 1;
    static final byte PEER_LEFT = 2;
    static final byte ROSTER = 3;
    static final byte RELAYED_SIGNAL = 4;
    static final byte RELAYED_FRAME = 5;
    static final byte REPLACED = 6;

    /** Longest node id: short enough for a one-byte length and for Redis key names. */
    public static final int MAX_NODE_ID_LENGTH = 64;

    private ClusterCodec() {}

    /** Whether {@code node} is a valid node id: 1..64 characters of a-z 0-9 and '-'. */
    public static boolean isNodeId(String node) {
        if (node == null || node.isEmpty() || node.length() > MAX_NODE_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < node.length(); i++) {
            char c = node.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** The bytes of {@code message}. */
    public static byte[] encode(ClusterMessage message) {
        byte[] node = ascii(message.node());
        ByteBuffer out;
        if (message instanceof ClusterMessage.PeerJoined joined) {
            out = header(
                    PEER_JOINED,
                    node,
                    1 + joined.room().length() + 1 + joined.peer().toString().length());
            putShort(out, joined.room());
            putShort(out, joined.peer().toString());
        } else if (message instanceof ClusterMessage.PeerLeft left) {
            out = header(
                    PEER_LEFT,
                    node,
                    1 + left.room().length() + 1 + left.peer().toString().length());
            putShort(out, left.room());
            putShort(out, left.peer().toString());
        } else if (message instanceof ClusterMessage.Roster roster) {
            int size = 1 + roster.room().length() + 2;
            for (PeerId peer : roster.peers()) {
                size += 1 + peer.toString().length();
            }
            out = header(ROSTER, node, size);
            putShort(out, roster.room());
            out.putShort((short) roster.peers().size());
            for (PeerId peer : roster.peers()) {
                putShort(out, peer.toString());
            }
        } else if (message instanceof ClusterMessage.RelayedSignal signal) {
            byte[] json = signal.json().getBytes(StandardCharsets.UTF_8);
            out = header(RELAYED_SIGNAL, node, 1 + signal.to().toString().length() + json.length);
            putShort(out, signal.to().toString());
            out.put(json);
        } else if (message instanceof ClusterMessage.RelayedFrame frame) {
            out = header(RELAYED_FRAME, node, 1 + frame.to().toString().length() + frame.frame().length);
            putShort(out, frame.to().toString());
            out.put(frame.frame());
        } else if (message instanceof ClusterMessage.Replaced replaced) {
            out = header(REPLACED, node, 1 + replaced.peer().toString().length());
            putShort(out, replaced.peer().toString());
        } else {
            throw new IllegalArgumentException("unknown cluster message " + message);
        }
        return out.array();
    }

    /**
     * Reads a message.
     *
     * @throws MalformedClusterMessageException naming what is wrong: version, kind, a field, trailing bytes
     */
    public static ClusterMessage decode(byte[] bytes) throws MalformedClusterMessageException {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.remaining() < 2) {
            throw new MalformedClusterMessageException(
                    "a cluster message has at least 2 bytes (version, kind) but this one has " + bytes.length);
        }
        byte version = in.get();
        if (version != VERSION) {
            throw new MalformedClusterMessageException("cluster message version " + (version & 0xff)
                    + " is not the version " + VERSION + " this node reads; run one server version per cluster");
        }
        byte kind = in.get();
        String node = getShort(in, "node");
        if (!isNodeId(node)) {
            throw new MalformedClusterMessageException(
                    "node id must be 1.." + MAX_NODE_ID_LENGTH + " characters of a-z 0-9 - but is '" + node + "'");
        }
        ClusterMessage message;
        switch (kind) {
            case PEER_JOINED -> message = new ClusterMessage.PeerJoined(node, room(in), peer(in));
            case PEER_LEFT -> message = new ClusterMessage.PeerLeft(node, room(in), peer(in));
            case ROSTER -> {
                String room = room(in);
                if (in.remaining() < 2) {
                    throw new MalformedClusterMessageException("roster: the peer count is missing");
                }
                int count = in.getShort() & 0xffff;
                List<PeerId> peers = new ArrayList<>(Math.min(count, 1024));
                for (int i = 0; i < count; i++) {
                    peers.add(peer(in));
                }
                message = new ClusterMessage.Roster(node, room, peers);
            }
            case RELAYED_SIGNAL -> {
                PeerId to = peer(in);
                byte[] json = new byte[in.remaining()];
                in.get(json);
                message = new ClusterMessage.RelayedSignal(node, to, new String(json, StandardCharsets.UTF_8));
            }
            case RELAYED_FRAME -> {
                PeerId to = peer(in);
                byte[] frame = new byte[in.remaining()];
                in.get(frame);
                message = new ClusterMessage.RelayedFrame(node, to, frame);
            }
            case REPLACED -> message = new ClusterMessage.Replaced(node, peer(in));
            default ->
                throw new MalformedClusterMessageException(
                        "unknown cluster message kind " + (kind & 0xff) + "; known kinds are 1..6");
        }
        if (in.hasRemaining()) {
            throw new MalformedClusterMessageException(
                    "cluster message of kind " + kind + " has " + in.remaining() + " bytes left over");
        }
        return message;
    }

    private static ByteBuffer header(byte kind, byte[] node, int rest) {
        ByteBuffer out = ByteBuffer.allocate(2 + 1 + node.length + rest);
        out.put(VERSION).put(kind).put((byte) node.length).put(node);
        return out;
    }

    private static byte[] ascii(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length > 255) {
            throw new IllegalArgumentException("a short string has at most 255 bytes but has " + bytes.length);
        }
        return bytes;
    }

    /** Rooms, node ids and did:keys are ASCII by their rules, so characters are bytes. */
    private static void putShort(ByteBuffer out, String text) {
        byte[] bytes = ascii(text);
        out.put((byte) bytes.length).put(bytes);
    }

    private static String getShort(ByteBuffer in, String field) throws MalformedClusterMessageException {
        if (!in.hasRemaining()) {
            throw new MalformedClusterMessageException("the " + field + " field is missing");
        }
        int length = in.get() & 0xff;
        if (in.remaining() < length) {
            throw new MalformedClusterMessageException(
                    "the " + field + " field says " + length + " bytes but only " + in.remaining() + " are left");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private static String room(ByteBuffer in) throws MalformedClusterMessageException {
        String room = getShort(in, "room");
        if (!RoomName.isValid(room)) {
            throw new MalformedClusterMessageException("room '" + room + "' breaks the room name rule");
        }
        return room;
    }

    private static PeerId peer(ByteBuffer in) throws MalformedClusterMessageException {
        String did = getShort(in, "peer");
        try {
            return PeerId.parse(did);
        } catch (IllegalArgumentException e) {
            throw new MalformedClusterMessageException("peer '" + did + "' is not a did:key: " + e.getMessage());
        }
    }
}
