package dev.ensemble.transport.ws.direct;

import dev.ensemble.transport.PeerId;
import java.util.concurrent.Future;

/** INTERNAL API. A node this transport dials, and its attempts; owned by the transport's owner thread. */
final class DialState {
    final DirectTransportConfig.Dial dial;
    int attempts;
    int failures;
    Connection current;
    Future<?> timer;
    /** The node whose newer connection replaced this dial's; the dial resumes when that node is lost. */
    PeerId restingFor;

    DialState(DirectTransportConfig.Dial dial) {
        this.dial = dial;
    }
}
