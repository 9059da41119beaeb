package dev.ensemble.collab.ephemeral;

import dev.ensemble.core.ActorEvent;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A named stream of small messages that never enter a document: notes, pedal changes, cursors,
 * pings. A topic has a name (what travels on the wire), a {@link PayloadCodec} and a limit on the
 * size of one encoded message. Both ends must register a topic of the same name and encoding on
 * their {@link EphemeralChannel}; immutable and thread-safe.
 *
 * <pre>{@code
 * record Note(int key, int velocity, boolean down) {}
 * static final Topic<Note> NOTES = Topic.json("notes", Note.class).withMaxPayloadBytes(256);
 *
 * channel.onEvent(NOTES.eventName(), event -> {
 *     EphemeralMessage<Note> note = NOTES.message(event);
 *     play(note.from(), note.message());
 * });
 * }</pre>
 *
 * @param name 1 to 255 bytes of UTF-8
 * @param codec turns messages into bytes and back
 * @param maxPayloadBytes the largest encoded message accepted, 1 to {@value #MAX_PAYLOAD_LIMIT}
 * @param <T> the message type
 */
public record Topic<T>(String name, PayloadCodec<T> codec, int maxPayloadBytes) {
    /** Default {@link #maxPayloadBytes}: 16 KiB, well under one 64 KiB transport message. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 16 * 1024;
    /** The highest {@link #maxPayloadBytes} allowed: ephemeral messages are meant to be small. */
    public static final int MAX_PAYLOAD_LIMIT = 1024 * 1024;

    /**
     * Validates a topic.
     *
     * @throws IllegalArgumentException if the name is empty or longer than 255 bytes of UTF-8, or
     *     the limit is out of range
     */
    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(codec, "codec");
        int nameBytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (name.isEmpty() || nameBytes > Frame.MAX_TOPIC_BYTES) {
            throw new IllegalArgumentException("a topic name must be 1.." + Frame.MAX_TOPIC_BYTES
                    + " bytes of UTF-8, was " + nameBytes + " (\"" + name + "\")");
        }
        if (maxPayloadBytes < 1 || maxPayloadBytes > MAX_PAYLOAD_LIMIT) {
            throw new IllegalArgumentException("maxPayloadBytes of topic \"" + name + "\" must be 1.."
                    + MAX_PAYLOAD_LIMIT + ", was " + maxPayloadBytes);
        }
    }

    /**
     * A topic whose messages travel as JSON ({@link PayloadCodec#json(Class)}), with the default
     * size limit.
     *
     * @param name the topic's name
     * @param type the message type, e.g. a record
     * @param <T> the message type
     * @return the topic
     */
    public static <T> Topic<T> json(String name, Class<T> type) {
        return new Topic<>(name, PayloadCodec.json(type), DEFAULT_MAX_PAYLOAD_BYTES);
    }

    /**
     * A topic whose messages are raw bytes, with the default size limit.
     *
     * @param name the topic's name
     * @return the topic
     */
    public static Topic<byte[]> bytes(String name) {
        return new Topic<>(name, PayloadCodec.bytes(), DEFAULT_MAX_PAYLOAD_BYTES);
    }

    /**
     * A topic with its own codec and the default size limit.
     *
     * @param name the topic's name
     * @param codec its codec
     * @param <T> the message type
     * @return the topic
     */
    public static <T> Topic<T> of(String name, PayloadCodec<T> codec) {
        return new Topic<>(name, codec, DEFAULT_MAX_PAYLOAD_BYTES);
    }

    /**
     * @param bytes the largest encoded message accepted, sent or received
     * @return a copy with that limit
     */
    public Topic<T> withMaxPayloadBytes(int bytes) {
        return new Topic<>(name, codec, bytes);
    }

    /** @return the name of the channel event that carries this topic's messages */
    public String eventName() {
        return EphemeralEvents.message(name);
    }

    /**
     * Reads a message event of this topic.
     *
     * @param event an event named {@link #eventName()}
     * @return its payload, typed
     * @throws IllegalArgumentException if the event is not a message of this topic
     */
    @SuppressWarnings("unchecked")
    public EphemeralMessage<T> message(ActorEvent event) {
        if (!(event.payload() instanceof EphemeralMessage<?> message)
                || !message.topic().equals(name)) {
            throw new IllegalArgumentException("event \"" + event.name() + "\" is not a message of topic \"" + name
                    + "\"; subscribe with eventName()");
        }
        return (EphemeralMessage<T>) message;
    }
}
