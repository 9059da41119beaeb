package dev.ensemble.core.tree;

import dev.ensemble.core.Actor;
import dev.ensemble.core.ActorToken;
import dev.ensemble.core.bus.BusMessage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** A pool replica for tests: every item it handles is counted in a map shared by the replicas. */
final class PoolWorker extends Actor<Integer> implements PoolWorkerActions {
    static final ActorToken<PoolWorkerActions, Integer> TOKEN =
            ActorToken.of("workers", PoolWorkerActions.class, Integer.class);

    private final ConcurrentHashMap<Integer, AtomicInteger> handled;

    private PoolWorker(ConcurrentHashMap<Integer, AtomicInteger> handled) {
        super(0);
        this.handled = handled;
    }

    static Supplier<PoolWorker> factory(ConcurrentHashMap<Integer, AtomicInteger> handled) {
        return () -> new PoolWorker(handled);
    }

    @Override
    public void work(int item) {
        handled.computeIfAbsent(item, k -> new AtomicInteger()).incrementAndGet();
        setState(state() + 1);
    }

    @Override
    public void hold(CountDownLatch release) throws InterruptedException {
        release.await();
    }

    @Override
    public CompletableFuture<String> whoAmI() {
        return reply(name());
    }

    @Override
    public CompletableFuture<String> whoHandles(String key) {
        return reply(name());
    }

    @Override
    public void receive(BusMessage message) {
        work((Integer) message.data());
    }
}
