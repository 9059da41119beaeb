package dev.ensemble.shell;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders the protocol's results and events (docs/SHELL.md, "Operations") as text for people:
 * aligned columns for {@code ls -l} and {@code top}, a box-drawn tree, pretty JSON for states, one
 * line per traced message. Every method returns whole lines, each ending in {@code \n}; fields the
 * renderer does not know are ignored, missing ones shown as {@code -}. Times are shown in UTC.
 *
 * <p>Thread-safe; stateless apart from its mapper.
 */
final class TextRenderer {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final List<String> LONG_HEADER =
            List.of("NAME", "KIND", "TYPE", "STATUS", "MAILBOX", "RATE1S", "RATE10S", "RESTARTS", "UPTIME", "SUMMARY");

    private final ObjectMapper json;

    TextRenderer(ObjectMapper json) {
        this.json = json;
    }

    /** {@code ls}: one name a line, containers with a trailing {@code /}; {@code -l}: a table. */
    String ls(JsonNode result, boolean longForm) {
        JsonNode entries = result.path("entries");
        if (!longForm) {
            StringBuilder out = new StringBuilder();
            for (JsonNode entry : entries) {
                out.append(displayName(entry)).append('\n');
            }
            return out.toString();
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(LONG_HEADER);
        for (JsonNode entry : entries) {
            rows.add(entryRow(displayName(entry), entry));
        }
        return table(rows);
    }

    /** {@code top}: the time, then the busiest actors as a table with their paths. */
    String top(JsonNode result) {
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(LONG_HEADER);
        header.set(0, "PATH");
        rows.add(header);
        for (JsonNode entry : result.path("actors")) {
            rows.add(entryRow(text(entry.path("path")), entry));
        }
        return "top at " + time(result.path("time")) + "\n" + table(rows);
    }

    private List<String> entryRow(String name, JsonNode entry) {
        return List.of(
                name,
                text(entry.path("kind")),
                text(entry.path("type")),
                text(entry.path("status")),
                text(entry.path("mailbox")),
                rate(entry.path("rate1s")),
                rate(entry.path("rate10s")),
                text(entry.path("restarts")),
                entry.path("uptimeMs").isNumber()
                        ? duration(entry.path("uptimeMs").asLong())
                        : "-",
                text(entry.path("summary")));
    }

    /** {@code tree}: the root's path, then its descendants drawn with box characters. */
    String tree(JsonNode result) {
        JsonNode root = result.path("root");
        StringBuilder out = new StringBuilder();
        out.append(root.has("path") ? text(root.path("path")) : text(result.path("path")))
                .append('\n');
        children(root, "", out);
        return out.toString();
    }

    private void children(JsonNode node, String indent, StringBuilder out) {
        JsonNode children = node.path("children");
        for (int i = 0; i < children.size(); i++) {
            JsonNode child = children.get(i);
            boolean last = i == children.size() - 1;
            out.append(indent)
                    .append(last ? "└── " : "├── ")
                    .append(displayName(child))
                    .append('\n');
            children(child, indent + (last ? "    " : "│   "), out);
        }
    }

    /** {@code cat}: the state as indented JSON. */
    String cat(JsonNode result) {
        return pretty(result.path("state"));
    }

    /** {@code actions}: one action a line, {@code kind name(param: type, ...) -> returns}. */
    String actions(JsonNode result) {
        StringBuilder out = new StringBuilder();
        for (JsonNode action : result.path("actions")) {
            List<String> params = new ArrayList<>();
            for (JsonNode param : action.path("params")) {
                params.add(text(param.path("name")) + ": " + text(param.path("type")));
            }
            out.append(String.format(Locale.ROOT, "%-5s", text(action.path("kind"))))
                    .append(' ')
                    .append(text(action.path("name")))
                    .append('(')
                    .append(String.join(", ", params))
                    .append(')');
            JsonNode returns = action.path("returns");
            if (!returns.isMissingNode() && !returns.isNull()) {
                out.append(" -> ").append(text(returns));
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** {@code send}: a tell's confirmation, or an ask's reply as indented JSON. */
    String send(JsonNode result) {
        if ("ask".equals(result.path("kind").asText())) {
            return pretty(result.path("reply"));
        }
        return "sent " + text(result.path("action")) + " to " + text(result.path("path")) + "\n";
    }

    /**
     * One traced message: {@code time sender -> receiver kind action(args) queued Q took D outcome}.
     */
    String traceEvent(JsonNode trace) {
        JsonNode sender = trace.path("sender");
        return time(trace.path("time"))
                + " "
                + (sender.isTextual() ? sender.asText() : "(outside)")
                + " -> "
                + text(trace.path("receiver"))
                + " "
                + text(trace.path("kind"))
                + " "
                + text(trace.path("action"))
                + "("
                + (trace.path("args").isMissingNode() || trace.path("args").isNull()
                        ? ""
                        : trace.path("args").asText())
                + ") queued "
                + micros(trace.path("queueUs"))
                + " took "
                + micros(trace.path("durationUs"))
                + " "
                + text(trace.path("outcome"))
                + "\n";
    }

    /** The end of a stream: why it ended and how many events it sent. */
    String streamEnd(String op, JsonNode result) {
        StringBuilder out = new StringBuilder(op)
                .append(" ended (")
                .append(text(result.path("ended")))
                .append(")");
        if (result.has("count")) {
            out.append(": ").append(result.path("count").asLong()).append(" event(s)");
        }
        if (result.path("dropped").asLong() > 0) {
            out.append(", ").append(result.path("dropped").asLong()).append(" dropped");
        }
        return out.append('\n').toString();
    }

    /** One state of {@code watch}: its time and the state on one line. */
    String watchEvent(JsonNode event) {
        return time(event.path("time")) + " " + event.path("state").toString() + "\n";
    }

    /** {@code history}: whether it records, then the messages, oldest first. */
    String history(JsonNode result) {
        StringBuilder out = new StringBuilder("history ")
                .append(result.path("recording").asBoolean() ? "on" : "off")
                .append(", capacity ")
                .append(text(result.path("capacity")))
                .append(", ")
                .append(result.path("messages").size())
                .append(" message(s)\n");
        for (JsonNode trace : result.path("messages")) {
            out.append(traceEvent(trace));
        }
        return out.toString();
    }

    /** The help text: each command's usage and what it does. */
    static String help(List<ShellCommand> commands) {
        int width = commands.stream().mapToInt(c -> c.usage().length()).max().orElse(0);
        StringBuilder out = new StringBuilder();
        for (ShellCommand command : commands) {
            out.append(String.format(Locale.ROOT, "%-" + width + "s  %s%n", command.usage(), command.summary()));
        }
        return out.toString();
    }

    String pretty(JsonNode node) {
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            return node.toString() + "\n";
        }
    }

    private static String displayName(JsonNode entry) {
        String name = text(entry.path("name"));
        String kind = entry.path("kind").asText();
        boolean container = kind.equals("supervisor") || kind.equals("pool") || kind.equals("namespace");
        return container && !name.endsWith("/") ? name + "/" : name;
    }

    /** Left-aligned columns two spaces apart; the last column is not padded. */
    static String table(List<List<String>> rows) {
        int columns = rows.get(0).size();
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                line.append(row.get(c));
                if (c < columns - 1) {
                    line.append(" ".repeat(widths[c] - row.get(c).length() + 2));
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private static String text(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return "-";
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    private static String rate(JsonNode value) {
        if (!value.isNumber()) {
            return "-";
        }
        double rate = value.asDouble();
        return rate == Math.rint(rate) && Math.abs(rate) < 1e15
                ? Long.toString((long) rate)
                : String.format(Locale.ROOT, "%.1f", rate);
    }

    /** A duration the way {@code ps} and {@code top} show one: 45s, 3m04s, 2h05m, 1d02h. */
    static String duration(long millis) {
        long seconds = millis / 1000;
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        if (seconds < 86_400) {
            return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%dd%02dh", seconds / 86_400, seconds % 86_400 / 3600);
    }

    private static String micros(JsonNode value) {
        if (!value.isNumber()) {
            return "-";
        }
        long us = value.asLong();
        return us < 10_000 ? us + "µs" : String.format(Locale.ROOT, "%.1fms", us / 1000.0);
    }

    private static String time(JsonNode value) {
        if (!value.isTextual()) {
            return "-";
        }
        try {
            return TIME.format(Instant.parse(value.asText()));
        } catch (DateTimeParseException e) {
            return value.asText();
        }
    }
}
