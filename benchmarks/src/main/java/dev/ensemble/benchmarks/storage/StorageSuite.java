package dev.ensemble.benchmarks.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ensemble.collab.storage.FileDocumentStorage;
import dev.ensemble.collab.storage.StoredDocument;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.ObjectType;
import org.automerge.Transaction;

/**
 * Storage benchmarks, each against the least a correct implementation must do in the same run:
 *
 * <ul>
 *   <li><b>Append with fsync</b> (changes/s): {@code FileDocumentStorage.append} of keystroke-sized
 *       changes, against writing the same bytes to a plain file and forcing it after each one.</li>
 *   <li><b>Reload</b> of the automerge-paper document (Martin Kleppmann's trace, CC BY 4.0, via
 *       josephg/editing-traces): {@code load} from storage plus {@code Document.load}, against
 *       {@code Document.load} of the same saved bytes already in memory. Measured twice: from a
 *       compacted snapshot, and from a log of one record per 1,000 edits.</li>
 * </ul>
 *
 * <p>Prints {@code result} and {@code ratio} lines. Run with {@code benchmarks/run storage}.
 */
public final class StorageSuite {
    private StorageSuite() {}

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        Path trace = Path.of(
                args.length > 0 && !args[0].startsWith("--")
                        ? args[0]
                        : "ensemble-collab/src/test/resources/traces/automerge-paper.json.gz");
        Path work = Files.createTempDirectory("ensemble-storage-bench");
        try {
            appendWithFsync(work, quick ? 500 : 3000);
            reload(work, trace, quick);
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        }
    }

    private static void appendWithFsync(Path work, int count) throws Exception {
        byte[][] changes = new byte[count][];
        Random random = new Random(1);
        for (int i = 0; i < count; i++) {
            changes[i] = new byte[80 + random.nextInt(80)];
            random.nextBytes(changes[i]);
        }
        double ours = 0;
        double raw = 0;
        for (int round = 0; round < 3; round++) {
            ours = Math.max(ours, oursAppend(work.resolve("ours-" + round), changes));
            raw = Math.max(raw, rawAppend(work.resolve("raw-" + round + ".log"), changes));
        }
        System.out.printf("result storage-append-fsync-ours %.0f changes/s%n", ours);
        System.out.printf("result storage-append-fsync-raw %.0f changes/s%n", raw);
        System.out.printf("ratio storage-append-fsync %.2f%n", ours / raw);
    }

    private static double oursAppend(Path directory, byte[][] changes) throws Exception {
        try (FileDocumentStorage storage = FileDocumentStorage.open(directory)) {
            long start = System.nanoTime();
            for (byte[] change : changes) {
                storage.append("bench", change);
            }
            return changes.length / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static double rawAppend(Path file, byte[][] changes) throws IOException {
        try (FileChannel channel = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            long start = System.nanoTime();
            for (byte[] change : changes) {
                ByteBuffer buffer = ByteBuffer.wrap(change);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(false);
            }
            return changes.length / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static void reload(Path work, Path trace, boolean quick) throws Exception {
        JsonNode root;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(trace))) {
            root = new ObjectMapper().readTree(in);
        }
        String endContent = root.get("endContent").textValue();
        Document doc = new Document();
        ObjectId text;
        try (Transaction tx = doc.startTransaction()) {
            text = tx.set(ObjectId.ROOT, "text", ObjectType.TEXT);
            tx.commit();
        }
        List<byte[]> batches = new ArrayList<>();
        ChangeHash[] batchStart = new ChangeHash[0];
        int edits = 0;
        int limit = quick ? 20_000 : Integer.MAX_VALUE;
        outer:
        for (JsonNode txn : root.get("txns")) {
            for (JsonNode patch : txn.get("patches")) {
                try (Transaction tx = doc.startTransaction()) {
                    tx.spliceText(
                            text,
                            patch.get(0).intValue(),
                            patch.get(1).intValue(),
                            patch.get(2).textValue());
                    tx.commit();
                }
                if (++edits % 1000 == 0) {
                    batches.add(doc.encodeChangesSince(batchStart));
                    batchStart = doc.getHeads();
                }
                if (edits >= limit) {
                    break outer;
                }
            }
        }
        batches.add(doc.encodeChangesSince(batchStart));
        if (!quick && !endContent.equals(doc.text(text).orElse(""))) {
            throw new IllegalStateException("the trace did not end at its endContent");
        }
        byte[] saved = doc.save();
        doc.free();
        System.out.printf("result trace-edits %d%nresult trace-saved-bytes %d bytes%n", edits, saved.length);

        Path snapshotDir = work.resolve("snapshot");
        try (FileDocumentStorage storage = FileDocumentStorage.open(snapshotDir)) {
            long sequence = storage.append("paper", saved);
            storage.compact("paper", saved, sequence);
        }
        Path logDir = work.resolve("log");
        try (FileDocumentStorage storage = FileDocumentStorage.open(logDir)) {
            for (byte[] batch : batches) {
                storage.append("paper", batch);
            }
        }
        double raw = Double.MAX_VALUE;
        double fromSnapshot = Double.MAX_VALUE;
        double fromLog = Double.MAX_VALUE;
        for (int round = 0; round < (quick ? 1 : 3); round++) {
            raw = Math.min(raw, timeRawLoad(saved));
            fromSnapshot = Math.min(fromSnapshot, timeStorageLoad(snapshotDir, endContent, quick));
            fromLog = Math.min(fromLog, timeStorageLoad(logDir, endContent, quick));
        }
        System.out.printf("result reload-raw-ms %.0f ms%n", raw);
        System.out.printf("result reload-from-snapshot-ms %.0f ms%n", fromSnapshot);
        System.out.printf("result reload-from-log-ms %.0f ms%n", fromLog);
        System.out.printf("ratio reload-from-snapshot %.2f%n", fromSnapshot / raw);
        System.out.printf("ratio reload-from-log %.2f%n", fromLog / raw);
    }

    private static double timeRawLoad(byte[] saved) {
        long start = System.nanoTime();
        Document loaded = Document.load(saved);
        double millis = (System.nanoTime() - start) / 1e6;
        loaded.free();
        return millis;
    }

    private static double timeStorageLoad(Path directory, String endContent, boolean quick) throws Exception {
        long start = System.nanoTime();
        Document loaded;
        try (FileDocumentStorage storage = FileDocumentStorage.open(directory)) {
            StoredDocument stored = storage.load("paper");
            loaded = stored.snapshot().map(Document::load).orElseGet(Document::new);
            for (byte[] change : stored.changes()) {
                loaded.applyEncodedChanges(change);
            }
        }
        double millis = (System.nanoTime() - start) / 1e6;
        try {
            if (!quick) {
                ObjectId text = ((org.automerge.AmValue.Text)
                                loaded.get(ObjectId.ROOT, "text").orElseThrow())
                        .getId();
                if (!endContent.equals(loaded.text(text).orElse(""))) {
                    throw new IllegalStateException("reloaded text differs from endContent");
                }
            }
        } finally {
            loaded.free();
        }
        return millis;
    }
}
