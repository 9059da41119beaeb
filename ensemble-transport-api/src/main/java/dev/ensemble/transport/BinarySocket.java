package dev.ensemble.transport;

import java.net.URI;

/**
 * A client connection that carries whole binary messages to and from one server, such as a
 * WebSocket: the seam through which protocols that are not peer-to-peer (automerge-repo's, for
 * one) reach a network library without knowing it. One instance is one connection attempt; a
 * reconnect is a new {@link Connector#connect}.
 *
 * <h2>Lifecycle</h2>
 * {@code connect} returns at once; then the listener hears {@link Listener#opened()} once the
 * connection is up, any number of {@link Listener#message(byte[])}, and finally exactly one
 * {@link Listener#closed(String)}, also when the connection never opened or was closed by
 * {@link #close()}.
 *
 * <h2>Threading</h2>
 * {@link #send} and {@link #close} are thread-safe and never block. Listener methods are called
 * one at a time, in order, on a thread of the implementation: keep them short (hand the event to
 * an actor's mailbox), do not block, do not throw.
 *
 * <pre>{@code
 * BinarySocket socket = connector.connect(URI.create("ws://127.0.0.1:3030"), new BinarySocket.Listener() {
 *     public void opened() { self.actions().socketOpened(); }
 *     public void message(byte[] frame) { self.actions().socketMessage(frame); }
 *     public void closed(String reason) { self.actions().socketClosed(reason); }
 * });
 * }</pre>
 */
public interface BinarySocket {
    /**
     * Queues one message. Never blocks or throws.
     *
     * @param message the whole message (one frame)
     * @return false if the socket is not open (the message is dropped)
     */
    boolean send(byte[] message);

    /** Closes the connection (gracefully where possible); {@link Listener#closed} follows. */
    void close();

    /** Opens {@link BinarySocket}s; immutable and thread-safe. */
    interface Connector {
        /**
         * Starts connecting; returns at once.
         *
         * @param uri where to connect
         * @param listener hears the connection's events
         * @return the connection
         */
        BinarySocket connect(URI uri, Listener listener);
    }

    /** Hears one connection's events; see the class comment for the threading rules. */
    abstract class Listener {
        /** The connection is up: messages can be sent. */
        public void opened() {}

        /**
         * A message arrived.
         *
         * @param message its bytes, owned by the listener from now on
         */
        public void message(byte[] message) {}

        /**
         * The connection is gone (or never came up); called exactly once, last.
         *
         * @param reason why, for logs and errors
         */
        public void closed(String reason) {}
    }
}
