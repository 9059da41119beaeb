package dev.ensemble.core.inspect;

import dev.ensemble.testkit.Await;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A bare client of an {@link InspectionServer} over a JDK {@link SocketChannel}, non-blocking so
 * that every wait has a deadline ({@link Await}).
 */
final class InspectionServerTestClient implements AutoCloseable {
    private final SocketChannel channel;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private long bytesRead;
    private boolean ended;

    private InspectionServerTestClient(SocketChannel channel) {
        this.channel = channel;
    }

    static InspectionServerTestClient connect(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        channel.configureBlocking(false);
        return new InspectionServerTestClient(channel);
    }

    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes every byte, waiting (bounded) while the server's receive buffer is full. */
    void send(byte[] bytes) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(bytes);
        Await.until("the server takes " + bytes.length + " bytes", () -> {
            try {
                channel.write(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return !out.hasRemaining();
        });
    }

    /** @return the next line, without its terminator */
    String readLine() {
        return Await.value("a line from the server", () -> {
            String line = takeLine();
            if (line == null) {
                fill();
                line = takeLine();
            }
            if (line == null && ended) {
                throw new AssertionError("the server closed the connection; unread: " + pending);
            }
            return line;
        });
    }

    /** Waits until the server closes the connection, reading and dropping whatever comes first. */
    void awaitEnd() {
        Await.until("the server closes the connection", () -> {
            if (fill() < 0) {
                ended = true;
            }
            pending.reset();
            return ended;
        });
    }

    /** @return every byte received so far */
    long bytesRead() {
        return bytesRead;
    }

    /** Reads what is there without waiting; -1 at the end of the stream. */
    private int fill() {
        if (ended) {
            return -1;
        }
        try {
            int total = 0;
            while (true) {
                buffer.clear();
                int n = channel.read(buffer);
                if (n < 0) {
                    ended = true;
                    return -1;
                }
                if (n == 0) {
                    return total;
                }
                pending.write(buffer.array(), 0, n);
                bytesRead += n;
                total += n;
            }
        } catch (IOException e) {
            ended = true; // reset by the server: the same as an end for these tests
            return -1;
        }
    }

    private String takeLine() {
        byte[] bytes = pending.toByteArray();
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                String line = new String(bytes, 0, i, StandardCharsets.UTF_8);
                pending.reset();
                pending.write(bytes, i + 1, bytes.length - i - 1);
                return line;
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
