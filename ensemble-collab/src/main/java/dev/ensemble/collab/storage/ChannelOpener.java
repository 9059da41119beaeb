package dev.ensemble.collab.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * Opens every channel {@link FileDocumentStorage} reads, writes or fsyncs through: the seam where
 * tests inject write and fsync failures into otherwise real files.
 */
@FunctionalInterface
interface ChannelOpener {

    ChannelOpener DEFAULT = FileChannel::open;

    FileChannel open(Path path, OpenOption... options) throws IOException;
}
