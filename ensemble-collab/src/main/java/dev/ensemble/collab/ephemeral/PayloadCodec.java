package dev.ensemble.collab.ephemeral;

import java.io.IOException;
import java.util.Objects;

/**
 * Turns a topic's messages into bytes and back. Implementations must be thread-safe and
 * stateless: one codec serves every peer. A decode failure (any exception) makes the receiver drop
 * the message with an {@link EphemeralEvents#ERROR} that names the sender.
 *
 * <pre>{@code
 * PayloadCodec<Note> json = PayloadCodec.json(Note.class);   // UTF-8 JSON, via Jackson
 * PayloadCodec<byte[]> raw = PayloadCodec.bytes();            // the bytes as they are
 * }</pre>
 *
 * @param <T> the message type
 */
public interface PayloadCodec<T> {
    /**
     * @param message a message, not null
     * @return its bytes
     * @throws IOException if it cannot be encoded
     */
    byte[] encode(T message) throws IOException;

    /**
     * @param bytes what a peer sent; hostile input is possible
     * @return the message
     * @throws IOException if the bytes are not a valid message
     */
    T decode(byte[] bytes) throws IOException;

    /**
     * A codec that writes UTF-8 JSON through Jackson; readable by any language (a browser peer
     * uses {@code JSON.parse}). Unknown properties are ignored, so that a newer peer may add
     * fields.
     *
     * @param type the message type, e.g. a record
     * @param <T> the message type
     * @return the codec
     */
    static <T> PayloadCodec<T> json(Class<T> type) {
        Objects.requireNonNull(type, "type");
        return new PayloadCodec<>() {
            @Override
            public byte[] encode(T message) throws IOException {
                return JsonCodecHolder.MAPPER.writeValueAsBytes(message);
            }

            @Override
            public T decode(byte[] bytes) throws IOException {
                T value = JsonCodecHolder.MAPPER.readValue(bytes, type);
                if (value == null) {
                    throw new IOException("a " + type.getSimpleName() + " message must not be JSON null");
                }
                return value;
            }

            @Override
            public String toString() {
                return "json(" + type.getSimpleName() + ")";
            }
        };
    }

    /**
     * A codec that carries bytes as they are.
     *
     * @return the codec
     */
    static PayloadCodec<byte[]> bytes() {
        return new PayloadCodec<>() {
            @Override
            public byte[] encode(byte[] message) {
                return message.clone();
            }

            @Override
            public byte[] decode(byte[] bytes) {
                return bytes.clone();
            }

            @Override
            public String toString() {
                return "bytes";
            }
        };
    }
}
