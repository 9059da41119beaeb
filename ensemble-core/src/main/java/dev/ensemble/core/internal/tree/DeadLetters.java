package dev.ensemble.core.internal.tree;

import dev.ensemble.core.Subscription;
import dev.ensemble.core.bus.DeadLetter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API: the system's dead-letter office: bus messages that found no handler are logged
 * and handed to its listeners, each on the system's callback executor.
 *
 * <p>Threading: thread-safe.
 */
public final class DeadLetters {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final String system;
    private final Executor executor;
    private final List<Consumer<? super DeadLetter>> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param system the system's name, for the log
     * @param executor where listeners run
     */
    public DeadLetters(String system, Executor executor) {
        this.system = system;
        this.executor = executor;
    }

    /**
     * @param listener receives every dead letter
     * @return removes it
     */
    public Subscription subscribe(Consumer<? super DeadLetter> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    void report(DeadLetter letter, String why) {
        LOG.warn(
                "system \"{}\": bus message \"{}\" from {} is a dead letter in namespace {}: {}",
                system,
                letter.message().name(),
                letter.message().sender(),
                letter.namespace(),
                why);
        for (Consumer<? super DeadLetter> listener : listeners) {
            try {
                executor.execute(() -> {
                    try {
                        listener.accept(letter);
                    } catch (RuntimeException failed) {
                        LOG.warn("system \"{}\": a dead-letter listener threw", system, failed);
                    }
                });
            } catch (RejectedExecutionException stopping) {
                return;
            }
        }
    }
}
