package dev.ensemble.testkit.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * INTERNAL API
 *
 * <p>A file a child process writes one of its streams to, read as it grows: the bytes read so far
 * are split into complete lines and a tail not yet ended by {@code '\n'}. Only the new bytes are
 * read on each call. Lines are decoded as UTF-8 one by one, which is safe because {@code '\n'}
 * never occurs inside a multi-byte UTF-8 sequence.
 *
 * <p>Thread-safe: every method holds this object's lock.
 */
final class OutputFile {

    private final Path path;
    /** Guarded by {@code this}. */
    private final List<String> lines = new ArrayList<>();
    /** Guarded by {@code this}: the bytes after the last {@code '\n'}. */
    private final ByteArrayOutputStream tail = new ByteArrayOutputStream();
    /** Guarded by {@code this}: how many bytes of the file have been read. */
    private long read;

    OutputFile(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    /** @return the complete lines written so far */
    synchronized List<String> lines() {
        catchUp();
        return List.copyOf(lines);
    }

    /** @return everything written so far, the unfinished last line included */
    synchronized String text() {
        catchUp();
        StringBuilder text = new StringBuilder();
        lines.forEach(line -> text.append(line).append('\n'));
        return text.append(tail.toString(StandardCharsets.UTF_8)).toString();
    }

    private void catchUp() {
        if (!Files.exists(path)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            channel.position(read);
            for (int n = channel.read(buffer); n > 0; n = channel.read(buffer)) {
                read += n;
                buffer.flip();
                while (buffer.hasRemaining()) {
                    byte b = buffer.get();
                    if (b == '\n') {
                        lines.add(tail.toString(StandardCharsets.UTF_8));
                        tail.reset();
                    } else {
                        tail.write(b);
                    }
                }
                buffer.clear();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
