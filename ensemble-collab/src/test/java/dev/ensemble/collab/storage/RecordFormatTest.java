package dev.ensemble.collab.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The test vector of docs/STORAGE.md, so that the document and the encoder cannot drift apart. */
class RecordFormatTest {

    private static final byte[] WORKED_EXAMPLE =
            HexFormat.of().parseHex("454e534c" + "00000001" + "0000000a" + "50e7f720" + "0000000000000001" + "6869");

    @Test
    void encodesTheWorkedExampleOfTheFormatDocument() {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(RecordFormat.fileHeader(RecordFormat.LOG_MAGIC));
        file.writeBytes(RecordFormat.encode(1, "hi".getBytes(UTF_8)));
        assertArrayEquals(WORKED_EXAMPLE, file.toByteArray());
    }

    @Test
    void decodesTheWorkedExampleOfTheFormatDocument() {
        RecordFormat.Scan scan = RecordFormat.scan(WORKED_EXAMPLE, RecordFormat.LOG_MAGIC, 1024, true);
        assertNull(scan.problem());
        assertEquals(1, scan.records().size());
        assertEquals(1, scan.records().get(0).sequence());
        assertEquals("hi", new String(scan.records().get(0).data(), UTF_8));
        assertEquals(WORKED_EXAMPLE.length, scan.validEnd());
    }

    @Test
    void rejectsAFileOfAnotherVersion() {
        byte[] future = WORKED_EXAMPLE.clone();
        future[7] = 2;
        RecordFormat.Scan scan = RecordFormat.scan(future, RecordFormat.LOG_MAGIC, 1024, true);
        assertEquals("unsupported format version 2, this reader knows 1", scan.problem());
        assertEquals(0, scan.validEnd());
    }

    @Test
    void rejectsASequenceThatDoesNotIncrease() {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(RecordFormat.fileHeader(RecordFormat.LOG_MAGIC));
        file.writeBytes(RecordFormat.encode(5, new byte[0]));
        file.writeBytes(RecordFormat.encode(5, new byte[0]));
        RecordFormat.Scan scan = RecordFormat.scan(file.toByteArray(), RecordFormat.LOG_MAGIC, 1024, true);
        assertEquals("record sequence 5 does not follow 5", scan.problem());
        assertEquals(1, scan.records().size());
        assertEquals(24, scan.validEnd());
    }
}
