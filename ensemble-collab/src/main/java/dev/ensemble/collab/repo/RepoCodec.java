package dev.ensemble.collab.repo;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes automerge-repo messages: one CBOR map per frame, with Jackson's CBOR module.
 *
 * <h2>Reading</h2>
 * Accepts what the JavaScript encoder (cbor-x) writes and any other well-formed CBOR of the same
 * shape: maps with 16-bit headers ({@code b9 00 04}) or shortest ones or of indefinite length, keys
 * in any order, {@code undefined} ({@code f7}) or {@code null} for an absent optional field, counts
 * and timestamps as integers or as integral floats (cbor-x writes 2<sup>32</sup> and above as
 * float64), extra fields (skipped without being decoded). Everything else is a
 * {@link RepoProtocolException} naming the problem: a frame that is empty, over the limit, not CBOR,
 * not a map (the JavaScript server crashes on those), with trailing bytes, a duplicate key, a
 * missing or wrongly typed field, an invalid document id, empty {@code data}. A well-formed
 * message of an unknown type is an {@link UnknownMessageTypeException}, which a peer should log
 * and drop as the JavaScript side does.
 *
 * <h2>Limits</h2>
 * The frame's length is checked against {@link #maxFrameBytes()} before it is parsed; lists
 * ({@code supportedProtocolVersions}, {@code add}, {@code remove}, heads) may have at most
 * {@value #MAX_LIST_ENTRIES} entries and {@code newHeads} as many storage ids, counted before each
 * entry is added; text fields other than {@code data} at most {@value #MAX_TEXT_CHARS} characters.
 * Nothing is allocated beyond a small multiple of the frame itself.
 *
 * <h2>Writing</h2>
 * Shortest CBOR headers, definite lengths, fields in the order the JavaScript code writes them;
 * optional fields that are null are left out (the JavaScript side reads a missing key as it reads
 * {@code undefined}); numbers of 2<sup>32</sup> and more as float64, as cbor-x writes them.
 *
 * <h2>Threading</h2>
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * RepoCodec codec = RepoCodec.standard();
 * byte[] frame = codec.encode(new RepoMessage.Join(peerId, PeerMetadata.EPHEMERAL, List.of("1")));
 * RepoMessage message = codec.decode(frame);
 * }</pre>
 */
public final class RepoCodec {
    /** Default frame limit: a whole document may travel in one sync message, and nothing chunks it. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;
    /** The most entries in any list or in {@code newHeads}. */
    public static final int MAX_LIST_ENTRIES = 1024;
    /** The longest text field other than {@code data}. */
    public static final int MAX_TEXT_CHARS = 4096;

    private static final long TWO_TO_32 = 1L << 32;
    private static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

    private final int maxFrameBytes;
    private final CBORFactory factory;

    private RepoCodec(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
        this.factory = CBORFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(64)
                        .maxStringLength(maxFrameBytes)
                        .build())
                .build();
    }

    /** @return a codec with {@link #DEFAULT_MAX_FRAME_BYTES} */
    public static RepoCodec standard() {
        return new RepoCodec(DEFAULT_MAX_FRAME_BYTES);
    }

    /**
     * @param maxFrameBytes the longest frame read or written, at least 16
     * @return the codec
     */
    public static RepoCodec withMaxFrameBytes(int maxFrameBytes) {
        if (maxFrameBytes < 16) {
            throw new IllegalArgumentException("maxFrameBytes must be >= 16, but was " + maxFrameBytes);
        }
        return new RepoCodec(maxFrameBytes);
    }

    /** @return the longest frame read or written */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    // ------------------------------------------------------------------ writing

    /**
     * @param message the message
     * @return one frame
     * @throws RepoProtocolException if the frame would exceed {@link #maxFrameBytes()}
     */
    public byte[] encode(RepoMessage message) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("type", message.type());
        if (message instanceof RepoMessage.Join m) {
            fields.put("senderId", m.senderId());
            fields.put("peerMetadata", m.peerMetadata());
            fields.put("supportedProtocolVersions", m.supportedProtocolVersions());
        } else if (message instanceof RepoMessage.Peer m) {
            fields.put("senderId", m.senderId());
            fields.put("peerMetadata", m.peerMetadata());
            fields.put("selectedProtocolVersion", m.selectedProtocolVersion());
            fields.put("targetId", m.targetId());
        } else if (message instanceof RepoMessage.ErrorMessage m) {
            fields.put("senderId", m.senderId());
            fields.put("message", m.message());
            fields.put("targetId", m.targetId());
        } else if (message instanceof RepoMessage.Request m) {
            fields.put("targetId", m.targetId());
            fields.put("documentId", m.documentId().toString());
            fields.put("data", m.data());
            fields.put("senderId", m.senderId());
        } else if (message instanceof RepoMessage.Sync m) {
            fields.put("targetId", m.targetId());
            fields.put("data", m.data());
            fields.put("documentId", m.documentId().toString());
            fields.put("senderId", m.senderId());
        } else if (message instanceof RepoMessage.DocUnavailable m) {
            fields.put("documentId", m.documentId().toString());
            fields.put("targetId", m.targetId());
            fields.put("senderId", m.senderId());
        } else if (message instanceof RepoMessage.Ephemeral m) {
            fields.put("targetId", m.targetId());
            fields.put("documentId", m.documentId().toString());
            fields.put("data", m.data());
            fields.put("count", m.count());
            fields.put("sessionId", m.sessionId());
            fields.put("senderId", m.senderId());
        } else if (message instanceof RepoMessage.RemoteSubscriptionChange m) {
            fields.put("targetId", m.targetId());
            fields.put("add", m.add());
            fields.put("remove", m.remove());
            fields.put("senderId", m.senderId());
        } else if (message instanceof RepoMessage.RemoteHeadsChanged m) {
            fields.put("targetId", m.targetId());
            fields.put("documentId", m.documentId().toString());
            fields.put("newHeads", m.newHeads());
            fields.put("senderId", m.senderId());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (CBORGenerator generator = factory.createGenerator(out)) {
            writeMap(generator, fields);
        } catch (IOException e) {
            throw new RepoProtocolException("could not encode " + message.type() + ": " + e.getMessage(), e);
        }
        if (out.size() > maxFrameBytes) {
            throw new RepoProtocolException("a " + message.type() + " message of " + out.size()
                    + " bytes exceeds the frame limit of " + maxFrameBytes + " bytes");
        }
        return out.toByteArray();
    }

    private static void writeMap(CBORGenerator generator, Map<String, ?> fields) throws IOException {
        int size = 0;
        for (Object value : fields.values()) {
            if (value != null) {
                size++;
            }
        }
        generator.writeStartObject(fields, size);
        for (Map.Entry<String, ?> field : fields.entrySet()) {
            if (field.getValue() != null) {
                generator.writeFieldName(field.getKey());
                writeValue(generator, field.getValue());
            }
        }
        generator.writeEndObject();
    }

    private static void writeValue(CBORGenerator generator, Object value) throws IOException {
        if (value instanceof String text) {
            generator.writeString(text);
        } else if (value instanceof byte[] bytes) {
            generator.writeBinary(bytes);
        } else if (value instanceof Boolean bool) {
            generator.writeBoolean(bool);
        } else if (value instanceof Long number) {
            if (number >= 0 && number < TWO_TO_32) {
                generator.writeNumber(number);
            } else {
                generator.writeNumber((double) number);
            }
        } else if (value instanceof PeerMetadata metadata) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("storageId", metadata.storageId());
            fields.put("isEphemeral", metadata.isEphemeral());
            writeMap(generator, fields);
        } else if (value instanceof RepoMessage.RemoteHeads heads) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("heads", heads.heads());
            fields.put("timestamp", heads.timestamp());
            writeMap(generator, fields);
        } else if (value instanceof List<?> list) {
            generator.writeStartArray(list, list.size());
            for (Object item : list) {
                writeValue(generator, item);
            }
            generator.writeEndArray();
        } else if (value instanceof Map<?, ?> map) {
            Map<String, Object> fields = new LinkedHashMap<>();
            map.forEach((key, item) -> fields.put((String) key, item));
            writeMap(generator, fields);
        } else {
            throw new IllegalStateException(
                    "no CBOR form for " + value.getClass().getName());
        }
    }

    // ------------------------------------------------------------------ reading

    /**
     * @param frame one binary WebSocket frame
     * @return the message
     * @throws UnknownMessageTypeException for a well-formed message of a type not known here
     * @throws RepoProtocolException for anything else that is not a valid message, naming why
     */
    public RepoMessage decode(byte[] frame) {
        if (frame.length == 0) {
            throw new RepoProtocolException("empty frame: a message is one CBOR map");
        }
        if (frame.length > maxFrameBytes) {
            throw new RepoProtocolException(
                    "frame of " + frame.length + " bytes exceeds the limit of " + maxFrameBytes + " bytes");
        }
        Fields fields;
        try (CBORParser parser = factory.createParser(frame)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new RepoProtocolException("a frame must be one CBOR map, but it holds " + describe(first)
                        + " (first byte 0x" + String.format("%02x", frame[0] & 0xff) + ")");
            }
            fields = readMessageFields(parser);
            JsonToken after = parser.nextToken();
            if (after != null) {
                throw new RepoProtocolException(
                        "a frame must hold one CBOR map, but more follows it (" + describe(after) + " at byte "
                                + parser.currentLocation().getByteOffset() + ")");
            }
        } catch (StreamConstraintsException e) {
            throw new RepoProtocolException("frame exceeds a decoding limit: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new RepoProtocolException("frame is not well-formed CBOR: " + originalMessage(e), e);
        }
        return fields.toMessage();
    }

    private static String originalMessage(IOException e) {
        return e instanceof com.fasterxml.jackson.core.JacksonException j ? j.getOriginalMessage() : e.getMessage();
    }

    private Fields readMessageFields(CBORParser parser) throws IOException {
        Fields fields = new Fields();
        Set<String> seen = new HashSet<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_OBJECT) {
            String name = parser.currentName();
            if (!seen.add(name)) {
                throw new RepoProtocolException("field \"" + name + "\" appears twice in the message");
            }
            parser.nextToken();
            switch (name) {
                case "type" -> fields.type = text(parser, name);
                case "senderId" -> fields.senderId = text(parser, name);
                case "targetId" -> fields.targetId = text(parser, name);
                case "documentId" -> fields.documentId = text(parser, name);
                case "selectedProtocolVersion" -> fields.selectedProtocolVersion = text(parser, name);
                case "message" -> fields.message = text(parser, name);
                case "sessionId" -> fields.sessionId = text(parser, name);
                case "data" -> fields.data = bytes(parser, name);
                case "count" -> fields.count = number(parser, name);
                case "peerMetadata" -> fields.peerMetadata = metadata(parser);
                case "supportedProtocolVersions" -> fields.versions = textList(parser, name);
                case "add" -> fields.add = textList(parser, name);
                case "remove" -> fields.remove = textList(parser, name);
                case "newHeads" -> fields.newHeads = newHeads(parser);
                default -> parser.skipChildren();
            }
        }
        return fields;
    }

    private static boolean absent(CBORParser parser) {
        // cbor-x writes JavaScript undefined as f7, which Jackson reads as null.
        return parser.currentToken() == JsonToken.VALUE_NULL;
    }

    private static String text(CBORParser parser, String name) throws IOException {
        if (absent(parser)) {
            return null;
        }
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
            throw wrongType(name, "text", parser);
        }
        String text = parser.getText();
        if (text.length() > MAX_TEXT_CHARS) {
            throw new RepoProtocolException("field \"" + name + "\" has " + text.length()
                    + " characters, more than the limit of " + MAX_TEXT_CHARS);
        }
        return text;
    }

    private static byte[] bytes(CBORParser parser, String name) throws IOException {
        if (absent(parser)) {
            return null;
        }
        if (parser.currentToken() != JsonToken.VALUE_EMBEDDED_OBJECT) {
            throw wrongType(name, "a byte string", parser);
        }
        return parser.getBinaryValue();
    }

    private static Long number(CBORParser parser, String name) throws IOException {
        if (absent(parser)) {
            return null;
        }
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NUMBER_INT) {
            if (parser.getNumberType() == com.fasterxml.jackson.core.JsonParser.NumberType.BIG_INTEGER
                    || parser.getLongValue() < 0
                    || parser.getLongValue() > MAX_SAFE_INTEGER) {
                throw new RepoProtocolException(
                        "field \"" + name + "\" must be an integer from 0 to 2^53-1, but is " + parser.getText());
            }
            return parser.getLongValue();
        }
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            double value = parser.getDoubleValue();
            if (!(value >= 0 && value <= MAX_SAFE_INTEGER && value == Math.rint(value))) {
                throw new RepoProtocolException(
                        "field \"" + name + "\" must be an integer from 0 to 2^53-1, but is " + value);
            }
            return (long) value;
        }
        throw wrongType(name, "a number", parser);
    }

    private static List<String> textList(CBORParser parser, String name) throws IOException {
        if (absent(parser)) {
            return null;
        }
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw wrongType(name, "an array of text", parser);
        }
        List<String> list = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (list.size() == MAX_LIST_ENTRIES) {
                throw new RepoProtocolException(
                        "field \"" + name + "\" has more than " + MAX_LIST_ENTRIES + " entries");
            }
            String item = text(parser, name + "[" + list.size() + "]");
            if (item == null) {
                throw wrongType(name + "[" + list.size() + "]", "text", parser);
            }
            list.add(item);
        }
        return list;
    }

    private static PeerMetadata metadata(CBORParser parser) throws IOException {
        if (absent(parser)) {
            return null;
        }
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw wrongType("peerMetadata", "a map", parser);
        }
        String storageId = null;
        Boolean ephemeral = null;
        while (parser.nextToken() != JsonToken.END_OBJECT) {
            String name = parser.currentName();
            parser.nextToken();
            switch (name) {
                case "storageId" -> storageId = text(parser, "peerMetadata.storageId");
                case "isEphemeral" -> {
                    JsonToken token = parser.currentToken();
                    if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
                        ephemeral = token == JsonToken.VALUE_TRUE;
                    } else if (!absent(parser)) {
                        throw wrongType("peerMetadata.isEphemeral", "true or false", parser);
                    }
                }
                default -> parser.skipChildren();
            }
        }
        return new PeerMetadata(storageId, ephemeral);
    }

    private static Map<String, RepoMessage.RemoteHeads> newHeads(CBORParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw wrongType("newHeads", "a map", parser);
        }
        Map<String, RepoMessage.RemoteHeads> heads = new LinkedHashMap<>();
        while (parser.nextToken() != JsonToken.END_OBJECT) {
            if (heads.size() == MAX_LIST_ENTRIES) {
                throw new RepoProtocolException("field \"newHeads\" has more than " + MAX_LIST_ENTRIES + " entries");
            }
            String storageId = parser.currentName();
            String path = "newHeads." + storageId;
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw wrongType(path, "a map", parser);
            }
            List<String> list = null;
            Long timestamp = null;
            while (parser.nextToken() != JsonToken.END_OBJECT) {
                String name = parser.currentName();
                parser.nextToken();
                switch (name) {
                    case "heads" -> list = textList(parser, path + ".heads");
                    case "timestamp" -> timestamp = number(parser, path + ".timestamp");
                    default -> parser.skipChildren();
                }
            }
            if (list == null || timestamp == null) {
                throw new RepoProtocolException("field \"" + path + "\" needs both \"heads\" and \"timestamp\"");
            }
            heads.put(storageId, new RepoMessage.RemoteHeads(list, timestamp));
        }
        return heads;
    }

    private static RepoProtocolException wrongType(String name, String expected, CBORParser parser) {
        return new RepoProtocolException(
                "field \"" + name + "\" must be " + expected + ", but is " + describe(parser.currentToken()));
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_OBJECT -> "a map";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "text";
            case VALUE_EMBEDDED_OBJECT -> "a byte string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a float";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null or undefined";
            default -> token.toString();
        };
    }

    /** The fields of one message as read, in any order, before its type picks a record. */
    private static final class Fields {
        String type;
        String senderId;
        String targetId;
        String documentId;
        String selectedProtocolVersion;
        String message;
        String sessionId;
        byte[] data;
        Long count;
        PeerMetadata peerMetadata;
        List<String> versions;
        List<String> add;
        List<String> remove;
        Map<String, RepoMessage.RemoteHeads> newHeads;

        RepoMessage toMessage() {
            if (type == null) {
                throw new RepoProtocolException("the message has no text field \"type\"");
            }
            return switch (type) {
                case "join" ->
                    new RepoMessage.Join(
                            required(senderId, "senderId"),
                            peerMetadata == null ? PeerMetadata.EMPTY : peerMetadata,
                            versions);
                case "peer" ->
                    new RepoMessage.Peer(
                            required(senderId, "senderId"),
                            required(targetId, "targetId"),
                            peerMetadata == null ? PeerMetadata.EMPTY : peerMetadata,
                            required(selectedProtocolVersion, "selectedProtocolVersion"));
                case "error" ->
                    new RepoMessage.ErrorMessage(
                            required(senderId, "senderId"),
                            required(targetId, "targetId"),
                            required(message, "message"));
                case "request" ->
                    new RepoMessage.Request(
                            required(senderId, "senderId"), required(targetId, "targetId"), documentId(), data());
                case "sync" ->
                    new RepoMessage.Sync(
                            required(senderId, "senderId"), required(targetId, "targetId"), documentId(), data());
                case "doc-unavailable" ->
                    new RepoMessage.DocUnavailable(
                            required(senderId, "senderId"), required(targetId, "targetId"), documentId());
                case "ephemeral" ->
                    new RepoMessage.Ephemeral(
                            required(senderId, "senderId"),
                            required(targetId, "targetId"),
                            documentId(),
                            required(count, "count"),
                            required(sessionId, "sessionId"),
                            data());
                case "remote-subscription-change" ->
                    new RepoMessage.RemoteSubscriptionChange(
                            required(senderId, "senderId"), required(targetId, "targetId"), add, remove);
                case "remote-heads-changed" ->
                    new RepoMessage.RemoteHeadsChanged(
                            required(senderId, "senderId"),
                            required(targetId, "targetId"),
                            documentId(),
                            required(newHeads, "newHeads"));
                default -> throw new UnknownMessageTypeException(type);
            };
        }

        private <T> T required(T value, String name) {
            if (value == null) {
                throw new RepoProtocolException(
                        "a " + type + " message needs the field \"" + name + "\", but it is missing");
            }
            return value;
        }

        private DocumentId documentId() {
            String text = required(documentId, "documentId");
            try {
                return DocumentId.parse(text);
            } catch (IllegalArgumentException e) {
                throw new RepoProtocolException(
                        "a " + type + " message has an invalid documentId: " + e.getMessage(), e);
            }
        }

        private byte[] data() {
            byte[] bytes = required(data, "data");
            if (bytes.length == 0) {
                throw new RepoProtocolException("a " + type + " message must carry data, but \"data\" is empty");
            }
            return bytes;
        }
    }
}
