package dev.ensemble.core.internal.dispatch;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * INTERNAL API: what a {@link Dispatcher} runs, an actor with work, together with the guarantee
 * that it never runs on two threads at once. Whoever gives it work calls {@link #claim()}; only
 * the caller that claimed it hands it to its dispatcher, and the run ends with
 * {@link #release()}. Until then every other claim fails, and its caller can rely on the
 * running thread to see the work it added.
 *
 * <p>Threading: {@link #claim()} from any thread; {@link #run()} and {@link #release()} on the
 * thread the dispatcher runs it on. The volatile write in {@code release()} publishes the run's
 * writes to the thread of the next run, which claimed it afterwards.
 */
public abstract class Dispatchable implements Runnable {
    private static final VarHandle SCHEDULED;

    static {
        try {
            SCHEDULED = MethodHandles.lookup().findVarHandle(Dispatchable.class, "scheduled", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** 1 while handed to a dispatcher or running; the one-runner guarantee. */
    @SuppressWarnings("unused")
    private volatile int scheduled;

    /**
     * Takes the right to run this; the caller must then hand it to its dispatcher (or run it).
     *
     * @return true if this call took the right, false if it is already scheduled or running
     */
    protected final boolean claim() {
        return (int) SCHEDULED.compareAndExchange(this, 0, 1) == 0;
    }

    /** Gives the right back at the end of a run; the next {@link #claim()} may succeed. */
    protected final void release() {
        SCHEDULED.setVolatile(this, 0);
    }

    /** Runs a batch of work. Called by a dispatcher only, between a claim and its release. */
    @Override
    public abstract void run();
}
