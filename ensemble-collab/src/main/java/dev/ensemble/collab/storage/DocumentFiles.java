package dev.ensemble.collab.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of one document in a {@link FileDocumentStorage}: {@code snapshot.bin} and the log
 * generations {@code changes-<generation>.log}.
 *
 * <h2>Crash-safety invariant</h2>
 * At every instant, the durable files satisfy: <em>the snapshot (covering sequence s, or none
 * with s = 0) plus every intact log record with a sequence greater than s, taken from all log
 * generations, de-duplicated by sequence and ordered by it, is the complete saved document.</em>
 * Each step keeps it true:
 * <ol>
 *   <li>append: write the record at the end of the newest generation, fsync, then report
 *       success. A crash before the fsync leaves at most a torn tail, which recovery cuts off.</li>
 *   <li>compact, snapshot: write {@code snapshot.bin.tmp}, fsync, rename over {@code snapshot.bin}
 *       (atomic), fsync the directory. Before the rename the old snapshot and all records are in
 *       place; after it the new snapshot covers s' and every record above s' is still in the
 *       log, because no log file has been touched yet.</li>
 *   <li>compact, log: copy the records above s' from all generations into a new generation
 *       (temp file, fsync, atomic rename, directory fsync), switch appends to it, then delete the
 *       older generations. Until the deletion both copies exist and de-duplication hides that.</li>
 * </ol>
 * Temp files are never read: recovery deletes them.
 *
 * <h2>Locking</h2>
 * The monitor of this object guards all fields below and every file operation except writing a
 * snapshot's temp file, which runs under {@link #compactionLock} only so that appends continue
 * meanwhile. Lock order: {@code compactionLock}, then the monitor.
 */
final class DocumentFiles {

    static final String SNAPSHOT_FILE = "snapshot.bin";
    static final String TEMP_SUFFIX = ".tmp";
    static final String CORRUPT_SUFFIX = ".corrupt-";

    private static final Logger LOG = LoggerFactory.getLogger(DocumentFiles.class);
    private static final Pattern LOG_NAME = Pattern.compile("changes-(\\d{16})\\.log");

    private final String documentId;
    private final Path directory;
    private final FileIo io;
    private final ReentrantLock compactionLock = new ReentrantLock();

    // Guarded by this.
    private boolean closed;
    private boolean recovered;
    private boolean tempFilesCleaned;
    private long snapshotSequence;
    private long lastSequence;
    /** Newest log generation on disk; 0 when there is none. */
    private long generation;
    /** Set when the newest generation must not be appended to (its tail is in doubt). */
    private boolean needsNewGeneration;
    /**
     * Why appends are refused, or null. Set when a log could be neither read nor moved aside: its
     * sequence numbers are unknown, and reusing one would make a new change shadow an old one.
     */
    private String writesBlockedBecause;

    private FileChannel active;
    private long activeEnd;

    DocumentFiles(String documentId, Path directory, FileIo io) {
        this.documentId = documentId;
        this.directory = directory;
        this.io = io;
    }

    static String logName(long generation) {
        return String.format("changes-%016d.log", generation);
    }

    synchronized StoredDocument load() {
        checkOpen();
        return recover();
    }

    synchronized long append(byte[] change) throws StorageException {
        checkOpen();
        checkSize("change", change);
        if (!recovered) {
            recover();
        }
        if (writesBlockedBecause != null) {
            throw new StorageException(
                    "could not save a change of document " + documentId + ": " + writesBlockedBecause,
                    directory,
                    StorageException.NO_OFFSET,
                    null);
        }
        try {
            openActiveLog();
        } catch (IOException e) {
            abandonActiveLog(-1);
            throw new StorageException(
                    "could not open the change log of document " + documentId + ": " + e.getMessage()
                            + "; the change is not saved",
                    directory,
                    StorageException.NO_OFFSET,
                    e);
        }
        Path file = directory.resolve(logName(generation));
        long sequence = lastSequence + 1;
        long at = activeEnd;
        try {
            FileIo.writeFully(active, RecordFormat.encode(sequence, change), at);
            active.force(false);
        } catch (IOException e) {
            abandonActiveLog(at);
            throw new StorageException(
                    "could not save change " + sequence + " of document " + documentId + ": " + e.getMessage()
                            + "; the change is not saved, retry after fixing the cause",
                    file,
                    at,
                    e);
        }
        activeEnd = at + RecordFormat.RECORD_HEADER_LENGTH + RecordFormat.SEQUENCE_LENGTH + change.length;
        lastSequence = sequence;
        return sequence;
    }

