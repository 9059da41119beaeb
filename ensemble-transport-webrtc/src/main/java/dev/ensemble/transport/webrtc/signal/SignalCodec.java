package dev.ensemble.transport.webrtc.signal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;

/**
 * Turns {@link Signal}s into JSON and back, in the shapes a browser's WebRTC API produces
 * ({@code RTCSessionDescription.toJSON()} and {@code RTCIceCandidate.toJSON()}):
 *
 * <pre>
 * {"description":{"type":"answer","sdp":"v=0\r\no=- 4611 2 IN IP4 127.0.0.1\r\n..."},
 *  "session":"5be1a07c93d2e614"}
 * {"candidate":{"candidate":"candidate:842163049 1 udp 1677729535 10.99.0.2 41231 typ srflx",
 *               "sdpMid":"0","sdpMLineIndex":0},
 *  "session":"5be1a07c93d2e614","peerSession":"9f2c4e71a0b3d855"}
 * {"candidate":null}                                  (end of candidates, as a browser sends)
 * </pre>
 *
 * <p>Decoding is strict about what it uses and lenient about what it ignores: exactly one of
 * {@code description} and {@code candidate} must be present and well typed; other members (a
 * browser's {@code usernameFragment}, future additions) are ignored. A violation raises {@link
 * MalformedSignalException} naming the member and the value seen.
 *
 * <p>Thread-safe: stateless.
 */
public final class SignalCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Longest JSON text {@link #fromJson(String)} parses: a maximal SDP plus room for escapes. */
    public static final int MAX_JSON_LENGTH = 4 * Signal.MAX_SDP_LENGTH;

    private SignalCodec() {}

    /**
     * Encodes a signal as a JSON object.
     *
     * @param signal the signal
     * @return a new JSON object in the browser shape
     */
    public static ObjectNode toJson(Signal signal) {
        ObjectNode root = NODES.objectNode();
        if (signal instanceof Signal.Description description) {
            ObjectNode body = root.putObject("description");
            body.put("type", description.type().json());
            body.put("sdp", description.sdp());
            if (description.signature() != null) {
                root.put("signature", description.signature());
            }
        } else if (signal instanceof Signal.Candidate candidate) {
            ObjectNode body = root.putObject("candidate");
            body.put("candidate", candidate.candidate());
            if (candidate.sdpMid() == null) {
                body.putNull("sdpMid");
            } else {
                body.put("sdpMid", candidate.sdpMid());
            }
            if (candidate.sdpMLineIndex() == null) {
                body.putNull("sdpMLineIndex");
            } else {
                body.put("sdpMLineIndex", candidate.sdpMLineIndex());
            }
        }
        if (signal.session() != null) {
            root.put("session", signal.session());
        }
        if (signal.peerSession() != null) {
            root.put("peerSession", signal.peerSession());
        }
        return root;
    }

    /**
     * Encodes a signal as JSON text.
     *
     * @param signal the signal
     * @return compact JSON text
     */
    public static String toJsonString(Signal signal) {
        return toJson(signal).toString();
    }

    /**
     * Decodes JSON text.
     *
     * @param json the text
     * @return the signal
     * @throws MalformedSignalException if the text is too long, not JSON, or not a valid signal
     */
    public static Signal fromJson(String json) throws MalformedSignalException {
        if (json == null) {
            throw new MalformedSignalException("signal data must be a JSON object, was null", null);
        }
        if (json.length() > MAX_JSON_LENGTH) {
            throw new MalformedSignalException(
                    "signal data must be at most " + MAX_JSON_LENGTH + " characters, was " + json.length(), null);
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new MalformedSignalException("signal data is not JSON: " + e.getOriginalMessage(), e);
        }
        return fromJson(node);
    }

