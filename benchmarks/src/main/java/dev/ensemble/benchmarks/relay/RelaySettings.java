package dev.ensemble.benchmarks.relay;

import dev.ensemble.signaling.server.SignalingServerConfig;
import java.time.Duration;
import java.util.List;

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
 * @param benchmarks        which to run: {@value #ROUND_TRIPS}, {@value #FAN_OUT} (with the heap per
 *                          connection), {@value #SEALED} (transport round trips, bare against sealed)
 *                          or {@value #ALL}
 * @param serverIdleTimeout the signaling server's idle timeout, which is also its keep-alive ping period
 */
record RelaySettings(
        int payloadBytes,
        int rttWarmup,
        int rttMeasured,
        int rttBlocks,
        int fanoutClients,
        double fanoutRoundsPerSecond,
        Duration fanoutWarmup,
        Duration fanoutMeasured,
        Duration deadline,
        String benchmarks,
        Duration serverIdleTimeout) {

    static final String ROUND_TRIPS = "rtt";
    static final String FAN_OUT = "fanout";
    static final String ALL = "all";
    static final String SEALED = "sealed";

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
        if (!List.of(ROUND_TRIPS, FAN_OUT, SEALED, ALL).contains(benchmarks)) {
            throw new IllegalArgumentException("benchmarks must be '" + ROUND_TRIPS + "', '" + FAN_OUT + "', '" + SEALED
                    + "' or '" + ALL + "' but is '" + benchmarks + "'");
        }
        if (!(fanoutRoundsPerSecond > 0)) {
            throw new IllegalArgumentException(
                    "the fan-out rate must be above 0 but is " + fanoutRoundsPerSecond + " rounds/s");
        }
        if (payloadBytes < Long.BYTES) {
            throw new IllegalArgumentException(
                    "payload must hold a " + Long.BYTES + "-byte send time but is " + payloadBytes + " bytes");
        }
    }

    /** The full suite: 2,000 clients in 500 rooms, 3,000 frames/s (each pair of mates every 2 s). */
    static RelaySettings full() {
        return new RelaySettings(
                64,
                20_000,
                60_000,
                10,
                2_000,
                0.5,
                Duration.ofSeconds(5),
                Duration.ofSeconds(20),
                Duration.ofMinutes(10),
                ALL,
                SignalingServerConfig.DEFAULT_IDLE_TIMEOUT);
    }

    /** A check of the harness: fewer round trips, 400 clients. */
    static RelaySettings quick() {
        return new RelaySettings(
                64,
                3_000,
                12_000,
                4,
                400,
                2,
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                Duration.ofMinutes(4),
                ALL,
                SignalingServerConfig.DEFAULT_IDLE_TIMEOUT);
    }

    /** Returns these settings with {@code clients} fan-out clients, at the same rate per client. */
    RelaySettings withFanoutClients(int clients) {
        return new RelaySettings(
                payloadBytes,
                rttWarmup,
                rttMeasured,
                rttBlocks,
                clients,
                fanoutRoundsPerSecond,
                fanoutWarmup,
                fanoutMeasured,
                deadline,
                benchmarks,
                serverIdleTimeout);
    }

    /** Returns these settings with the fan-out sending {@code framesPerSecond} frames in all. */
    RelaySettings withFanoutFramesPerSecond(double framesPerSecond) {
        return new RelaySettings(
                payloadBytes,
                rttWarmup,
                rttMeasured,
                rttBlocks,
                fanoutClients,
                framesPerSecond / (fanoutClients * (CLIENTS_PER_ROOM - 1)),
                fanoutWarmup,
                fanoutMeasured,
                deadline,
                benchmarks,
                serverIdleTimeout);
    }

    /** Returns these settings running only {@code which}. */
    RelaySettings only(String which) {
        return new RelaySettings(
                payloadBytes,
                rttWarmup,
                rttMeasured,
                rttBlocks,
                fanoutClients,
                fanoutRoundsPerSecond,
                fanoutWarmup,
                fanoutMeasured,
                deadline,
                which,
                serverIdleTimeout);
    }

    /** Returns these settings with the signaling server's idle timeout (and keep-alive period) set. */
    RelaySettings withServerIdleTimeout(Duration idleTimeout) {
        return new RelaySettings(
                payloadBytes,
                rttWarmup,
                rttMeasured,
                rttBlocks,
                fanoutClients,
                fanoutRoundsPerSecond,
                fanoutWarmup,
                fanoutMeasured,
                deadline,
                benchmarks,
                idleTimeout);
    }

    boolean runRoundTrips() {
        return benchmarks.equals(ROUND_TRIPS) || benchmarks.equals(ALL);
    }

    boolean runFanOut() {
        return benchmarks.equals(FAN_OUT) || benchmarks.equals(ALL);
    }

    /** The transport-level round trips, bare against end-to-end sessions (issue 17). */
    boolean runSealed() {
        return benchmarks.equals(SEALED) || benchmarks.equals(ALL);
    }

    /** Relay frames received per second by the server during fan-out (and sent by it). */
    double fanoutFramesPerSecond() {
        return fanoutClients * (CLIENTS_PER_ROOM - 1) * fanoutRoundsPerSecond;
    }
}
