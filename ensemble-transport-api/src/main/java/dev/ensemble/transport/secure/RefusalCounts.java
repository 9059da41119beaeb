package dev.ensemble.transport.secure;

import java.util.concurrent.atomic.AtomicLong;

/**
 * INTERNAL API. What one {@link SecureTransport} refused and why, and how many sessions formed: the
 * live counts behind {@link SecureTransport#counters()}.
 *
 * <p>Thread-safe: each count is atomic; a snapshot is not taken atomically across counts.
 */
final class RefusalCounts {

    final AtomicLong sessionsEstablished = new AtomicLong();
    final AtomicLong handshakesRejected = new AtomicLong();
    final AtomicLong framesRejected = new AtomicLong();
    final AtomicLong framesReplayed = new AtomicLong();
    final AtomicLong framesMissing = new AtomicLong();
    final AtomicLong framesUnknownSession = new AtomicLong();
    final AtomicLong framesMalformed = new AtomicLong();
    final AtomicLong plaintextRefused = new AtomicLong();

    SecureTransport.Counters snapshot() {
        return new SecureTransport.Counters(
                sessionsEstablished.get(),
                handshakesRejected.get(),
                framesRejected.get(),
                framesReplayed.get(),
                framesMissing.get(),
                framesUnknownSession.get(),
                framesMalformed.get(),
                plaintextRefused.get());
    }
}
