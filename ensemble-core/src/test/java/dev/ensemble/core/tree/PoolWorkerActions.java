package dev.ensemble.core.tree;

import dev.ensemble.core.bus.BusReceiver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/** A pool replica for tests: counts the work items it handles, can be held on a latch. */
public interface PoolWorkerActions extends BusReceiver {
    void work(int item);

    void hold(CountDownLatch release) throws InterruptedException;

    CompletableFuture<String> whoAmI();

    CompletableFuture<String> whoHandles(String key);
}
