package dev.ensemble.core.internal.invoke;

/**
 * INTERNAL API: the shapes of the small classes that ensemble-core generates (through
 * {@link java.lang.invoke.LambdaMetafactory}) to call an actor's action without reflection: one
 * interface per arity, for tells (no result) and asks (a result). A generated class lives next to
 * the actions interface it calls, so these interfaces must be public.
 *
 * <p>Threading: implementations are stateless and called from any thread.
 *
 * <pre>{@code
 * // what the runtime does for `void hit(ActorClient<?, ?> from, int remaining)`:
 * ActionCalls.Tell2 hit = ...; // generated once per action, when the actor is registered
 * hit.call(actorInstance, args[0], args[1]);
 * }</pre>
 */
public final class ActionCalls {
    /** The most arguments an action may have to be called through a generated class. */
    public static final int MAX_ARITY = 4;

    private ActionCalls() {}

    /** A tell without arguments. */
    @FunctionalInterface
    public interface Tell0 {
        /**
         * @param target the actor instance
         */
        void call(Object target);
    }

    /** A tell with one argument. */
    @FunctionalInterface
    public interface Tell1 {
        /**
         * @param target the actor instance
         * @param a0 the argument
         */
        void call(Object target, Object a0);
    }

    /** A tell with two arguments. */
    @FunctionalInterface
    public interface Tell2 {
        /**
         * @param target the actor instance
         * @param a0 first
         * @param a1 second
         */
        void call(Object target, Object a0, Object a1);
    }

    /** A tell with three arguments. */
    @FunctionalInterface
    public interface Tell3 {
        /**
         * @param target the actor instance
         * @param a0 first
         * @param a1 second
         * @param a2 third
         */
        void call(Object target, Object a0, Object a1, Object a2);
    }

    /** A tell with four arguments. */
    @FunctionalInterface
    public interface Tell4 {
        /**
         * @param target the actor instance
         * @param a0 first
         * @param a1 second
         * @param a2 third
         * @param a3 fourth
         */
        void call(Object target, Object a0, Object a1, Object a2, Object a3);
    }

    /** An ask without arguments. */
    @FunctionalInterface
    public interface Ask0 {
        /**
         * @param target the actor instance
         * @return the action's stage
         */
        Object call(Object target);
    }

    /** An ask with one argument. */
    @FunctionalInterface
    public interface Ask1 {
        /**
         * @param target the actor instance
         * @param a0 the argument
         * @return the action's stage
         */
        Object call(Object target, Object a0);
    }

    /** An ask with two arguments. */
    @FunctionalInterface
    public interface Ask2 {
        /**
         * @param target the actor instance
         * @param a0 first
         * @param a1 second
         * @return the action's stage
         */
        Object call(Object target, Object a0, Object a1);
    }

    /** An ask with three arguments. */
    @FunctionalInterface
    public interface Ask3 {
        /**
         * @param target the actor instance
         * @param a0 first
         * @param a1 second
         * @param a2 third
         * @return the action's stage
         */
        Object call(Object target, Object a0, Object a1, Object a2);
    }

    /** An ask with four arguments. */
    @FunctionalInterface
    public interface Ask4 {
        /**
         * @param target the actor instance
         * @param a0 first
         * @param a1 second
         * @param a2 third
         * @param a3 fourth
         * @return the action's stage
         */
        Object call(Object target, Object a0, Object a1, Object a2, Object a3);
    }
}
