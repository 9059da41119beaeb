package dev.ensemble.shell;

import dev.ensemble.core.inspect.InspectionSession;
import java.util.function.Consumer;

/**
 * The shell's transport seam: a way to reach an inspected process. An attachment is the same pair
 * the inspected side uses ({@link dev.ensemble.core.inspect.Inspector#open}): an {@link
 * InspectionSession} that takes the shell's request lines, and a sink that receives the process's
 * lines (the {@code hello} first, then replies and events). The local Unix-domain socket is {@link
 * LocalSocketAttacher}; the remote attach through ensemble-remote plugs in at {@link
 * Attachers#remote}.
 *
 * <p>Threading: {@code lines} and {@code disconnected} are called from the attachment's own thread,
 * one call at a time; {@code disconnected} is called once, last, when the connection ends for any
 * reason other than the shell closing the session.
 */
public interface Attacher {
    /**
     * Connects.
     *
     * @param lines receives each line of the process, without its terminator
     * @param disconnected told once why the connection ended (e.g. "the process closed the
     *     connection"), unless the shell closed it
     * @return the session to send requests through; closing it disconnects
     * @throws AttachException if the process cannot be reached
     */
    InspectionSession attach(Consumer<String> lines, Consumer<String> disconnected) throws AttachException;

    /**
     * @return what this attaches to, for messages (e.g. the socket's path)
     */
    String describe();
}
