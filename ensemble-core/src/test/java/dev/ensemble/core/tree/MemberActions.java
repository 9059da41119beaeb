package dev.ensemble.core.tree;

import dev.ensemble.core.bus.BusReceiver;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The actions of a test actor of a tree: it crashes on demand, publishes, and keeps what it received. */
public interface MemberActions extends BusReceiver {
    void crash(String why);

    void publishMessage(String name, Object data);

    CompletableFuture<List<String>> received();

    void block(java.util.concurrent.CountDownLatch release) throws InterruptedException;
}
