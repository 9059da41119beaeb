package dev.ensemble.signaling.protocol;

import dev.ensemble.transport.PeerId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Data relayed through the signaling server between two peers of a room: one WebSocket binary frame.
 *
 * <p>Layout (all offsets in bytes, R = room length):
 *
 * <pre>
 * +---------+--------+-----------+--------------+--------------+-----------------+
 * | version | R      | room      | from         | to           | payload         |
 * | 0x01    | 1..128 | R bytes   | 32 bytes     | 32 bytes     | the rest        |
 * | 1 byte  | 1 byte | ASCII     | Ed25519 key  | Ed25519 key  | 0..n bytes      |
 * +---------+--------+-----------+--------------+--------------+-----------------+
 *  0         1        2           2+R            34+R           66+R
 * </pre>
 *
 * <p>{@code from} and {@code to} are the raw public keys of the sender and the addressee (the key
 * inside their {@code did:key}). The sender fills in its own key; the server checks it against the
 * connection's verified identity and forwards the frame unchanged. The payload is opaque to the
 * server and bounded only by the server's frame size limit.
 *
 * <p>Immutable except for the payload array, which callers must not change after construction.
 *
 * <pre>{@code
 * byte[] frame = new RelayFrame("lobby", me, them, payload).encode();
 * RelayFrame received = RelayFrame.decode(ByteBuffer.wrap(frame));
 * }</pre>
 *
 * @param room    the room both peers are in
 * @param from    the sender
 * @param to      the addressee
 * @param payload the relayed bytes
 */
public record RelayFrame(String room, PeerId from, PeerId to, byte[] payload) {

    /** The only layout version this code reads and writes. */
    public static final int VERSION = 1;
    /** Bytes before the payload when the room name is empty, i.e. everything but room and payload. */
    public static final int FIXED_HEADER_BYTES = 2 + 2 * PeerId.PUBLIC_KEY_BYTES;

    /** Checks the fields. */
    public RelayFrame {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(payload, "payload");
        if (!RoomName.isValid(room)) {
            throw new IllegalArgumentException("room must be 1.." + RoomName.MAX_LENGTH
                    + " characters of A-Z a-z 0-9 . _ ~ : @ / + = - but is " + SignalingCodec.quote(room));
        }
    }

    /** Number of bytes before the payload. */
    public int headerLength() {
        return FIXED_HEADER_BYTES + room.length();
    }

    /** Writes the frame in the layout above. */
    public byte[] encode() {
        byte[] roomBytes = room.getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[FIXED_HEADER_BYTES + roomBytes.length + payload.length];
        frame[0] = VERSION;
        frame[1] = (byte) roomBytes.length;
        System.arraycopy(roomBytes, 0, frame, 2, roomBytes.length);
        int offset = 2 + roomBytes.length;
        from.copyPublicKeyTo(frame, offset);
        to.copyPublicKeyTo(frame, offset + PeerId.PUBLIC_KEY_BYTES);
        System.arraycopy(payload, 0, frame, offset + 2 * PeerId.PUBLIC_KEY_BYTES, payload.length);
        return frame;
    }

    /**
     * Reads a frame from the remaining bytes of {@code buffer}, without moving its position.
     *
     * @throws MalformedMessageException naming the field that is wrong: version, room length, room
     *     characters, or a frame too short for its header
     */
    public static RelayFrame decode(ByteBuffer buffer) throws MalformedMessageException {
        ByteBuffer in = buffer.slice();
        int length = in.remaining();
        if (length < 2) {
            throw new MalformedMessageException(
                    "relay frame must be at least " + (FIXED_HEADER_BYTES + 1) + " bytes but has " + length);
        }
        int version = in.get(0) & 0xFF;
        if (version != VERSION) {
            throw new MalformedMessageException("relay frame version must be " + VERSION + " but is " + version);
        }
        int roomLength = in.get(1) & 0xFF;
        if (roomLength < 1 || roomLength > RoomName.MAX_LENGTH) {
            throw new MalformedMessageException(
                    "relay frame room length must be 1.." + RoomName.MAX_LENGTH + " but is " + roomLength);
        }
        int header = FIXED_HEADER_BYTES + roomLength;
        if (length < header) {
            throw new MalformedMessageException("relay frame with a " + roomLength + "-byte room must be at least "
                    + header + " bytes but has " + length);
        }
        byte[] roomBytes = new byte[roomLength];
        in.get(2, roomBytes);
        String room = new String(roomBytes, StandardCharsets.ISO_8859_1);
        RoomName.check(room);
        byte[] key = new byte[PeerId.PUBLIC_KEY_BYTES];
        in.get(2 + roomLength, key);
        PeerId from = PeerId.fromPublicKey(key);
        in.get(2 + roomLength + PeerId.PUBLIC_KEY_BYTES, key);
        PeerId to = PeerId.fromPublicKey(key);
        byte[] payload = new byte[length - header];
        in.get(header, payload);
        return new RelayFrame(room, from, to, payload);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RelayFrame that
                && room.equals(that.room)
                && from.equals(that.from)
                && to.equals(that.to)
                && Arrays.equals(payload, that.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(room, from, to, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        int shown = Math.min(payload.length, 16);
        return "RelayFrame[room=" + room + ", from=" + from + ", to=" + to + ", payload=" + payload.length + " bytes "
                + HexFormat.of().formatHex(payload, 0, shown) + (shown < payload.length ? "..." : "") + "]";
    }
}
