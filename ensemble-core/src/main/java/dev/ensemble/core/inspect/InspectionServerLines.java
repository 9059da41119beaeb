package dev.ensemble.core.inspect;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Cuts the bytes of one connection into request lines for an {@link InspectionSession}, and
 * answers the lines it cannot pass on: too long ({@code too-large}) or not UTF-8 ({@code
 * bad-request}). No sockets and no threads, so that it is tested byte by byte; {@link
 * InspectionServerConnection} feeds it from its reading thread.
 *
 * <p>A line ends at {@code \n}; a {@code \r} just before it is dropped; an empty line is skipped
 * (someone typing at {@code nc -U} presses Enter). A line longer than the limit is answered as soon
 * as it passes the limit, not at its end, and the rest of it is discarded as it arrives: memory per
 * connection stays at about one line.
 *
 * <p>Not thread-safe: one reading thread.
 */
final class InspectionServerLines {
    /** How many bytes at the start of a line are searched for its {@code "id"}. */
    private static final int ID_SEARCH_BYTES = 64;

    private static final int INITIAL_CAPACITY = 8 * 1024;

    private final int maxLineBytes;
    private final Consumer<String> requests;
    private final Consumer<String> replies;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();

    private byte[] line = new byte[INITIAL_CAPACITY];
    private int length;
    /** Inside a line that was answered {@code too-large}: its bytes are dropped up to its {@code \n}. */
    private boolean discarding;

    /**
     * @param maxLineBytes longest line, without its terminator
     * @param requests receives each complete line, decoded
     * @param replies receives the error lines this class answers with
     */
    InspectionServerLines(int maxLineBytes, Consumer<String> requests, Consumer<String> replies) {
        this.maxLineBytes = maxLineBytes;
        this.requests = requests;
        this.replies = replies;
    }

    /** Takes the bytes from {@code buffer}'s position to its limit. */
    void feed(ByteBuffer buffer) {
        if (buffer.hasArray()) {
            int offset = buffer.arrayOffset();
            feed(buffer.array(), offset + buffer.position(), offset + buffer.limit());
            buffer.position(buffer.limit());
        } else {
            byte[] copy = new byte[buffer.remaining()];
            buffer.get(copy);
            feed(copy, 0, copy.length);
        }
    }

    void feed(byte[] bytes, int from, int to) {
        int start = from;
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\n') {
                append(bytes, start, i);
                endOfLine();
                start = i + 1;
            }
        }
        append(bytes, start, to);
    }

    private void append(byte[] bytes, int from, int to) {
        int count = to - from;
        if (discarding || count == 0) {
            return;
        }
        // One byte over the limit is held back for a "\r" that may end the line.
        if ((long) length + count > (long) maxLineBytes + 1) {
            int kept = Math.min(length, ID_SEARCH_BYTES);
            byte[] head = new byte[kept + Math.min(count, ID_SEARCH_BYTES - kept)];
            System.arraycopy(line, 0, head, 0, kept);
            System.arraycopy(bytes, from, head, kept, head.length - kept);
            tooLarge(head, head.length);
            discarding = true;
            reset();
            return;
        }
        if (length + count > line.length) {
            line = Arrays.copyOf(line, (int)
                    Math.min(Math.max((long) line.length * 2, length + count), maxLineBytes + 1L));
        }
        System.arraycopy(bytes, from, line, length, count);
        length += count;
    }

    private void endOfLine() {
        if (discarding) {
            discarding = false;
            return;
        }
        int end = length;
        if (end > 0 && line[end - 1] == '\r') {
            end--;
        }
        if (end > maxLineBytes) {
            tooLarge(line, end);
        } else if (end > 0) {
            String decoded = decode(end);
            if (decoded != null) {
                requests.accept(decoded);
            }
        }
        reset();
    }

    private String decode(int end) {
        try {
            return utf8.decode(ByteBuffer.wrap(line, 0, end)).toString();
        } catch (CharacterCodingException e) {
            replies.accept(ProtocolLines.error(idOf(line, end), "bad-request", "the request line is not valid UTF-8"));
            return null;
        } finally {
            utf8.reset();
        }
    }

    private void tooLarge(byte[] head, int headLength) {
        replies.accept(ProtocolLines.error(
                idOf(head, headLength),
                "too-large",
                "the request line is longer than " + maxLineBytes + " bytes; it was discarded"));
    }

    private void reset() {
        length = 0;
        if (line.length > 16 * INITIAL_CAPACITY) {
            line = new byte[INITIAL_CAPACITY]; // one huge line does not pin a megabyte per connection
        }
    }

    /**
     * Finds the id of a request whose line starts <code>{"id":N</code> (whitespace allowed), as the shell
     * writes them, so that an error about a line that cannot be parsed still reaches its request.
     *
     * @return the id, or null if the line does not start that way
     */
    static Long idOf(byte[] bytes, int length) {
        int end = Math.min(length, ID_SEARCH_BYTES);
        int i = skipSpace(bytes, 0, end);
        if (i >= end || bytes[i] != '{') {
            return null;
        }
        i = skipSpace(bytes, i + 1, end);
        byte[] key = {'"', 'i', 'd', '"'};
        for (byte b : key) {
            if (i >= end || bytes[i] != b) {
                return null;
            }
            i++;
        }
        i = skipSpace(bytes, i, end);
        if (i >= end || bytes[i] != ':') {
            return null;
        }
        i = skipSpace(bytes, i + 1, end);
        int digits = i;
        long id = 0;
        while (i < end && bytes[i] >= '0' && bytes[i] <= '9' && i - digits < 18) {
            id = id * 10 + (bytes[i] - '0');
            i++;
        }
        if (i == digits || i >= end) {
            return null; // no number, or one that may go on past what was searched
        }
        byte after = bytes[i];
        return after == ',' || after == '}' || after == ' ' || after == '\t' ? id : null;
    }

    private static int skipSpace(byte[] bytes, int from, int end) {
        int i = from;
        while (i < end && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\r')) {
            i++;
        }
        return i;
    }
}
