package dev.ensemble.transport.webrtc;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The part of an open peer link that any thread may touch: the count of bytes accepted by
 * {@code send} and not yet handed to the data channel. One gate per time a link is up; a send
 * through a gate of an earlier episode is dropped by the owner.
 */
final class SendGate {

    private final long limit;
    /** Written by senders (reserve) and the owner thread (release). */
    private final AtomicLong queued = new AtomicLong();

    SendGate(long limit) {
        this.limit = limit;
    }

    boolean reserve(int bytes) {
        while (true) {
            long now = queued.get();
            if (now + bytes > limit) {
                return false;
            }
            if (queued.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    void release(long bytes) {
        queued.addAndGet(-bytes);
    }

    int queued() {
        return (int) Math.min(Integer.MAX_VALUE, queued.get());
    }
}
