package dev.ensemble.benchmarks.remote;

import java.time.Duration;
import java.util.List;

/**
 * The sizes of one remote suite run.
 *
 * @param warmupTells tells before the measured ones, per measurement
 * @param tells measured tells
 * @param window tells per acknowledging ask
 * @param warmupAsks asks before the measured ones
 * @param asks measured sequential asks
 * @param rounds how often every connection is measured, in turn (the suite reports the median)
 * @param connections what is measured besides Artery
 * @param deadline the whole suite's; its children exit by themselves after it too
 */
record RemoteSettings(
        int warmupTells,
        int tells,
        int window,
        int warmupAsks,
        int asks,
        int rounds,
        List<Connection> connections,
        Duration deadline) {

    RemoteSettings {
        if (window < 1 || tells < window || asks < 1 || rounds < 1) {
            throw new IllegalArgumentException("tells (" + tells + ") must fill at least one window (" + window
                    + "), and asks (" + asks + ") and rounds (" + rounds + ") must be positive");
        }
        connections = List.copyOf(connections);
    }

    /** Every connection; WebRTC only where it can run (the suite drops it elsewhere and says so). */
    static final List<Connection> ALL = List.of(Connection.DIRECT, Connection.RELAY, Connection.WEBRTC);

    static RemoteSettings full() {
        return new RemoteSettings(50_000, 200_000, 1_000, 5_000, 20_000, 3, ALL, Duration.ofMinutes(20));
    }

    static RemoteSettings quick() {
        return new RemoteSettings(5_000, 20_000, 1_000, 500, 2_000, 1, ALL, Duration.ofMinutes(5));
    }

    RemoteSettings withConnections(List<Connection> chosen) {
        return new RemoteSettings(warmupTells, tells, window, warmupAsks, asks, rounds, chosen, deadline);
    }

    RemoteSettings withRounds(int chosen) {
        return new RemoteSettings(warmupTells, tells, window, warmupAsks, asks, chosen, connections, deadline);
    }
}
