package dev.ensemble.benchmarks.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;

/** Ping-pong pairs of {@link PekkoPlayer}s on Pekko's default dispatcher. */
final class PekkoPingPong implements PingPong {
    private final PekkoHost host = new PekkoHost("pingpong");
    private final Rally rally = new Rally();
    private final List<ActorRef<PekkoPlayer.Ball>> servers = new ArrayList<>();
    private final List<ActorRef<PekkoPlayer.Ball>> receivers = new ArrayList<>();

    PekkoPingPong(int pairs) {
        for (int i = 0; i < pairs; i++) {
            servers.add(host.spawn(PekkoPlayer.create(rally), "server-" + i));
            receivers.add(host.spawn(PekkoPlayer.create(rally), "receiver-" + i));
        }
    }

    @Override
    public void play(int hitsPerPair) throws InterruptedException, TimeoutException {
        rally.begin(servers.size());
        for (int i = 0; i < servers.size(); i++) {
            servers.get(i).tell(new PekkoPlayer.Ball(receivers.get(i), hitsPerPair - 1));
        }
        rally.await(ROUND_TIMEOUT, "pekko ping-pong");
    }

    @Override
    public void close() {
        host.close();
    }
}
