package dev.ensemble.benchmarks.core;

import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorProps;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorToken;
import dev.ensemble.core.inspect.InspectionAccess;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Ping-pong pairs of {@link EnsemblePlayer}s on the shared pool with default settings; optionally with
 * the system's local inspection socket open (nobody attached), for {@link InspectRace}.
 */
final class EnsemblePingPong implements PingPong {
    private final ActorSystem system;
    private final Rally rally = new Rally();
    private final List<ActorClient<BallActions, Void>> servers = new ArrayList<>();
    private final List<ActorClient<BallActions, Void>> receivers = new ArrayList<>();

    EnsemblePingPong(int pairs) {
        this(pairs, null);
    }

    /**
     * @param pairs how many pairs play at once
     * @param inspect the access of the system's inspection socket ({@code ActorSystem.Builder.inspect}),
     *     or null for none
     */
    EnsemblePingPong(int pairs, InspectionAccess inspect) {
        system = ActorSystem.builder(inspect == null ? "pingpong" : "pingpong-inspected")
                .inspect(inspect)
                .start();
        if (inspect != null && system.inspectionSocket().isEmpty()) {
            throw new IllegalStateException("the inspection socket did not open; see the log");
        }
        for (int i = 0; i < pairs; i++) {
            servers.add(system.spawn(
                    ActorToken.of("server-" + i, BallActions.class, Void.class),
                    () -> new EnsemblePlayer(rally),
                    ActorProps.defaults()));
            receivers.add(system.spawn(
                    ActorToken.of("receiver-" + i, BallActions.class, Void.class),
                    () -> new EnsemblePlayer(rally),
                    ActorProps.defaults()));
        }
    }

    @Override
    public void play(int hitsPerPair) throws InterruptedException, TimeoutException {
        rally.begin(servers.size());
        for (int i = 0; i < servers.size(); i++) {
            servers.get(i).actions().hit(receivers.get(i), hitsPerPair - 1);
        }
        rally.await(ROUND_TIMEOUT, "ensemble ping-pong");
    }

    @Override
    public void close() {
        system.close();
    }
}
