package dev.ensemble.remote.inspect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few lines of the inspection protocol that the remote layer writes itself (errors for input
 * that never reaches the inspector) and reads itself (whether a line is a droppable stream event).
 * It never parses a whole line: only a short prefix, so a 1 MiB line costs nothing here.
 */
final class InspectionLines {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How much of a line's start is looked at. */
    private static final int PREFIX = 64;

    private static final Pattern ID = Pattern.compile("^\\s*\\{\\s*\"id\"\\s*:\\s*(\\d{1,18})\\s*[,}]");
    private static final Pattern EVENT = Pattern.compile("^\\s*\\{\\s*\"id\"\\s*:\\s*\\d{1,18}\\s*,\\s*\"event\"\\s*:");

    private InspectionLines() {}

    /**
     * @param id the request's id, or null if it could not be read
     * @param code an error code of the protocol
     * @param message what went wrong
     * @return the error line
     */
    static String error(Long id, String code, String message) {
        ObjectNode line = JSON.createObjectNode();
        if (id == null) {
            line.putNull("id");
        } else {
            line.put("id", id.longValue());
        }
        line.put("ok", false);
        ObjectNode error = line.putObject("error");
        error.put("code", code);
        error.put("message", message);
        return line.toString();
    }

    /** @return the id at the start of a request line, or null */
    static Long idOf(String line) {
        Matcher matcher = ID.matcher(prefix(line));
        return matcher.find() ? Long.valueOf(matcher.group(1)) : null;
    }

    /** @return whether the line is a stream's event ({@code {"id":N,"event":...}}), which may be dropped */
    static boolean isEvent(String line) {
        return EVENT.matcher(prefix(line)).find();
    }

    /** @return whether the line's UTF-8 encoding is longer than {@code limit} bytes, without encoding it */
    static boolean longerThan(String line, int limit) {
        if (line.length() > limit) {
            return true;
        }
        if ((long) line.length() * 3 <= limit) {
            return false;
        }
        long bytes = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes > limit;
    }

    private static String prefix(String line) {
        return line.length() <= PREFIX ? line : line.substring(0, PREFIX);
    }
}
