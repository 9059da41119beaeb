package dev.ensemble.signaling.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ensemble.transport.IceServer;
import dev.ensemble.transport.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Converts control messages to and from their JSON text frames.
 *
 * <p>Decoding is strict where it matters and lenient where it helps evolution: the input must be one
 * JSON object (no trailing data, no duplicate keys, nesting at most {@value #MAX_NESTING_DEPTH} deep) whose
 * {@code "type"} is known for the direction being decoded, and every required field must be present
 * with the right JSON type and a valid value. Fields this version does not know are ignored. Every
 * failure is a {@link MalformedMessageException} whose message names the type, the field, the rule and
 * the value seen, for example {@code join: field "room" is required}.
 *
 * <p>Stateless and thread-safe.
 *
 * <pre>{@code
 * String frame = SignalingCodec.encode(new ClientMessage.Leave("lobby"));   // {"type":"leave","room":"lobby"}
 * ClientMessage message = SignalingCodec.decodeClientMessage(frame);
 * }</pre>
 */
public final class SignalingCodec {

    /** Deepest JSON nesting accepted (a signal's {@code data} is an SDP or candidate object, not a tree). */
    public static final int MAX_NESTING_DEPTH = 32;

    private static final int MAX_QUOTED_LENGTH = 80;
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING_DEPTH)
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private SignalingCodec() {}

    /** Writes {@code message} as one compact JSON object. */
    public static String encode(SignalingMessage message) {
        ObjectNode node = JSON.createObjectNode().put("type", message.type());
        if (message instanceof ClientMessage.Hello m) {
            node.put("peerId", m.peerId().toString()).put("signature", m.signature());
        } else if (message instanceof ClientMessage.Join m) {
            node.put("room", m.room());
            if (m.token() != null) {
                node.put("token", m.token());
            }
        } else if (message instanceof ClientMessage.Leave m) {
            node.put("room", m.room());
        } else if (message instanceof ClientMessage.Signal m) {
            node.put("room", m.room()).put("to", m.to().toString());
            node.set("data", m.data());
        } else if (message instanceof ClientMessage.Revoke m) {
            node.put("room", m.room()).put("revocation", m.revocation());
        } else if (message instanceof ServerMessage.Challenge m) {
            node.put("nonce", m.nonce());
        } else if (message instanceof ServerMessage.Welcome m) {
            node.put("peerId", m.peerId().toString());
            ArrayNode servers = node.putArray("iceServers");
            for (IceServer server : m.iceServers()) {
                ObjectNode entry = servers.addObject();
                ArrayNode urls = entry.putArray("urls");
                server.urls().forEach(urls::add);
                if (server.username() != null) {
                    entry.put("username", server.username()).put("credential", server.credential());
                }
            }
            m.maxFrameBytes().ifPresent(limit -> node.put("maxFrameBytes", limit));
        } else if (message instanceof ServerMessage.Joined m) {
            node.put("room", m.room());
            ArrayNode peers = node.putArray("peers");
            m.peers().forEach(peer -> peers.add(peer.toString()));
        } else if (message instanceof ServerMessage.Left m) {
            node.put("room", m.room());
        } else if (message instanceof ServerMessage.PeerJoined m) {
            node.put("room", m.room()).put("peerId", m.peerId().toString());
        } else if (message instanceof ServerMessage.PeerLeft m) {
            node.put("room", m.room()).put("peerId", m.peerId().toString());
        } else if (message instanceof ServerMessage.RelayedSignal m) {
            node.put("room", m.room()).put("from", m.from().toString());
            node.set("data", m.data());
        } else if (message instanceof ServerMessage.Error m) {
            node.put("code", m.code()).put("message", m.message());
            m.room().ifPresent(room -> node.put("room", room));
            m.peerId().ifPresent(peer -> node.put("peerId", peer.toString()));
        } else {
            throw new IllegalArgumentException(
                    "no encoding for " + message.getClass().getName());
        }
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree built in memory could not be written", e);
        }
    }

    /**
     * Reads a frame a peer sent to the server: {@code hello}, {@code join}, {@code leave}, {@code signal} or
     * {@code revoke}.
     *
     * @throws MalformedMessageException naming what is wrong
     */
    public static ClientMessage decodeClientMessage(String text) throws MalformedMessageException {
        ObjectNode node = parseObject(text);
        String type = requiredText(node, "(message)", "type");
        try {
            return switch (type) {
                case ClientMessage.Hello.TYPE ->
                    new ClientMessage.Hello(
                            requiredPeerId(node, type, "peerId"), requiredText(node, type, "signature"));
                case ClientMessage.Join.TYPE ->
                    new ClientMessage.Join(requiredRoom(node, type), optionalText(node, type, "token"));
                case ClientMessage.Leave.TYPE -> new ClientMessage.Leave(requiredRoom(node, type));
                case ClientMessage.Signal.TYPE ->
                    new ClientMessage.Signal(
                            requiredRoom(node, type),
                            requiredPeerId(node, type, "to"),
                            requiredObject(node, type, "data"));
                case ClientMessage.Revoke.TYPE ->
                    new ClientMessage.Revoke(requiredRoom(node, type), requiredText(node, type, "revocation"));
                default ->
                    throw new MalformedMessageException("unknown message type " + quote(type)
                            + "; a client may send hello, join, leave, signal or revoke");
            };
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException(type + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a frame the server sent to a peer.
     *
     * @throws MalformedMessageException naming what is wrong
     */
    public static ServerMessage decodeServerMessage(String text) throws MalformedMessageException {
        ObjectNode node = parseObject(text);
        String type = requiredText(node, "(message)", "type");
        try {
            return switch (type) {
                case ServerMessage.Challenge.TYPE -> new ServerMessage.Challenge(requiredText(node, type, "nonce"));
                case ServerMessage.Welcome.TYPE ->
                    new ServerMessage.Welcome(
                            requiredPeerId(node, type, "peerId"),
                            iceServers(node, type),
                            optionalPositiveInt(node, type, "maxFrameBytes"));
                case ServerMessage.Joined.TYPE -> new ServerMessage.Joined(requiredRoom(node, type), peers(node, type));
                case ServerMessage.Left.TYPE -> new ServerMessage.Left(requiredRoom(node, type));
                case ServerMessage.PeerJoined.TYPE ->
                    new ServerMessage.PeerJoined(requiredRoom(node, type), requiredPeerId(node, type, "peerId"));
                case ServerMessage.PeerLeft.TYPE ->
                    new ServerMessage.PeerLeft(requiredRoom(node, type), requiredPeerId(node, type, "peerId"));
                case ServerMessage.RelayedSignal.TYPE ->
                    new ServerMessage.RelayedSignal(
                            requiredRoom(node, type),
                            requiredPeerId(node, type, "from"),
                            requiredObject(node, type, "data"));
                case ServerMessage.Error.TYPE ->
                    new ServerMessage.Error(
                            requiredText(node, type, "code"),
                            requiredText(node, type, "message"),
                            node.hasNonNull("room") ? Optional.of(requiredRoom(node, type)) : Optional.empty(),
                            node.hasNonNull("peerId")
                                    ? Optional.of(requiredPeerId(node, type, "peerId"))
                                    : Optional.empty());
                default ->
                    throw new MalformedMessageException(
                            "unknown message type " + quote(type)
                                    + "; a server sends challenge, welcome, joined, left, peer-joined, peer-left, signal or error");
            };
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException(type + ": " + e.getMessage(), e);
        }
    }

    private static ObjectNode parseObject(String text) throws MalformedMessageException {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new MalformedMessageException("frame is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new MalformedMessageException("frame must be a JSON object with a \"type\" field but is "
                    + (node == null ? "empty" : node.getNodeType().toString().toLowerCase(Locale.ROOT)));
        }
        return (ObjectNode) node;
    }

    private static JsonNode required(ObjectNode node, String type, String field) throws MalformedMessageException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new MalformedMessageException(type + ": field \"" + field + "\" is required");
        }
        return value;
    }

    private static String requiredText(ObjectNode node, String type, String field) throws MalformedMessageException {
        JsonNode value = required(node, type, field);
        if (!value.isTextual()) {
            throw new MalformedMessageException(
                    type + ": field \"" + field + "\" must be a string but is " + describe(value));
        }
        return value.textValue();
    }

    private static String optionalText(ObjectNode node, String type, String field) throws MalformedMessageException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new MalformedMessageException(
                    type + ": field \"" + field + "\" must be a string but is " + describe(value));
        }
        return value.textValue();
    }

    private static OptionalInt optionalPositiveInt(ObjectNode node, String type, String field)
            throws MalformedMessageException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return OptionalInt.empty();
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.intValue() < 1) {
            throw new MalformedMessageException(
                    type + ": field \"" + field + "\" must be a positive integer but is " + describe(value));
        }
        return OptionalInt.of(value.intValue());
    }

    private static String requiredRoom(ObjectNode node, String type) throws MalformedMessageException {
        String room = requiredText(node, type, "room");
        if (!RoomName.isValid(room)) {
            throw new MalformedMessageException(type + ": field \"room\" must be 1.." + RoomName.MAX_LENGTH
                    + " characters of A-Z a-z 0-9 . _ ~ : @ / + = - but is " + quote(room));
        }
        return room;
    }

    private static PeerId requiredPeerId(ObjectNode node, String type, String field) throws MalformedMessageException {
        return peerId(requiredText(node, type, field), type, field);
    }

    private static PeerId peerId(String text, String type, String field) throws MalformedMessageException {
        try {
            return PeerId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException(
                    type + ": field \"" + field + "\" is not a peer id: " + e.getMessage(), e);
        }
    }

    private static JsonNode requiredObject(ObjectNode node, String type, String field)
            throws MalformedMessageException {
        JsonNode value = required(node, type, field);
        if (!value.isObject()) {
            throw new MalformedMessageException(
                    type + ": field \"" + field + "\" must be a JSON object but is " + describe(value));
        }
        return value;
    }

    private static ArrayNode requiredArray(ObjectNode node, String type, String field)
            throws MalformedMessageException {
        JsonNode value = required(node, type, field);
        if (!value.isArray()) {
            throw new MalformedMessageException(
                    type + ": field \"" + field + "\" must be an array but is " + describe(value));
        }
        return (ArrayNode) value;
    }

    private static List<PeerId> peers(ObjectNode node, String type) throws MalformedMessageException {
        List<PeerId> peers = new ArrayList<>();
        for (JsonNode entry : requiredArray(node, type, "peers")) {
            if (!entry.isTextual()) {
                throw new MalformedMessageException(
                        type + ": \"peers\" must hold strings but holds " + describe(entry));
            }
            peers.add(peerId(entry.textValue(), type, "peers"));
        }
        return peers;
    }

    private static List<IceServer> iceServers(ObjectNode node, String type) throws MalformedMessageException {
        List<IceServer> servers = new ArrayList<>();
        for (JsonNode entry : requiredArray(node, type, "iceServers")) {
            if (!entry.isObject()) {
                throw new MalformedMessageException(
                        type + ": \"iceServers\" must hold objects but holds " + describe(entry));
            }
            ObjectNode server = (ObjectNode) entry;
            List<String> urls = new ArrayList<>();
            for (JsonNode url : requiredArray(server, type, "urls")) {
                if (!url.isTextual()) {
                    throw new MalformedMessageException(
                            type + ": \"urls\" must hold strings but holds " + describe(url));
                }
                urls.add(url.textValue());
            }
            servers.add(new IceServer(
                    urls, optionalText(server, type, "username"), optionalText(server, type, "credential")));
        }
        return servers;
    }

    private static String describe(JsonNode value) {
        return value.getNodeType().toString().toLowerCase(Locale.ROOT)
                + (value.isValueNode() ? " " + quote(value.asText()) : "");
    }

    /** Quotes a value for an error message, shortened so hostile input cannot flood logs. */
    static String quote(String value) {
        if (value == null) {
            return "null";
        }
        String shown = value.length() > MAX_QUOTED_LENGTH ? value.substring(0, MAX_QUOTED_LENGTH) + "..." : value;
        return "'" + shown + "'";
    }
}
