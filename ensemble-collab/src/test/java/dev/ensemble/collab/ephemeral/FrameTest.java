package dev.ensemble.collab.ephemeral;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The inner layout of ephemeral messages, against the vectors in docs/PROTOCOL.md. */
class FrameTest {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ").withUpperCase();
    private static final String NOTE_VECTOR = "01 00 00 01 8B CF E5 68 00 00 00 00 00 00 00 00 07 05 6E 6F 74 65 73"
            + " 7B 22 6B 65 79 22 3A 36 30 2C 22 64 6F 77 6E 22 3A 74 72 75 65 7D";
    private static final String BYE_VECTOR = "01 00 00 01 8B CF E5 68 00 00 00 00 00 00 00 00 08 03 62 79 65";

    @Test
    void encodesTheDocumentedNoteVector() {
        Frame note = new Frame(
                1_700_000_000_000L, 7, "notes", "{\"key\":60,\"down\":true}".getBytes(StandardCharsets.UTF_8));
        assertEquals(NOTE_VECTOR, HEX.formatHex(note.encode()));
    }

    @Test
    void decodesTheDocumentedVectors() throws Exception {
        Frame note = Frame.decode(HEX.parseHex(NOTE_VECTOR));
        assertEquals(1_700_000_000_000L, note.epoch());
        assertEquals(7, note.sequence());
        assertEquals("notes", note.topic());
        assertArrayEquals("{\"key\":60,\"down\":true}".getBytes(StandardCharsets.UTF_8), note.message());

        Frame bye = Frame.decode(HEX.parseHex(BYE_VECTOR));
        assertEquals(8, bye.sequence());
        assertEquals("bye", bye.topic());
        assertEquals(0, bye.message().length);
    }

    @Test
    void rejectsSequenceZero() {
        byte[] frame = new Frame(1, 1, "notes", new byte[0]).encode();
        frame[16] = 0;
        Frame.MalformedFrameException e = assertThrows(Frame.MalformedFrameException.class, () -> Frame.decode(frame));
        assertEquals("sequence number at offset 9 must be at least 1, was 0", e.getMessage());
    }

    @Test
    void rejectsATopicThatIsNotUtf8() {
        byte[] frame = new Frame(1, 1, "ab", new byte[0]).encode();
        frame[18] = (byte) 0xC3;
        Frame.MalformedFrameException e = assertThrows(Frame.MalformedFrameException.class, () -> Frame.decode(frame));
        assertEquals("topic at offset 18 is not valid UTF-8", e.getMessage());
    }

    @Test
    void rejectsAnEmptyTopic() {
        byte[] frame = new Frame(1, 1, "a", new byte[] {1}).encode();
        frame[17] = 0;
        Frame.MalformedFrameException e = assertThrows(Frame.MalformedFrameException.class, () -> Frame.decode(frame));
        assertEquals("topic length at offset 17 must be 1..2 for a frame of 20 bytes, was 0", e.getMessage());
    }
}
