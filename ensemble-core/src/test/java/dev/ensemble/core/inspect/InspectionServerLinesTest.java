package dev.ensemble.core.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The line cutting of the socket server, byte by byte, without sockets or threads. */
class InspectionServerLinesTest {
    private final List<String> requests = new ArrayList<>();
    private final List<String> replies = new ArrayList<>();
    private final InspectionServerLines lines = new InspectionServerLines(10, requests::add, replies::add);

    private void feed(String text) {
        lines.feed(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String tooLarge(String id) {
        return "{\"id\":" + id + ",\"ok\":false,\"error\":{\"code\":\"too-large\",\"message\":"
                + "\"the request line is longer than 10 bytes; it was discarded\"}}";
    }

    @Test
    void cutsLinesAcrossReadsDropsCarriageReturnsAndSkipsEmptyLines() {
        feed("ab");
        feed("c\nde\r\n\n\r\nf");
        assertEquals(List.of("abc", "de"), requests);
        feed("\n");
        assertEquals(List.of("abc", "de", "f"), requests);
        assertEquals(List.of(), replies);
    }

    @Test
    void takesALineOfExactlyTheLimitWithOrWithoutCarriageReturn() {
        feed("0123456789\n0123456789\r\n");
        assertEquals(List.of("0123456789", "0123456789"), requests);
        assertEquals(List.of(), replies);
    }

    @Test
    void answersALineOneByteOverTheLimitAtItsEnd() {
        feed("01234567890\n");
        feed("ok\n");
        assertEquals(List.of(tooLarge("null")), replies);
        assertEquals(List.of("ok"), requests);
    }

    @Test
    void answersALongLineAsSoonAsItPassesTheLimitAndDiscardsItsRestAcrossReads() {
        feed("{\"id\":42,");
        feed("\"op\":\"send\"");
        assertEquals(List.of(tooLarge("42")), replies, "answered before the line ends");
        feed("more and more");
        feed(" and more\r\n{\"id\":1}\n");
        assertEquals(List.of(tooLarge("42")), replies, "answered once");
        assertEquals(List.of("{\"id\":1}"), requests);
    }

    @Test
    void answersALineThatIsNotUtf8WithItsIdAndGoesOn() {
        byte[] bad = {'{', '"', 'i', 'd', '"', ':', '3', ',', (byte) 0xc3, '\n', 'o', 'k', '\n'};
        lines.feed(bad, 0, bad.length);
        assertEquals(
                List.of("{\"id\":3,\"ok\":false,\"error\":{\"code\":\"bad-request\","
                        + "\"message\":\"the request line is not valid UTF-8\"}}"),
                replies);
        assertEquals(List.of("ok"), requests);
    }

    @Test
    void findsTheIdOnlyAtTheStartOfTheLine() {
        assertEquals(7L, id("{\"id\":7,\"op\":\"ls\"}"));
        assertEquals(7L, id(" { \"id\" : 7 }"));
        assertEquals(123456789012345678L, id("{\"id\":123456789012345678}"));
        assertNull(id("{\"op\":\"ls\",\"id\":7}"));
        assertNull(id("{\"id\":\"7\"}"));
        assertNull(id("{\"id\":-7}"));
        assertNull(id("{\"id\":7"), "a number that may go on");
        assertNull(id("{\"id\":1234567890123456789}"), "longer than a safe long");
        assertNull(id("[1]"));
        assertNull(id(""));
    }

    @Test
    void escapesTheMessageOfAnError() {
        assertEquals(
                "{\"id\":null,\"ok\":false,\"error\":{\"code\":\"busy\",\"message\":\"a \\\"b\\\" \\\\ \\n\"}}",
                ProtocolLines.error(null, "busy", "a \"b\" \\ \n"));
    }

    private static Long id(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return InspectionServerLines.idOf(bytes, bytes.length);
    }
}
