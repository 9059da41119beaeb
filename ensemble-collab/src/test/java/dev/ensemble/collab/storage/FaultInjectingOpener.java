package dev.ensemble.collab.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens real files, but fails chosen operations with an {@link IOException}, the way a full disk
 * or a failing device does: writes reach the real file only when not failed.
 */
final class FaultInjectingOpener implements ChannelOpener {

    enum Operation {
        OPEN,
        READ,
        WRITE,
        FORCE,
        TRUNCATE
    }

    /** Decides whether an operation on a file fails. */
    @FunctionalInterface
    interface Fault {
        boolean fails(Path file, Operation operation);
    }

    private volatile Fault fault = (file, operation) -> false;
    private volatile Path redirectFrom;
    private volatile Path redirectTo;
    private volatile boolean fired;
    private final AtomicInteger operations = new AtomicInteger();

    /** Opens {@code to} whenever {@code from} is opened, e.g. {@code /dev/full} for a real ENOSPC. */
    void redirect(Path from, Path to) {
        this.redirectTo = to;
        this.redirectFrom = from;
    }

    /** @return whether an injected failure has been thrown since the last {@link #failNthOperation} */
    boolean fired() {
        return fired;
    }

    void failWhen(Fault fault) {
        this.fault = fault;
    }

    void heal() {
        this.fault = (file, operation) -> false;
        this.redirectFrom = null;
    }

    /** Fails the {@code n}-th operation (1-based) from now on, of any kind and file, and only that one. */
    void failNthOperation(int n) {
        int target = operations.get() + n;
        fired = false;
        this.fault = (file, operation) -> operations.get() == target;
    }

    private void check(Path file, Operation operation) throws IOException {
        operations.incrementAndGet();
        if (fault.fails(file, operation)) {
            fired = true;
            throw new IOException(
                    "injected " + operation + " failure on " + file.getFileName() + " (No space left on device)");
        }
    }

    @Override
    public FileChannel open(Path path, OpenOption... options) throws IOException {
        check(path, Operation.OPEN);
        Path target = path.equals(redirectFrom) ? redirectTo : path;
        return new Channel(path, FileChannel.open(target, options));
    }

    private final class Channel extends FileChannel {
        private final Path path;
        private final FileChannel delegate;

        Channel(Path path, FileChannel delegate) {
            this.path = path;
            this.delegate = delegate;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            check(path, Operation.READ);
            return delegate.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            check(path, Operation.READ);
            return delegate.read(dsts, offset, length);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            check(path, Operation.READ);
            return delegate.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            check(path, Operation.WRITE);
            return delegate.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            check(path, Operation.WRITE);
            return delegate.write(srcs, offset, length);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            check(path, Operation.WRITE);
            return delegate.write(src, position);
        }

        @Override
        public long position() throws IOException {
            return delegate.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            delegate.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return delegate.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            check(path, Operation.TRUNCATE);
            delegate.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            check(path, Operation.FORCE);
            delegate.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            check(path, Operation.READ);
            return delegate.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            check(path, Operation.WRITE);
            return delegate.transferFrom(src, position, count);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            throw new IOException("map is not used by the storage");
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return delegate.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return delegate.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            delegate.close();
        }
    }
}
