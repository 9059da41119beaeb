package dev.ensemble.core.internal.invoke;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * INTERNAL API: the validated methods of an actions interface, each classified as a tell or an ask and bound to
 * its {@link ActionInvoker}. Built once per interface, when an actor with that interface is first
 * registered; immutable afterwards.
 */
public final class ActionTable {
    private static final ClassValue<ActionTable> TABLES = new ClassValue<>() {
        @Override
        protected ActionTable computeValue(Class<?> type) {
            return new ActionTable(type);
        }
    };

    private final Class<?> actions;
    /** Each action by its declaration, mapped to an accessible copy and its kind. */
    private final Map<Method, Action> byMethod;

    /**
     * One action: its {@code Method} (made accessible here, since the proxy hands over its own,
     * possibly inaccessible, copy), whether it is an ask, and what calls it on an instance.
     */
    public record Action(Method method, boolean ask, ActionInvoker invoker) {
        /** @return the action's method name */
        public String name() {
            return method.getName();
        }
    }

    private ActionTable(Class<?> actions) {
        this.actions = actions;
        Map<Method, Action> kinds = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (Method method : actions.getMethods()) {
            if (Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            Class<?> returns = method.getReturnType();
            boolean ask = returns == CompletableFuture.class || returns == CompletionStage.class;
            if (returns != void.class && !ask) {
                problems.add(describe(method) + " returns " + returns.getSimpleName());
                continue;
            }
            try {
                method.setAccessible(true);
                kinds.put(method, new Action(method, ask, ActionInvoker.of(method, ask)));
            } catch (RuntimeException inaccessible) {
                problems.add(describe(method) + " cannot be made accessible (" + inaccessible.getMessage()
                        + "); make the actions interface public or open its package");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("unsupported action signature in " + actions.getName() + ": "
                    + String.join("; ", problems)
                    + " (an action must return void for a tell, or CompletableFuture/CompletionStage for an ask)");
        }
        this.byMethod = Map.copyOf(kinds);
    }

    /**
     * The table of an actions interface, built and validated on first use.
     *
     * @param actions the actions interface
     * @return its table
     * @throws IllegalArgumentException naming every unsupported method
     */
    public static ActionTable of(Class<?> actions) {
        return TABLES.get(actions);
    }

    /** @return every action, sorted by name, then by parameter count (for inspectors) */
    public List<Action> all() {
        List<Action> all = new ArrayList<>(byMethod.values());
        all.sort(java.util.Comparator.comparing(Action::name)
                .thenComparingInt(action -> action.method().getParameterCount())
                .thenComparing(
                        action -> java.util.Arrays.toString(action.method().getParameterTypes())));
        return all;
    }

    /** @return the actions interface */
    public Class<?> actions() {
        return actions;
    }

    /**
     * @param method a method of the actions interface, as a proxy hands it over
     * @return the action declared by {@code method} (any copy of it), or null if it is not one
     */
    public Action lookup(Method method) {
        return byMethod.get(method);
    }

    /**
     * @param method an action
     * @return how errors name it: {@code Interface.method()}
     */
    public static String describe(Method method) {
        return method.getDeclaringClass().getSimpleName() + "." + method.getName() + "()";
    }
}
