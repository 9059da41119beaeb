package dev.ensemble.piano.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ensemble.piano.session.PeerSummary;
import dev.ensemble.piano.session.SessionSummary;

/**
 * Formats the {@code SUMMARY <json>} line a headless run prints at exit:
 *
 * <pre>
 * SUMMARY {"self":{"peerId":"bot-1","name":"Bot 1","notesSent":30,"notesHeard":90},
 *          "peers":[{"peerId":"bot-2","name":"Bot 2","transport":"LOCAL","notesReceived":30,
 *                    "latencyP50Ms":15.1,"latencyP99Ms":16.0}, ...]}
 * </pre>
 * (on one line). Latencies are -1 when never measured.
 *
 * <p>Thread-safe: stateless.
 */
public final class SummaryLine {
    /** The line's first word. */
    public static final String PREFIX = "SUMMARY ";

    private static final ObjectMapper JSON = new ObjectMapper();

    private SummaryLine() {}

    /**
     * @param summary a player's session summary
     * @return the line, without a line break
     */
    public static String format(SessionSummary summary) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode self = root.putObject("self");
        self.put("peerId", summary.peerId());
        self.put("name", summary.name());
        self.put("notesSent", summary.notesSent());
        self.put("notesHeard", summary.notesHeard());
        ArrayNode peers = root.putArray("peers");
        for (PeerSummary peer : summary.peers()) {
            ObjectNode node = peers.addObject();
            node.put("peerId", peer.peerId());
            node.put("name", peer.name());
            node.put("transport", peer.transport());
            node.put("notesReceived", peer.notesReceived());
            node.put("latencyP50Ms", peer.latencyP50Ms());
            node.put("latencyP99Ms", peer.latencyP99Ms());
        }
        try {
            return PREFIX + JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a summary as JSON: " + e.getMessage(), e);
        }
    }
}
