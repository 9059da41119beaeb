package dev.ensemble.signaling.server;

/**
 * A token-bucket rate: up to {@code burst} messages at once, refilled at {@code perSecond} messages per
 * second. Written {@code "perSecond/burst"} on the command line, for example {@code "200/400"}.
 * Immutable.
 *
 * <pre>{@code
 * SignalingServerConfig.builder().signalRate(new RateLimit(200, 500));
 * }</pre>
 *
 * @param perSecond sustained messages per second, at least 1
 * @param burst     bucket size, at least 1
 */
public record RateLimit(int perSecond, int burst) {

    /** Validates. */
    public RateLimit {
        if (perSecond < 1 || burst < 1) {
            throw new IllegalArgumentException(
                    "a rate limit needs perSecond >= 1 and burst >= 1 but is " + perSecond + "/" + burst);
        }
    }

    /**
     * Parses {@code "perSecond/burst"} or {@code "perSecond"} (burst = twice the rate).
     *
     * @throws IllegalArgumentException naming the expected form and the value seen
     */
    public static RateLimit parse(String text) {
        String[] parts = text.trim().split("/", -1);
        try {
            if (parts.length == 1) {
                int rate = Integer.parseInt(parts[0].trim());
                return new RateLimit(rate, Math.max(1, rate * 2));
            }
            if (parts.length == 2) {
                return new RateLimit(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            }
        } catch (NumberFormatException e) {
            // falls through to the error below, which names the expected form
        }
        throw new IllegalArgumentException(
                "a rate limit must be written 'perSecond/burst' (for example '200/400') " + "but is '" + text + "'");
    }

    @Override
    public String toString() {
        return perSecond + "/" + burst;
    }
}
