package dev.ensemble.transport.ws.direct;

import dev.ensemble.transport.OwnerThread;
import dev.ensemble.transport.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. The nodes a {@link DirectTransport} dials, and their attempts: one attempt at a time
 * per node, a new one after the backoff whenever an attempt fails or its connection ends, until the
 * transport stops running. A dial whose connection a newer one with the same node replaced rests
 * until that node is lost, then dials again. Owner thread only.
 */
final class Dialer {
    private static final Logger log = LoggerFactory.getLogger(Dialer.class);

    private final DirectTransportConfig config;
    private final OwnerThread owner;
    private final Events events;
    private final BooleanSupplier running;
    private final Consumer<Connection> attemptStarted;
    private final String self;
    private final List<DialState> dials = new ArrayList<>();

    /**
     * @param running whether the transport runs; no attempt starts once it does not
     * @param attemptStarted told of each attempt's connection before it connects (to track it and
     *     time its handshake)
     */
    Dialer(
            DirectTransportConfig config,
            OwnerThread owner,
            Events events,
            BooleanSupplier running,
            Consumer<Connection> attemptStarted) {
        this.config = config;
        this.owner = owner;
        this.events = events;
        this.running = running;
        this.attemptStarted = attemptStarted;
        this.self = config.identity().peerId().shortForm();
    }

    /** Starts dialing a node now. */
    void add(DirectTransportConfig.Dial dial) {
        if (!running.getAsBoolean()) {
            return;
        }
        DialState state = new DialState(dial);
        dials.add(state);
        connect(state);
    }

    /** A dialed connection was verified: its node's backoff starts over. */
    void verified(Connection connection) {
        if (connection.dialed()) {
            connection.dial.failures = 0;
        }
    }

    /**
     * A newer verified connection with {@code peer} replaced {@code older}: if that was a dial's
     * attempt, the dial rests until the node is lost (see {@link #lost}), or it would never reconnect.
     */
    void replaced(Connection older, PeerId peer) {
        if (older.dialed() && older.dial.current == older) {
            older.dial.current = null;
            older.dial.restingFor = peer;
        }
    }

    /** A connection ended (refused, failed or closed): its dial, if it was the current attempt, tries again. */
    void ended(Connection connection) {
        if (connection.dialed() && connection.dial.current == connection) {
            connection.dial.current = null;
            redial(connection.dial);
        }
    }

    /** A verified node's connection is gone: the dials that rested on it dial again. */
    void lost(PeerId peer) {
        for (DialState dial : dials) {
            if (peer.equals(dial.restingFor)) {
                dial.restingFor = null;
                redial(dial);
            }
        }
    }

    /** Cancels every waiting attempt; the transport closes the open ones. */
    void shutDown() {
        for (DialState dial : dials) {
            if (dial.timer != null) {
                dial.timer.cancel(false);
                dial.timer = null;
            }
        }
    }

    private void connect(DialState dial) {
        dial.timer = null;
        if (!running.getAsBoolean()) {
            return;
        }
        dial.attempts++;
        DirectClient client =
                new DirectClient(dial.dial.uri(), dial, config.maxMessageSize(), config.handshakeTimeout(), events);
        Connection connection = client.connection;
        dial.current = connection;
        attemptStarted.accept(connection);
        log.debug("dialing {} (attempt {}, {})", dial.dial.uri(), dial.attempts, self);
        client.connect();
    }

    private void redial(DialState dial) {
        if (dial.current != null || dial.timer != null || !running.getAsBoolean()) {
            return;
        }
        dial.failures++;
        Duration delay = config.backoff().delay(dial.failures);
        log.debug("dialing {} again in {} ms ({})", dial.dial.uri(), delay.toMillis(), self);
        dial.timer = owner.schedule(delay, () -> connect(dial));
    }
}