    /**
     * Decodes a JSON tree, e.g. the {@code data} member of a signaling server message.
     *
     * @param node the tree
     * @return the signal
     * @throws MalformedSignalException if the tree is not a valid signal
     */
    public static Signal fromJson(JsonNode node) throws MalformedSignalException {
        if (node == null || !node.isObject()) {
            throw new MalformedSignalException(
                    "signal data must be a JSON object with \"description\"" + " or \"candidate\", was " + kind(node),
                    null);
        }
        boolean hasDescription = node.has("description");
        boolean hasCandidate = node.has("candidate");
        if (hasDescription == hasCandidate) {
            throw new MalformedSignalException(
                    "signal data must have exactly one of \"description\""
                            + " and \"candidate\", had " + (hasDescription ? "both" : "neither") + " (members: "
                            + memberNames(node) + ")",
                    null);
        }
        String session = optionalText(node, "session", "session");
        String peerSession = optionalText(node, "peerSession", "peerSession");
        try {
            if (hasDescription) {
                return description(
                        node.get("description"), session, peerSession, optionalText(node, "signature", "signature"));
            }
            return candidate(node.get("candidate"), session, peerSession);
        } catch (IllegalArgumentException e) {
            throw new MalformedSignalException("invalid signal: " + e.getMessage(), e);
        }
    }

    private static Signal description(JsonNode body, String session, String peerSession, String signature)
            throws MalformedSignalException {
        if (!body.isObject()) {
            throw new MalformedSignalException(
                    "\"description\" must be an object with \"type\" and" + " \"sdp\", was " + kind(body), null);
        }
        String type = requiredText(body, "type", "description.type");
        String sdp = requiredText(body, "sdp", "description.sdp");
        Signal.Type parsed = switch (type) {
            case "offer" -> Signal.Type.OFFER;
            case "answer" -> Signal.Type.ANSWER;
            default ->
                throw new MalformedSignalException(
                        "description.type must be \"offer\" or"
                                + " \"answer\" (perfect negotiation uses no others), was \"" + clip(type) + "\"",
                        null);
        };
        return new Signal.Description(parsed, sdp, session, peerSession, signature);
    }

    private static Signal candidate(JsonNode body, String session, String peerSession) throws MalformedSignalException {
        if (body.isNull()) {
            return new Signal.Candidate("", null, null, session, peerSession);
        }
        if (!body.isObject()) {
            throw new MalformedSignalException(
                    "\"candidate\" must be an object with \"candidate\","
                            + " \"sdpMid\" and \"sdpMLineIndex\", or null, was " + kind(body),
                    null);
        }
        String line = optionalText(body, "candidate", "candidate.candidate");
        String mid = optionalText(body, "sdpMid", "candidate.sdpMid");
        Integer index = null;
        JsonNode indexNode = body.get("sdpMLineIndex");
        if (indexNode != null && !indexNode.isNull()) {
            if (!indexNode.isIntegralNumber() || !indexNode.canConvertToInt()) {
                throw new MalformedSignalException(
                        "candidate.sdpMLineIndex must be an integer or null," + " was " + kind(indexNode) + " "
                                + clip(indexNode.toString()),
                        null);
            }
            index = indexNode.intValue();
        }
        if (line != null && !line.isEmpty() && mid == null && index == null) {
            throw new MalformedSignalException(
                    "a candidate needs \"sdpMid\" or \"sdpMLineIndex\" to"
                            + " name its media section, both were missing",
                    null);
        }
        return new Signal.Candidate(line == null ? "" : line, mid, index, session, peerSession);
    }

    private static String requiredText(JsonNode body, String member, String path) throws MalformedSignalException {
        String value = optionalText(body, member, path);
        if (value == null) {
            throw new MalformedSignalException(path + " is required (a string), was missing", null);
        }
        return value;
    }

    private static String optionalText(JsonNode body, String member, String path) throws MalformedSignalException {
        JsonNode value = body.get(member);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new MalformedSignalException(
                    path + " must be a string, was " + kind(value) + " " + clip(value.toString()), null);
        }
        return value.textValue();
    }

    private static String kind(JsonNode node) {
        return node == null ? "missing" : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String memberNames(JsonNode node) {
        StringBuilder names = new StringBuilder();
        Iterator<String> it = node.fieldNames();
        for (int i = 0; it.hasNext() && i < 8; i++) {
            names.append(i == 0 ? "" : ", ").append(clip(it.next()));
        }
        return names.length() == 0 ? "none" : names.toString();
    }

    private static String clip(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
