package dev.ensemble.collab.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;

/** The durable file operations of {@link FileDocumentStorage}, all through one {@link ChannelOpener}. */
final class FileIo {

    private static final boolean DIRECTORY_FSYNC_SUPPORTED =
            !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

    final ChannelOpener opener;
    final int maxRecordBytes;

    FileIo(ChannelOpener opener, int maxRecordBytes) {
        this.opener = opener;
        this.maxRecordBytes = maxRecordBytes;
    }

    byte[] readAll(Path file) throws IOException {
        try (FileChannel channel = opener.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE - 64) {
                throw new IOException("file is " + size + " bytes, more than this reader can hold in memory");
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) size);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, buffer.position()) < 0) {
                    break;
                }
            }
            return buffer.position() == buffer.capacity()
                    ? buffer.array()
                    : Arrays.copyOf(buffer.array(), buffer.position());
        }
    }

    static void writeFully(FileChannel channel, byte[] bytes, long position) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer, position + buffer.position());
        }
    }

    /**
     * Makes {@code target} hold exactly {@code chunks}, durably, with no moment at which a crash
     * leaves it partly written: temp file, fsync, atomic rename, directory fsync.
     */
    void replaceAtomically(Path target, byte[]... chunks) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + DocumentFiles.TEMP_SUFFIX);
        try {
            writeTemp(temp, chunks);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw e;
        }
        fsyncDirectory(target.getParent());
    }

    void writeTemp(Path temp, byte[]... chunks) throws IOException {
        try (FileChannel channel = opener.open(
                temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            long position = 0;
            for (byte[] chunk : chunks) {
                writeFully(channel, chunk, position);
                position += chunk.length;
            }
            channel.force(true);
        }
    }

    /** Makes a directory's entries (created, renamed, deleted files) durable where the OS allows. */
    void fsyncDirectory(Path directory) throws IOException {
        if (!DIRECTORY_FSYNC_SUPPORTED) {
            return;
        }
        try (FileChannel channel = opener.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Creates {@code directory} and its missing parents, each durably linked into its parent. */
    void createDirectoryDurably(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        Path parent = directory.toAbsolutePath().getParent();
        if (parent != null) {
            createDirectoryDurably(parent);
        }
        Files.createDirectories(directory);
        if (parent != null) {
            fsyncDirectory(parent);
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A leftover temp file is harmless: it is deleted when the document is next opened.
        }
    }
}
