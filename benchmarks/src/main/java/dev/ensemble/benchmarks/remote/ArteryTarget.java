package dev.ensemble.benchmarks.remote;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.pattern.Patterns;

/** The comparator: a Pekko actor system here, the {@link PekkoCounter} in a child JVM, over Artery TCP. */
final class ArteryTarget implements CounterTarget {
    private final ChildJvm node;
    private final ActorSystem system;
    private final ActorRef counter;
    private final Duration askTimeout;

    private ArteryTarget(ChildJvm node, ActorSystem system, ActorRef counter, Duration askTimeout) {
        this.node = node;
        this.system = system;
        this.counter = counter;
        this.askTimeout = askTimeout;
    }

    static ArteryTarget open(Duration deadline, Duration askTimeout) throws Exception {
        ChildJvm node =
                ChildJvm.start(NodeMain.class, List.of(Long.toString(deadline.toSeconds()), Connection.ARTERY.label));
        ActorSystem system = Artery.start(0);
        try {
            String path = "pekko://" + Artery.SYSTEM + "@127.0.0.1:" + node.ready(0) + "/user/counter";
            ActorRef counter = system.actorSelection(path)
                    .resolveOne(Duration.ofSeconds(30))
                    .toCompletableFuture()
                    .get();
            return new ArteryTarget(node, system, counter, askTimeout);
        } catch (Exception e) {
            system.terminate();
            node.close();
            throw e;
        }
    }

    @Override
    public void add(int by) {
        counter.tell(by, ActorRef.noSender());
    }

    @Override
    public CompletableFuture<Integer> total() {
        return Patterns.ask(counter, PekkoCounter.TOTAL, askTimeout)
                .toCompletableFuture()
                .thenApply(Integer.class::cast);
    }

    @Override
    public void close() throws Exception {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get();
        node.close();
    }
}
