package dev.ensemble.remote;

import dev.ensemble.core.Subscription;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands notifications to one listener on its executor, one at a time and in order, whatever the
 * executor's own ordering (the same contract as a local client's listeners). A listener that
 * throws is logged; the next notification is still delivered.
 */
final class OrderedListener<T> implements Runnable, Subscription {
    private static final Logger LOG = LoggerFactory.getLogger(OrderedListener.class);

    private final String actor;
    private final Executor executor;
    private final Predicate<? super T> filter;
    private final Consumer<? super T> listener;
    private final ConcurrentLinkedQueue<T> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Runnable onCancel;
    private volatile boolean cancelled;

    OrderedListener(
            String actor,
            Executor executor,
            Predicate<? super T> filter,
            Consumer<? super T> listener,
            Runnable onCancel) {
        this.actor = actor;
        this.executor = executor;
        this.filter = filter;
        this.listener = listener;
        this.onCancel = onCancel;
    }

    void deliver(T value) {
        if (cancelled || !filter.test(value)) {
            return;
        }
        pending.offer(value);
        if (draining.compareAndSet(false, true)) {
            try {
                executor.execute(this);
            } catch (RejectedExecutionException e) {
                draining.set(false);
                LOG.debug("listener of remote actor \"{}\" dropped a notification: its executor refused it", actor, e);
            }
        }
    }

    @Override
    public void run() {
        do {
            T value;
            while ((value = pending.poll()) != null) {
                if (cancelled) {
                    pending.clear();
                    break;
                }
                try {
                    listener.accept(value);
                } catch (Throwable e) {
                    LOG.warn("listener of remote actor \"{}\" threw; other listeners are unaffected", actor, e);
                }
            }
            draining.set(false);
        } while (!pending.isEmpty() && draining.compareAndSet(false, true));
    }

    @Override
    public void cancel() {
        if (!cancelled) {
            cancelled = true;
            onCancel.run();
        }
    }
}
