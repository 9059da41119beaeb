package dev.ensemble.core.inspect;

/**
 * One attached party's conversation with an {@link Inspector}: requests in, replies and stream
 * events out, each a single-line JSON object of the inspection protocol (docs/SHELL.md,
 * "Protocol"). Whatever carries the lines (a Unix-domain socket, ensemble-remote) owns the
 * session and closes it when the party goes away.
 *
 * <h2>Threading</h2>
 * {@link #request} may be called from any thread, one call at a time. Replies and events reach the
 * sink given to {@link Inspector#open} in the order the protocol promises (a stream's events before
 * its end), one call at a time, possibly on another thread and after {@code request} returned: a
 * trace's events arrive as the traced messages run.
 */
public interface InspectionSession extends AutoCloseable {
    /**
     * Handles one request. A line that is not a valid request is answered with an error reply; it
     * never throws and never ends the session.
     *
     * @param line one JSON object, without its line terminator
     */
    void request(String line);

    /**
     * Ends the session: its traces and watches stop (recording nothing further) and the sink is
     * not called again once this returns. Idempotent.
     */
    @Override
    void close();
}
