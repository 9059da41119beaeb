package dev.ensemble.collab.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The byte layout shared by snapshot and log files (see docs/STORAGE.md):
 *
 * <pre>
 * file   = magic(4) version(u32 BE) record*
 * record = length(u32 BE) crc32c(u32 BE) payload(length bytes)
 * payload = sequence(u64 BE) data
 * crc32c covers the 4 length bytes followed by the payload
 * </pre>
 */
final class RecordFormat {

    static final byte[] LOG_MAGIC = "ENSL".getBytes(StandardCharsets.US_ASCII);
    static final byte[] SNAPSHOT_MAGIC = "ENSS".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int FILE_HEADER_LENGTH = 8;
    static final int RECORD_HEADER_LENGTH = 8;
    static final int SEQUENCE_LENGTH = 8;

    /** One intact record and where it starts in its file. */
    record Record(long sequence, byte[] data, long offset) {}

    /**
     * The intact records of a file, the offset where intact data ends and, if it ends before the
     * file does, why ({@code problem} is null for a clean file).
     */
    record Scan(List<Record> records, long validEnd, String problem) {}

    private RecordFormat() {}

    static byte[] fileHeader(byte[] magic) {
        return ByteBuffer.allocate(FILE_HEADER_LENGTH)
                .put(magic)
                .putInt(VERSION)
                .array();
    }

    static byte[] encode(long sequence, byte[] data) {
        int length = SEQUENCE_LENGTH + data.length;
        ByteBuffer record = ByteBuffer.allocate(RECORD_HEADER_LENGTH + length);
        record.putInt(length).putInt(0).putLong(sequence).put(data);
        byte[] bytes = record.array();
        ByteBuffer.wrap(bytes).putInt(4, (int) checksum(bytes, 0, length));
        return bytes;
    }

    /** Checksum of the length field at {@code start} and the {@code length} payload bytes after the header. */
    private static long checksum(byte[] bytes, int start, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, start, 4);
        crc.update(bytes, start + RECORD_HEADER_LENGTH, length);
        return crc.getValue();
    }

    static Scan scan(byte[] file, byte[] magic, int maxDataBytes, boolean strictlyIncreasing) {
        List<Record> records = new ArrayList<>();
        if (file.length < FILE_HEADER_LENGTH) {
            return new Scan(
                    records, 0, "file header is torn: " + file.length + " of " + FILE_HEADER_LENGTH + " bytes present");
        }
        ByteBuffer in = ByteBuffer.wrap(file);
        byte[] seenMagic = new byte[magic.length];
        in.get(seenMagic);
        if (!Arrays.equals(seenMagic, magic)) {
            return new Scan(
                    records, 0, "file does not start with magic " + ascii(magic) + ", found " + ascii(seenMagic));
        }
        int version = in.getInt();
        if (version != VERSION) {
            return new Scan(records, 0, "unsupported format version " + version + ", this reader knows " + VERSION);
        }
        long maxLength = (long) SEQUENCE_LENGTH + maxDataBytes;
        long previous = -1;
        int at = FILE_HEADER_LENGTH;
        while (at < file.length) {
            int remaining = file.length - at;
            if (remaining < RECORD_HEADER_LENGTH) {
                return new Scan(
                        records,
                        at,
                        "record header is torn: " + remaining + " of " + RECORD_HEADER_LENGTH + " bytes present");
            }
            long length = Integer.toUnsignedLong(in.getInt(at));
            if (length < SEQUENCE_LENGTH || length > maxLength) {
                return new Scan(
                        records,
                        at,
                        "record length field " + length + " is outside " + SEQUENCE_LENGTH + ".." + maxLength);
            }
            if (length > remaining - RECORD_HEADER_LENGTH) {
                return new Scan(
                        records,
                        at,
                        "record is torn: length field says " + length + " bytes, " + (remaining - RECORD_HEADER_LENGTH)
                                + " present");
            }
            long stored = Integer.toUnsignedLong(in.getInt(at + 4));
            long computed = checksum(file, at, (int) length);
            if (stored != computed) {
                return new Scan(
                        records,
                        at,
                        String.format("record checksum mismatch: stored %08x, computed %08x", stored, computed));
            }
            long sequence = in.getLong(at + RECORD_HEADER_LENGTH);
            if (sequence < 0 || strictlyIncreasing && sequence <= previous) {
                return new Scan(records, at, "record sequence " + sequence + " does not follow " + previous);
            }
            int dataStart = at + RECORD_HEADER_LENGTH + SEQUENCE_LENGTH;
            byte[] data = Arrays.copyOfRange(file, dataStart, at + RECORD_HEADER_LENGTH + (int) length);
            records.add(new Record(sequence, data, at));
            previous = sequence;
            at += RECORD_HEADER_LENGTH + (int) length;
        }
        return new Scan(records, at, null);
    }

    private static String ascii(byte[] bytes) {
        StringBuilder out = new StringBuilder("\"");
        for (byte b : bytes) {
            out.append(b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b));
        }
        return out.append('"').toString();
    }
}
