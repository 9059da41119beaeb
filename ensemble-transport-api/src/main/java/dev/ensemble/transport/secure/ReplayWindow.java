package dev.ensemble.transport.secure;

/**
 * INTERNAL API. The receive side of a session's counters (docs/SECURITY.md, "Data"): a frame's
 * counter must be above the last one accepted (unsigned); a counter that skips values is accepted,
 * the skipped number reported as missing (loss, not forgery). The window has no width: a frame that
 * arrives after a later one is a replay, since the sync engine above repairs any loss.
 *
 * <p>Checked only after the frame authenticates, so that a forged counter cannot move the window.
 *
 * <p>Threading: not thread-safe; one session's received frames are handled by one thread (the inner
 * transport's callback thread).
 */
final class ReplayWindow {

    /** The lowest counter accepted next (unsigned); never wraps, since senders stop at 2^64 − 2. */
    private long next;

    /**
     * Accepts {@code counter} if it is above every counter accepted before.
     *
     * @return how many counters it skipped (0 for the next in line)
     * @throws ReplayException if it is not above the last accepted
     */
    long accept(long counter) throws ReplayException {
        if (Long.compareUnsigned(counter, next) < 0) {
            throw new ReplayException(counter, next);
        }
        long skipped = counter - next;
        next = counter + 1;
        return skipped;
    }

    /** The lowest counter {@link #accept} takes now (unsigned). */
    long next() {
        return next;
    }

    /** A frame that authenticates but was accepted before, or an older one after a newer. */
    static final class ReplayException extends Exception {
        private static final long serialVersionUID = 1L;

        ReplayException(long counter, long expected) {
            super("counter " + Long.toUnsignedString(counter) + " is below the next expected "
                    + Long.toUnsignedString(expected));
        }
    }
}
