package dev.ensemble.transport.ws.direct;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * INTERNAL API. Which accepted connections may start the handshake: at most {@code max} in the
 * handshake at once, and at most {@code maxPerAddress} of them from one IP address, so that idle
 * connections can exhaust neither the node nor, from one address, the others' share. A connection
 * counts from {@link #admit} until {@link #release} (verified, refused or closed). Owner thread only.
 */
final class HandshakeAdmission {
    private final int max;
    private final int maxPerAddress;
    private int pending;
    /** Connections in the handshake per address they came from; no entry at zero. */
    private final Map<InetAddress, Integer> pendingPerAddress = new HashMap<>();

    HandshakeAdmission(int max, int maxPerAddress) {
        this.max = max;
        this.maxPerAddress = maxPerAddress;
    }

    /**
     * Counts an accepted connection as in the handshake, or says why it may not start one.
     *
     * @return {@code null} if admitted, else the reason for refusing it (for the listener and, cut,
     *     the close frame; the limit comes first so that the cut keeps it)
     */
    String admit(Connection connection) {
        if (pending >= max) {
            return "refused a connection from " + connection.where + ": " + pending
                    + " connections are in the handshake already (maxPendingHandshakes " + max + "); try again later";
        }
        int fromThere = connection.address == null ? 0 : pendingFrom(connection.address);
        if (fromThere >= maxPerAddress) {
            return "refused " + connection.where + ": maxPendingHandshakesPerAddress " + maxPerAddress + " reached ("
                    + fromThere + " from that address in the handshake); try again later";
        }
        pending++;
        if (connection.address != null) {
            pendingPerAddress.merge(connection.address, 1, Integer::sum);
        }
        connection.countedPending = true;
        return null;
    }

    /** Ends the connection's count, if it has one; safe to call again. */
    void release(Connection connection) {
        if (!connection.countedPending) {
            return;
        }
        connection.countedPending = false;
        pending--;
        if (connection.address != null) {
            pendingPerAddress.computeIfPresent(connection.address, (address, count) -> count > 1 ? count - 1 : null);
        }
    }

    /** Connections in the handshake now. */
    int pending() {
        return pending;
    }

    /** Connections from {@code address} in the handshake now. */
    int pendingFrom(InetAddress address) {
        return pendingPerAddress.getOrDefault(address, 0);
    }

    /** Addresses with a connection in the handshake now. */
    int addresses() {
        return pendingPerAddress.size();
    }
}
