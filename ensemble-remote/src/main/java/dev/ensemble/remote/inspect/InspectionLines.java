package dev.ensemble.remote.inspect;

import java.util.regex.Pattern;

/**
 * What the remote layer reads of the inspection protocol's lines without parsing them: whether a
 * line is a droppable stream event, and whether it is too long. Only a short prefix is looked at,
 * so a 1 MiB line costs nothing here; the error lines it writes are core's {@code ProtocolLines}.
 */
final class InspectionLines {
    /** How much of a line's start is looked at. */
    private static final int PREFIX = 64;

    private static final Pattern EVENT = Pattern.compile("^\\s*\\{\\s*\"id\"\\s*:\\s*\\d{1,18}\\s*,\\s*\"event\"\\s*:");

    private InspectionLines() {}

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
