package dev.ensemble.remote;

/**
 * The test counter's state.
 *
 * @param total the sum of increments
 * @param recorded how many {@code record} calls arrived
 * @param last the last recorded number
 * @param outOfOrder how many recorded numbers were not above the previous one
 */
public record Tally(int total, int recorded, int last, int outOfOrder) {
    static final Tally ZERO = new Tally(0, 0, 0, 0);
}
