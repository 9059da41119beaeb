package dev.ensemble.shell;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The scripted answers of a piano-like process, as docs/SHELL.md specifies them:
 *
 * <pre>
 * /
 * └── piano/          supervisor
 *     ├── audio       actor: state {"muted":false,"volume":7}; actions mute (tell), volume (ask)
 *     └── room/       supervisor
 *         ├── notes   actor
 *         └── presence actor
 * </pre>
 *
 * {@code trace} sends {@code max} (default 2) messages and ends with {@code max}; {@code watch}
 * sends the current state and runs until cancelled; {@code cat /piano/vanishing} drops the
 * connection, as a process that exits mid-command would, and {@code trace /piano/room/notes} drops
 * it after one message.
 */
final class ScriptedPiano implements ScriptedInspectionServer.Script {
    static final String HELLO =
            "{\"type\":\"hello\",\"protocol\":1,\"system\":\"piano\",\"pid\":4242,\"access\":\"write\"}";

    static final String TIME = "2026-12-06T12:00:01.250Z";

    /** Children of each directory: name and kind. */
    private static final Map<String, List<String[]>> CHILDREN = Map.of(
            "/", List.<String[]>of(new String[] {"piano", "supervisor"}),
            "/piano", List.of(new String[] {"audio", "actor"}, new String[] {"room", "supervisor"}),
            "/piano/room", List.of(new String[] {"notes", "actor"}, new String[] {"presence", "actor"}),
            "/piano/audio", List.of(),
            "/piano/room/notes", List.of(),
            "/piano/room/presence", List.of());

    @Override
    public void answer(JsonNode request, ScriptedInspectionServer.Connection connection) throws IOException {
        String op = request.path("op").asText();
        String path = request.path("path").asText("/");
        if (op.equals("cat") && path.equals("/piano/vanishing")) {
            connection.close();
            return;
        }
        if (List.of("ls", "tree", "cat", "actions", "send", "trace", "watch").contains(op)
                && !CHILDREN.containsKey(path)) {
            connection.error(request, "no-such-path", "no actor or namespace at " + path);
            return;
        }
        ObjectNode result = ScriptedInspectionServer.JSON.createObjectNode();
        switch (op) {
            case "ls" -> {
                result.put("path", path);
                ArrayNode entries = result.putArray("entries");
                for (String[] child : CHILDREN.get(path)) {
                    entries.add(entry(path, child, request.path("long").asBoolean()));
                }
            }
            case "tree" -> {
                result.put("path", path);
                result.set("root", node(path));
            }
            case "cat" -> {
                if (!path.equals("/piano/audio")) {
                    connection.error(request, "not-an-actor", path + " is not an actor with a state");
                    return;
                }
                result.put("path", path).put("type", "AudioActor");
                result.putObject("state").put("muted", false).put("volume", 7);
            }
            case "actions" -> {
                result.put("path", path);
                ArrayNode actions = result.putArray("actions");
                ObjectNode mute = actions.addObject().put("name", "mute").put("kind", "tell");
                mute.putArray("params").addObject().put("name", "muted").put("type", "boolean");
                mute.put("returns", "void");
                ObjectNode volume = actions.addObject().put("name", "volume").put("kind", "ask");
                volume.putArray("params");
                volume.put("returns", "Integer");
            }
            case "send" -> {
                String action = request.path("action").asText();
                if (!action.equals("mute") && !action.equals("volume")) {
                    connection.error(request, "no-such-action", path + " has no action " + action);
                    return;
                }
                result.put("path", path).put("action", action);
                if (action.equals("volume")) {
                    result.put("kind", "ask").put("reply", 7);
                } else {
                    result.put("kind", "tell").putNull("reply");
                }
            }
            case "trace" -> {
                if (path.equals("/piano/room/notes")) {
                    // the process exits mid-trace
                    connection.event(request.path("id").asLong(), trace(0));
                    connection.close();
                    return;
                }
                int max = request.path("max").asInt(2);
                for (int i = 0; i < max; i++) {
                    connection.event(request.path("id").asLong(), trace(i));
                }
                result.put("ended", "max").put("count", max).put("dropped", 0);
            }
            case "watch" -> {
                ObjectNode event =
                        ScriptedInspectionServer.JSON.createObjectNode().put("time", TIME);
                event.putObject("state").put("muted", false).put("volume", 7);
                connection.event(request.path("id").asLong(), event);
                return; // runs until cancelled
            }
            case "cancel" -> {
                ObjectNode ended = ScriptedInspectionServer.JSON
                        .createObjectNode()
                        .put("ended", "cancelled")
                        .put("count", 1)
                        .put("dropped", 0);
                connection.reply(
                        ScriptedInspectionServer.JSON
                                .createObjectNode()
                                .put("id", request.path("target").asLong()),
                        ended);
            }
            case "history" -> {
                result.put("recording", !request.path("switch").asText().equals("off"))
                        .put("capacity", 1000);
                ArrayNode messages = result.putArray("messages");
                if (!request.has("switch")) {
                    messages.add(trace(0));
                }
            }
            case "top" -> {
                result.put("time", TIME);
                result.putArray("actors").add(entry("/piano", new String[] {"audio", "actor"}, true));
            }
            default -> {
                connection.error(request, "bad-request", "unknown op \"" + op + "\"");
                return;
            }
        }
        connection.reply(request, result);
    }

    static ObjectNode entry(String directory, String[] child, boolean longForm) {
        String childPath = (directory.equals("/") ? "" : directory) + "/" + child[0];
        ObjectNode entry = ScriptedInspectionServer.JSON
                .createObjectNode()
                .put("name", child[0])
                .put("path", childPath)
                .put("kind", child[1]);
        if (longForm) {
            entry.put("type", child[1].equals("actor") ? "AudioActor" : null)
                    .put("status", "running")
                    .put("mailbox", 3)
                    .put("rate1s", 12.5)
                    .put("rate10s", 10)
                    .put("restarts", 0)
                    .put("uptimeMs", 192_000)
                    .put("summary", "muted=false volume=7");
        }
        return entry;
    }

    private static ObjectNode node(String path) {
        ObjectNode node = ScriptedInspectionServer.JSON
                .createObjectNode()
                .put("name", ShellPath.name(path))
                .put("path", path)
                .put("kind", path.equals("/") ? "namespace" : "supervisor");
        ArrayNode children = node.putArray("children");
        for (String[] child : CHILDREN.get(path)) {
            String childPath = (path.equals("/") ? "" : path) + "/" + child[0];
            ObjectNode childNode = node(childPath);
            childNode.put("kind", child[1]);
            children.add(childNode);
        }
        return node;
    }

    static ObjectNode trace(int i) {
        return ScriptedInspectionServer.JSON
                .createObjectNode()
                .put("time", TIME)
                .put("sender", "/piano/room/notes")
                .put("receiver", "/piano/audio")
                .put("kind", "tell")
                .put("action", "play")
                .put("args", "[" + (60 + i) + ", 100]")
                .put("queueUs", 12)
                .put("durationUs", 34)
                .put("outcome", "succeeded");
    }
}
