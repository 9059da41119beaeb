package dev.ensemble.core.internal.cell;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers notifications to a listener on an executor, one at a time and in order, whatever the
 * executor's own ordering: notifications queue here and one drain task runs them.
 */
final class ExecutorListener<T> implements Listener<T>, Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorListener.class);

    private final String actor;
    private final Executor executor;
    private final Predicate<? super T> filter;
    private final Consumer<? super T> listener;
    private final ConcurrentLinkedQueue<T> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile boolean cancelled;

    ExecutorListener(String actor, Executor executor, Predicate<? super T> filter, Consumer<? super T> listener) {
        this.actor = actor;
        this.executor = executor;
        this.filter = filter;
        this.listener = listener;
    }

    @Override
    public void deliver(T value) {
        if (cancelled || !filter.test(value)) {
            return;
        }
        pending.offer(value);
        if (draining.compareAndSet(false, true)) {
            try {
                executor.execute(this);
            } catch (RejectedExecutionException e) {
                draining.set(false);
                LOG.debug("listener of actor \"{}\" dropped a notification: its executor refused it", actor, e);
            } catch (RuntimeException e) {
                draining.set(false);
                LOG.warn("listener of actor \"{}\" dropped a notification: its executor threw", actor, e);
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
                    LOG.warn("listener of actor \"{}\" threw; other listeners are unaffected", actor, e);
                }
            }
            draining.set(false);
        } while (!pending.isEmpty() && draining.compareAndSet(false, true));
    }

    @Override
    public void cancel() {
        cancelled = true;
    }
}
