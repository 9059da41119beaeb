package dev.ensemble.remote;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.Transport;

/**
 * A slow link for tests: a transport that passes messages of at most {@code maxMessageSize} bytes
 * to the one it wraps at most {@code bytesPerSecond} (refusing a send, as a full transport does,
 * when the budget is spent; the caller retries). Thread-safe.
 */
final class ThrottledTransport extends ForwardingTransport {
    private final int maxMessageSize;
    private final CallRate budget;

    /**
     * @param inner the real transport
     * @param maxMessageSize the message limit reported (at most the inner one's)
     * @param bytesPerSecond how fast bytes may go, with a burst of one message
     */
    ThrottledTransport(Transport inner, int maxMessageSize, int bytesPerSecond) {
        super(inner);
        this.maxMessageSize = maxMessageSize;
        // The call rate's token bucket, one token a byte.
        this.budget = new CallRate(bytesPerSecond, maxMessageSize, System.nanoTime());
    }

    @Override
    public String name() {
        return "throttled-" + inner.name();
    }

    @Override
    public int maxMessageSize() {
        return maxMessageSize;
    }

    @Override
    public boolean send(PeerId to, byte[] message) {
        if (message.length > maxMessageSize) {
            return false;
        }
        if (!budget.tryTake(System.nanoTime(), message.length)) {
            return false;
        }
        return inner.send(to, message);
    }
}