    void compact(byte[] snapshot, long coveredSequence) throws StorageException {
        checkSize("snapshot", snapshot);
        Path target = directory.resolve(SNAPSHOT_FILE);
        Path temp = directory.resolve(SNAPSHOT_FILE + TEMP_SUFFIX);
        compactionLock.lock();
        try {
            synchronized (this) {
                checkOpen();
                if (!recovered) {
                    recover();
                }
                if (writesBlockedBecause != null) {
                    throw new StorageException(
                            "could not save the snapshot of document " + documentId + ": " + writesBlockedBecause,
                            directory,
                            StorageException.NO_OFFSET,
                            null);
                }
                CompactionRule.check(documentId, coveredSequence, snapshotSequence, lastSequence);
                try {
                    io.createDirectoryDurably(directory);
                } catch (IOException e) {
                    throw new StorageException(
                            "could not create the directory of document " + documentId + "; the snapshot is not saved",
                            directory,
                            StorageException.NO_OFFSET,
                            e);
                }
            }
            try {
                io.writeTemp(
                        temp,
                        RecordFormat.fileHeader(RecordFormat.SNAPSHOT_MAGIC),
                        RecordFormat.encode(coveredSequence, snapshot));
            } catch (IOException e) {
                FileIo.deleteQuietly(temp);
                throw new StorageException(
                        "could not write the snapshot of document " + documentId + ": " + e.getMessage()
                                + "; the previous snapshot stays",
                        temp,
                        StorageException.NO_OFFSET,
                        e);
            }
            synchronized (this) {
                checkOpen();
                installSnapshot(temp, target, coveredSequence);
                rotateLog(coveredSequence);
            }
        } finally {
            compactionLock.unlock();
        }
    }

