package dev.ensemble.benchmarks.relay;

import java.time.Duration;

/**
 * The sizes of one run of the relay suite. Immutable.
 *
 * @param payloadBytes      bytes of payload in every relay frame (the echo comparators send frames of
 *                          the same total size as the relay frame)
 * @param rttWarmup         round trips per comparison before measuring
 * @param rttMeasured       measured round trips per comparison
 * @param rttBlocks         blocks the measured round trips are split into; the comparisons take turns block by block
 * @param fanoutClients     clients of the fan-out and heap benchmarks, four per room
 * @param fanoutRoundsPerSecond how often each client sends one frame to each of its three room mates
 * @param fanoutWarmup      fan-out traffic before measuring
 * @param fanoutMeasured    measured fan-out traffic
 * @param deadline          the whole suite is stopped after this long, whatever it is doing
 */
record RelaySettings(int payloadBytes, int rttWarmup, int rttMeasured, int rttBlocks, int fanoutClients,
        double fanoutRoundsPerSecond, Duration fanoutWarmup, Duration fanoutMeasured, Duration deadline) {

    static final int CLIENTS_PER_ROOM = 4;

    RelaySettings {
        if (fanoutClients < CLIENTS_PER_ROOM || fanoutClients % CLIENTS_PER_ROOM != 0) {
            throw new IllegalArgumentException("fan-out clients must be a positive multiple of " + CLIENTS_PER_ROOM
                    + " (one room per " + CLIENTS_PER_ROOM + ") but is " + fanoutClients);
        }
        if (rttBlocks < 1 || rttMeasured < rttBlocks) {
            throw new IllegalArgumentException("measured round trips (" + rttMeasured
                    + ") must be at least the number of blocks (" + rttBlocks + "), which must be >= 1");
        }
        if (payloadBytes < Long.BYTES) {
            throw new IllegalArgumentException("payload must hold a " + Long.BYTES + "-byte send time but is "
                    + payloadBytes + " bytes");
        }
    }

    /** The full suite: 2,000 clients in 500 rooms. */
    static RelaySettings full() {
        return new RelaySettings(64, 20_000, 60_000, 10, 2_000, 2, Duration.ofSeconds(5), Duration.ofSeconds(20),
                Duration.ofMinutes(10));
    }

    /** A check of the harness: fewer round trips, 400 clients. */
    static RelaySettings quick() {
        return new RelaySettings(64, 3_000, 12_000, 4, 400, 2, Duration.ofSeconds(2), Duration.ofSeconds(5),
                Duration.ofMinutes(4));
    }

    /** Returns these settings with {@code clients} fan-out clients. */
    RelaySettings withFanoutClients(int clients) {
        return new RelaySettings(payloadBytes, rttWarmup, rttMeasured, rttBlocks, clients, fanoutRoundsPerSecond,
                fanoutWarmup, fanoutMeasured, deadline);
    }

    /** Relay frames received per second by the server during fan-out (and sent by it). */
    double fanoutFramesPerSecond() {
        return fanoutClients * (CLIENTS_PER_ROOM - 1) * fanoutRoundsPerSecond;
    }
}
