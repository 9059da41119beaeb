package dev.ensemble.benchmarks.webrtc;

import java.time.Duration;
import java.util.List;

/**
 * The sizes of one run of the WebRTC suite. Immutable.
 *
 * @param payloadBytes       bytes of each round-trip message
 * @param rttWarmup          round trips per transport before measuring
 * @param rttMeasured        measured round trips per transport
 * @param rttBlocks          blocks the measured round trips are split into; the two transports take
 *                           turns block by block
 * @param openWarmup         fresh peer pairs opened before the measured ones and not counted
 * @param openPairs          fresh peer pairs whose channel open time is measured
 * @param streamMessageBytes message sizes of the throughput streams, each at most 64 KiB
 * @param streamBytes        bytes streamed per transport and message size, measured
 * @param streamBlocks       blocks each stream is split into; the two transports take turns
 * @param deadline           the whole suite is stopped after this long, whatever it is doing
 */
record WebRtcSettings(
        int payloadBytes,
        int rttWarmup,
        int rttMeasured,
        int rttBlocks,
        int openWarmup,
        int openPairs,
        List<Integer> streamMessageBytes,
        int streamBytes,
        int streamBlocks,
        Duration deadline) {

    /** The transports' largest message (both default to 64 KiB). */
    static final int MAX_MESSAGE_BYTES = 64 * 1024;

    WebRtcSettings {
        streamMessageBytes = List.copyOf(streamMessageBytes);
        if (payloadBytes < Integer.BYTES) {
            throw new IllegalArgumentException("round-trip messages must hold a " + Integer.BYTES
                    + "-byte sequence number but are " + payloadBytes + " bytes");
        }
        if (rttBlocks < 1 || rttMeasured < rttBlocks) {
            throw new IllegalArgumentException("measured round trips (" + rttMeasured
                    + ") must be at least the number of blocks (" + rttBlocks + "), which must be >= 1");
        }
        if (openPairs < 1 || openWarmup < 0) {
            throw new IllegalArgumentException(
                    "open pairs must be >= 1 and warm-up pairs >= 0 but are " + openPairs + " and " + openWarmup);
        }
        if (streamBlocks < 1) {
            throw new IllegalArgumentException("stream blocks must be >= 1 but are " + streamBlocks);
        }
        for (int size : streamMessageBytes) {
            if (size < 1 || size > MAX_MESSAGE_BYTES) {
                throw new IllegalArgumentException("stream messages must be 1 to " + MAX_MESSAGE_BYTES
                        + " bytes (a data channel closes above 256 KiB; both transports take 64 KiB) but one is "
                        + size);
            }
            if (streamBytes / size / streamBlocks < 1) {
                throw new IllegalArgumentException("a stream of " + streamBytes + " bytes in " + streamBlocks
                        + " blocks holds no message of " + size + " bytes");
            }
        }
    }

    /** The full suite: 60,000 round trips per transport, 30 fresh pairs, 64 MiB per stream. */
    static WebRtcSettings full() {
        return new WebRtcSettings(
                64, 20_000, 60_000, 10, 2, 30, List.of(16 * 1024, 64 * 1024), 64 << 20, 2, Duration.ofMinutes(10));
    }

    /** A check of the harness: 10,000 round trips per transport, 8 pairs, 16 MiB per stream. */
    static WebRtcSettings quick() {
        return new WebRtcSettings(
                64, 2_000, 10_000, 4, 1, 8, List.of(16 * 1024, 64 * 1024), 16 << 20, 2, Duration.ofMinutes(4));
    }

    /** Messages per measured stream block of {@code size}-byte messages. */
    int messagesPerBlock(int size) {
        return streamBytes / size / streamBlocks;
    }

    /** Messages streamed per transport and size before measuring: an eighth of the volume, at least one. */
    int warmupMessages(int size) {
        return Math.max(1, streamBytes / 8 / size);
    }
}