    void delete() throws StorageException {
        compactionLock.lock();
        try {
            synchronized (this) {
                checkOpen();
                closeActiveLog();
                try {
                    if (Files.isDirectory(directory)) {
                        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
                            for (Path file : files) {
                                Files.delete(file);
                            }
                        }
                        Files.delete(directory);
                        io.fsyncDirectory(directory.getParent());
                    }
                } catch (IOException e) {
                    recovered = false;
                    throw new StorageException(
                            "could not delete document " + documentId + ": " + e.getMessage(),
                            directory,
                            StorageException.NO_OFFSET,
                            e);
                }
                resetToEmpty();
            }
        } finally {
            compactionLock.unlock();
        }
    }

    synchronized void close() {
        closed = true;
        closeActiveLog();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(
                    "storage is closed: open a new FileDocumentStorage to use document " + documentId);
        }
    }

    private void checkSize(String what, byte[] bytes) {
        if (bytes.length > io.maxRecordBytes) {
            throw new IllegalArgumentException(what + " of document " + documentId + " must be at most "
                    + io.maxRecordBytes + " bytes (FileDocumentStorage.Builder.maxRecordBytes), was " + bytes.length);
        }
    }

    private void resetToEmpty() {
        recovered = true;
        tempFilesCleaned = true;
        snapshotSequence = 0;
        lastSequence = 0;
        generation = 0;
        needsNewGeneration = false;
        writesBlockedBecause = null;
    }

    // ---- recovery (holding the monitor) ----

    private StoredDocument recover() {
        closeActiveLog();
        recovered = false;
        writesBlockedBecause = null;
        if (!Files.isDirectory(directory)) {
            resetToEmpty();
            return StoredDocument.empty();
        }
        List<StorageProblem> problems = new ArrayList<>();
        if (!tempFilesCleaned) {
            deleteTempFiles();
            tempFilesCleaned = true;
        }
        byte[] snapshot = null;
        long covered = 0;
        Path snapshotFile = directory.resolve(SNAPSHOT_FILE);
        if (Files.exists(snapshotFile)) {
            RecordFormat.Record record = readSnapshot(snapshotFile, problems);
            if (record != null) {
                snapshot = record.data();
                covered = record.sequence();
            }
        }
        TreeMap<Long, RecordFormat.Record> changes = new TreeMap<>();
        Map<Long, Path> origin = new TreeMap<>();
        List<Long> generations = listGenerations(problems);
        boolean newestUsable = true;
        for (long gen : generations) {
            Path file = directory.resolve(logName(gen));
            newestUsable = loadLog(file, changes, origin, problems);
        }
        long highest = changes.isEmpty() ? covered : Math.max(covered, changes.lastKey());
        changes.headMap(covered, true).clear();
        long expected = covered + 1;
        for (RecordFormat.Record record : changes.values()) {
            if (record.sequence() != expected) {
                problems.add(problem(
                        origin.get(record.sequence()),
                        record.offset(),
                        "changes " + expected + " to " + (record.sequence() - 1)
                                + " are missing; the changes after them are loaded"));
            }
            expected = record.sequence() + 1;
        }
        snapshotSequence = covered;
        lastSequence = highest;
        generation = generations.isEmpty() ? 0 : generations.get(generations.size() - 1);
        needsNewGeneration |= !newestUsable;
        recovered = true;
        List<byte[]> data = new ArrayList<>(changes.size());
        changes.values().forEach(record -> data.add(record.data()));
        return new StoredDocument(snapshot, covered, data, highest, problems);
    }

    /** Adds the intact records of one log to {@code changes}; returns whether appends may follow them. */
    private boolean loadLog(
            Path file, Map<Long, RecordFormat.Record> changes, Map<Long, Path> origin, List<StorageProblem> problems) {
        byte[] bytes;
        try {
            bytes = io.readAll(file);
        } catch (IOException e) {
            String moved = moveAside(file);
            if (Files.exists(file)) {
                writesBlockedBecause = "log " + file + " could be neither read nor moved aside, so new changes could"
                        + " reuse its sequence numbers; make it readable or move it away, then load the document again";
            }
            problems.add(problem(file, 0, "log is unreadable (" + e + "); its changes are not loaded" + moved));
            return false;
        }
        RecordFormat.Scan scan = RecordFormat.scan(bytes, RecordFormat.LOG_MAGIC, io.maxRecordBytes, true);
        for (RecordFormat.Record record : scan.records()) {
            if (changes.putIfAbsent(record.sequence(), record) == null) {
                origin.put(record.sequence(), file);
            }
        }
        return scan.problem() == null || cutOff(file, bytes, scan, problems);
    }

    private RecordFormat.Record readSnapshot(Path file, List<StorageProblem> problems) {
        byte[] bytes;
        try {
            bytes = io.readAll(file);
        } catch (IOException e) {
            problems.add(problem(file, 0, "snapshot is unreadable (" + e + ")" + moveAside(file)));
            return null;
        }
        RecordFormat.Scan scan = RecordFormat.scan(bytes, RecordFormat.SNAPSHOT_MAGIC, io.maxRecordBytes, false);
        if (scan.records().isEmpty()) {
            String what = scan.problem() == null ? "snapshot file holds no snapshot record" : scan.problem();
            problems.add(problem(file, scan.validEnd(), what + "; the snapshot is not loaded" + moveAside(file)));
            return null;
        }
        if (scan.records().size() > 1 || scan.problem() != null) {
            problems.add(problem(
                    file,
                    scan.records().get(0).offset()
                            + RecordFormat.RECORD_HEADER_LENGTH
                            + RecordFormat.SEQUENCE_LENGTH
                            + scan.records().get(0).data().length,
                    "unexpected bytes after the snapshot record are ignored"));
        }
        return scan.records().get(0);
    }

    /** Cuts a damaged log back to its intact records; returns whether appends may follow them. */
    private boolean cutOff(Path file, byte[] bytes, RecordFormat.Scan scan, List<StorageProblem> problems) {
        long at = scan.validEnd();
        long lost = bytes.length - at;
        if (at < RecordFormat.FILE_HEADER_LENGTH) {
            problems.add(problem(
                    file,
                    at,
                    scan.problem() + "; none of its " + bytes.length + " bytes are loaded" + moveAside(file)));
            return false;
        }
        Path saved = freeName(file.resolveSibling(file.getFileName() + CORRUPT_SUFFIX + at));
        try {
            io.writeTemp(saved, Arrays.copyOfRange(bytes, (int) at, bytes.length));
            try (FileChannel channel = io.opener.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(at);
                channel.force(true);
            }
            problems.add(problem(
                    file, at, scan.problem() + "; cut off " + lost + " bytes, saved to " + saved.getFileName()));
            return true;
        } catch (IOException e) {
            problems.add(problem(
                    file,
                    at,
                    scan.problem() + "; could not cut off the " + lost + " bytes from there (" + e
                            + "), new changes go to a new log file"));
            return false;
        }
    }

    private String moveAside(Path file) {
        Path aside = freeName(file.resolveSibling(file.getFileName() + CORRUPT_SUFFIX + "0"));
        try {
            Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
            return "; file moved to " + aside.getFileName();
        } catch (IOException e) {
            return "; could not move it aside (" + e + ")";
        }
    }

    private static Path freeName(Path candidate) {
        Path name = candidate;
        for (int i = 1; Files.exists(name); i++) {
            name = candidate.resolveSibling(candidate.getFileName() + "-" + i);
        }
        return name;
    }

    private StorageProblem problem(Path file, long offset, String description) {
        StorageProblem problem = new StorageProblem(file, offset, description);
        LOG.warn("Document {}: recovered with loss: {}", documentId, problem);
        return problem;
    }

    private void deleteTempFiles() {
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(directory, "*" + TEMP_SUFFIX)) {
            for (Path temp : temps) {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            LOG.warn(
                    "Document {}: could not delete leftover temp files in {}: {}", documentId, directory, e.toString());
        }
    }

    private List<Long> listGenerations(List<StorageProblem> problems) {
        List<Long> generations = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "changes-*.log")) {
            for (Path file : files) {
                Matcher name = LOG_NAME.matcher(file.getFileName().toString());
                if (name.matches()) {
                    generations.add(Long.parseLong(name.group(1)));
                }
            }
        } catch (IOException e) {
            problems.add(problem(directory, 0, "directory is unreadable (" + e + "); no changes are loaded"));
            writesBlockedBecause = "directory " + directory + " could not be listed: " + e
                    + "; fix its permissions, then load the document again";
        }
        generations.sort(null);
        return generations;
    }

    // ---- writing (holding the monitor) ----

    private void openActiveLog() throws IOException {
        if (active != null) {
            return;
        }
        if (generation == 0 || needsNewGeneration) {
            io.createDirectoryDurably(directory);
            long next = generation + 1;
            io.replaceAtomically(directory.resolve(logName(next)), RecordFormat.fileHeader(RecordFormat.LOG_MAGIC));
            generation = next;
            needsNewGeneration = false;
        }
        FileChannel channel = io.opener.open(
                directory.resolve(logName(generation)), StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            activeEnd = channel.size();
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        active = channel;
    }

    /**
     * After a failed write or fsync nothing is known about the log's tail, even what reads back
     * (the kernel may have dropped dirty pages): cut the attempt off if possible and never append
     * to this generation again.
     */
    private void abandonActiveLog(long failedAt) {
        if (active != null && failedAt >= 0) {
            try {
                active.truncate(failedAt);
            } catch (IOException ignored) {
                // Recovery cuts a torn record off later; the new generation keeps appends clear of it.
            }
        }
        closeActiveLog();
        needsNewGeneration = true;
        recovered = false;
    }

    private void closeActiveLog() {
        if (active == null) {
            return;
        }
        try {
            active.close();
        } catch (IOException e) {
            LOG.warn("Document {}: could not close change log: {}", documentId, e.toString());
        }
        active = null;
    }

    private void installSnapshot(Path temp, Path target, long coveredSequence) throws StorageException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            io.fsyncDirectory(directory);
        } catch (IOException e) {
            FileIo.deleteQuietly(temp);
            recovered = false;
            throw new StorageException(
                    "could not install the snapshot of document " + documentId + ": " + e.getMessage()
                            + "; the snapshot may not be durable, compact again",
                    target,
                    StorageException.NO_OFFSET,
                    e);
        }
        snapshotSequence = coveredSequence;
    }

    /**
     * Drops the records the durable snapshot covers. A failure here loses nothing (the invariant
     * holds with the old generations in place), so it is logged and retried by the next compaction.
     */
    private void rotateLog(long coveredSequence) {
        closeActiveLog();
        List<StorageProblem> problems = new ArrayList<>();
        List<Long> generations = listGenerations(problems);
        Map<Long, byte[]> kept = new TreeMap<>();
        try {
            for (long gen : generations) {
                Path file = directory.resolve(logName(gen));
                RecordFormat.Scan scan =
                        RecordFormat.scan(io.readAll(file), RecordFormat.LOG_MAGIC, io.maxRecordBytes, true);
                if (scan.problem() != null) {
                    LOG.warn(
                            "Document {}: log {} is damaged at offset {} ({}); it is kept for recovery",
                            documentId,
                            file,
                            scan.validEnd(),
                            scan.problem());
                    recovered = false;
                    return;
                }
                for (RecordFormat.Record record : scan.records()) {
                    if (record.sequence() > coveredSequence) {
                        kept.putIfAbsent(record.sequence(), RecordFormat.encode(record.sequence(), record.data()));
                    }
                }
            }
            if (!problems.isEmpty()) {
                recovered = false;
                return;
            }
            long next = Math.max(generation, generations.isEmpty() ? 0 : generations.get(generations.size() - 1)) + 1;
            List<byte[]> chunks = new ArrayList<>();
            chunks.add(RecordFormat.fileHeader(RecordFormat.LOG_MAGIC));
            chunks.addAll(kept.values());
            io.replaceAtomically(directory.resolve(logName(next)), chunks.toArray(new byte[0][]));
            generation = next;
            needsNewGeneration = false;
            for (long gen : generations) {
                Files.deleteIfExists(directory.resolve(logName(gen)));
            }
            io.fsyncDirectory(directory);
        } catch (IOException e) {
            LOG.warn(
                    "Document {}: snapshot saved, but the change log could not be shortened: {}",
                    documentId,
                    e.toString());
            recovered = false;
        }
    }
}
