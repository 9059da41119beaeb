package dev.ensemble.core.internal.invoke;

import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaConversionException;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API: calls one action on an actor instance: made once per action when its actions interface is
 * first registered ({@link ActionTable}), then called for every message of that action.
 *
 * <p>Two forms, chosen per action:
 * <ul>
 *   <li><b>Generated</b> (the usual case): a class made by {@link LambdaMetafactory} next to the
 *       actions interface, implementing one of {@link ActionCalls}' shapes. The JIT sees ordinary
 *       interface calls that it can inline down to the actor's method; nothing is looked up or
 *       checked reflectively per message. {@code Method.invoke} cost about a fifth of a
 *       ping-pong message here (docs/BENCHMARKS.md, finding 4).</li>
 *   <li><b>Spread</b>: a {@link MethodHandle} bound once and spread over the argument array, for
 *       actions with more than {@link ActionCalls#MAX_ARITY} arguments, or when ensemble-core may
 *       not define classes in the interface's package (for example a named module that does not
 *       open it, or an interface loaded by another class loader).</li>
 * </ul>
 * Either way, what the action throws reaches the caller unwrapped.
 *
 * <p>Threading: immutable; called from any thread.
 */
public abstract class ActionInvoker {
    private static final Logger LOG = LoggerFactory.getLogger(ActionInvoker.class);
    private static final Class<?>[] TELLS = {
        ActionCalls.Tell0.class,
        ActionCalls.Tell1.class,
        ActionCalls.Tell2.class,
        ActionCalls.Tell3.class,
        ActionCalls.Tell4.class
    };
    private static final Class<?>[] ASKS = {
        ActionCalls.Ask0.class,
        ActionCalls.Ask1.class,
        ActionCalls.Ask2.class,
        ActionCalls.Ask3.class,
        ActionCalls.Ask4.class
    };

    /**
     * Runs the action.
     *
     * @param target the actor instance, which implements the action's interface
     * @param args the proxy's arguments, matching the action's parameters (null when it has none)
     * @return what an ask returned; null for a tell
     * @throws Throwable whatever the action threw
     */
    public abstract Object invoke(Object target, Object[] args) throws Throwable;

    /** @return true for the generated form, false for the method-handle fallback */
    boolean generated() {
        return true;
    }

    /**
     * @param method an action, already made accessible
     * @param ask whether it returns a stage
     */
    static ActionInvoker of(Method method, boolean ask) {
        int arity = method.getParameterCount();
        if (arity <= ActionCalls.MAX_ARITY) {
            try {
                return generated(method, ask, arity);
            } catch (ReflectiveOperationException
                    | LambdaConversionException
                    | RuntimeException
                    | LinkageError cannotGenerate) {
                LOG.debug(
                        "action {} is called through a method handle: no class could be generated for it",
                        ActionTable.describe(method),
                        cannotGenerate);
            }
        }
        return spread(method);
    }

    private static ActionInvoker generated(Method method, boolean ask, int arity)
            throws ReflectiveOperationException, LambdaConversionException {
        Class<?> actions = method.getDeclaringClass();
        MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(actions, MethodHandles.lookup());
        MethodHandle impl = lookup.unreflect(method);
        Class<?>[] erased = new Class<?>[arity + 1];
        Class<?>[] exact = new Class<?>[arity + 1];
        erased[0] = Object.class;
        exact[0] = actions;
        Class<?>[] parameters = method.getParameterTypes();
        for (int i = 0; i < arity; i++) {
            erased[i + 1] = Object.class;
            exact[i + 1] = MethodType.methodType(parameters[i]).wrap().returnType();
        }
        Class<?> shape = (ask ? ASKS : TELLS)[arity];
        MethodType callType = MethodType.methodType(ask ? Object.class : void.class, erased);
        MethodType instantiated = MethodType.methodType(method.getReturnType(), exact);
        CallSite site = LambdaMetafactory.metafactory(
                lookup, "call", MethodType.methodType(shape), callType, impl, instantiated);
        Object call;
        try {
            call = site.getTarget().invoke();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(
                    "the generated caller of " + ActionTable.describe(method) + " could not be made", e);
        }
        return ask ? ask(arity, call) : tell(arity, call);
    }

    private static ActionInvoker tell(int arity, Object call) {
        return switch (arity) {
            case 0 -> new Tell0((ActionCalls.Tell0) call);
            case 1 -> new Tell1((ActionCalls.Tell1) call);
            case 2 -> new Tell2((ActionCalls.Tell2) call);
            case 3 -> new Tell3((ActionCalls.Tell3) call);
            default -> new Tell4((ActionCalls.Tell4) call);
        };
    }

