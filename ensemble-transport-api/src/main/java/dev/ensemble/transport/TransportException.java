package dev.ensemble.transport;

import java.util.Optional;

/**
 * A failure inside a transport that its listener should know about: a connection that failed, a
 * peer that misbehaved, a library error. Transports wrap the exceptions of the libraries they
 * use in this type so that the layer above sees one type with a readable message.
 *
 * <p>Reported through {@link TransportListener#onError(TransportException)}; never thrown from
 * {@link Transport#send(PeerId, byte[])}.
 */
public class TransportException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient PeerId peer;

    /**
     * Creates an error that concerns one peer, or none.
     *
     * @param peer the peer it concerns, or {@code null} when it concerns the whole transport
     * @param message what went wrong, naming the rule and the value seen
     * @param cause the underlying failure, or {@code null}
     */
    public TransportException(PeerId peer, String message, Throwable cause) {
        super(message, cause);
        this.peer = peer;
    }

    /**
     * Returns the peer this error concerns.
     *
     * @return the peer, or empty when the error concerns the whole transport
     */
    public Optional<PeerId> peer() {
        return Optional.ofNullable(peer);
    }
}
