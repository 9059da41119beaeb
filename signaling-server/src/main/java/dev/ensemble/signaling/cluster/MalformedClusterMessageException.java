package dev.ensemble.signaling.cluster;

/** INTERNAL API. A message on a Redis channel that {@link ClusterCodec} cannot read; the message says why. */
public final class MalformedClusterMessageException extends Exception {

    private static final long serialVersionUID = 1L;

    MalformedClusterMessageException(String message) {
        super(message);
    }
}