    private static ActionInvoker ask(int arity, Object call) {
        return switch (arity) {
            case 0 -> new Ask0((ActionCalls.Ask0) call);
            case 1 -> new Ask1((ActionCalls.Ask1) call);
            case 2 -> new Ask2((ActionCalls.Ask2) call);
            case 3 -> new Ask3((ActionCalls.Ask3) call);
            default -> new Ask4((ActionCalls.Ask4) call);
        };
    }

    /** The fallback form, for any action; package-private so that tests can reach it directly. */
    static ActionInvoker spread(Method method) {
        try {
            MethodHandle handle = MethodHandles.lookup()
                    .unreflect(method)
                    .asSpreader(Object[].class, method.getParameterCount())
                    .asType(MethodType.methodType(Object.class, Object.class, Object[].class));
            return new Spread(handle);
        } catch (IllegalAccessException e) {
            throw new IllegalArgumentException(
                    ActionTable.describe(method) + " cannot be called (" + e.getMessage()
                            + "); make the actions interface public or open its package",
                    e);
        }
    }

    private static final class Spread extends ActionInvoker {
        private final MethodHandle handle;

        Spread(MethodHandle handle) {
            this.handle = handle;
        }

        @Override
        public Object invoke(Object target, Object[] args) throws Throwable {
            return (Object) handle.invokeExact(target, args);
        }

        @Override
        boolean generated() {
            return false;
        }
    }

    private static final class Tell0 extends ActionInvoker {
        private final ActionCalls.Tell0 call;

        Tell0(ActionCalls.Tell0 call) {
            this.call = call;
        }

        @Override
        public Object invoke(Object target, Object[] args) {
            call.call(target);
            return null;
        }
    }

    private static final class Tell1 extends ActionInvoker {
        private final ActionCalls.Tell1 call;

        Tell1(ActionCalls.Tell1 call) {
            this.call = call;
        }

        @Override
        public Object invoke(Object target, Object[] args) {
            call.call(target, args[0]);
            return null;
        }
    }

    private static final class Tell2 extends ActionInvoker {
        private final ActionCalls.Tell2 call;

        Tell2(ActionCalls.Tell2 call) {
            this.call = call;
        }

        @Override
        public Object invoke(Object target, Object[] args) {
            call.call(target, args[0], args[1]);
            return null;
        }
    }

    private static final class Tell3 extends ActionInvoker {
        private final ActionCalls.Tell3 call;

        Tell3(ActionCalls.Tell3 call) {
            this.call = call;
        }

        @Override
        public Object invoke(Object target, Object[] args) {
            call.call(target, args[0], args[1], args[2]);
            return null;
        }
    }

    private static final class Tell4 extends ActionInvoker {
        private final ActionCalls.Tell4 call;

        Tell4(ActionCalls.Tell4 call) {
            this.call = call;
        }

        @Override
        public Object invoke(Object target, Object[] args) {
            call.call(target, args[0], args[1], args[2], args[3]);
            return null;
        }
    }

    private static final class Ask0 extends ActionInvoker {
        private final ActionCalls.Ask0 call;

        Ask0(ActionCalls.Ask0 call) {
            this.call = call;
        }

        @Override
        public Object invoke(Object target, Object[] args) {
            return call.call(target);
        }
    }

    private static final class Ask1 extends ActionInvoker {
        private final ActionCalls.Ask1 call;

        Ask1(ActionCalls.Ask1 call) {
            this.call = call;
        }

        @Override
        public Object invoke(Object target, Object[] args) {
            return call.call(target, args[0]);
        }
    }

    private static final class Ask2 extends ActionInvoker {
        private final ActionCalls.Ask2 call;

        Ask2(ActionCalls.Ask2 call) {
            this.call = call;
        }

        @Override
        public Object invoke(Object target, Object[] args) {
            return call.call(target, args[0], args[1]);
        }
    }

    private static final class Ask3 extends ActionInvoker {
        private final ActionCalls.Ask3 call;

        Ask3(ActionCalls.Ask3 call) {
            this.call = call;
        }

        @Override
        public Object invoke(Object target, Object[] args) {
            return call.call(target, args[0], args[1], args[2]);
        }
    }

    private static final class Ask4 extends ActionInvoker {
        private final ActionCalls.Ask4 call;

        Ask4(ActionCalls.Ask4 call) {
            this.call = call;
        }

        @Override
        public Object invoke(Object target, Object[] args) {
            return call.call(target, args[0], args[1], args[2], args[3]);
        }
    }
}
