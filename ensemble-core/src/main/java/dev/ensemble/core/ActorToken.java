package dev.ensemble.core;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The typed name of an actor in an {@link ActorSystem}: what it is called, which actions
 * interface it offers and what type its state has.
 *
 * <p>Tokens are values: declare each one once, as a constant, and use it to register the actor,
 * to declare dependencies and to look up its {@link ActorClient}. Two tokens are equal when
 * their names are equal; a system holds at most one actor per name.
 *
 * <pre>{@code
 * static final ActorToken<CounterActions, Integer> COUNTER =
 *     ActorToken.of("counter", CounterActions.class, Integer.class);
 * }</pre>
 *
 * <p>Thread-safe: immutable.
 *
 * @param <A> the actions interface the actor implements
 * @param <S> the type of the actor's state
 */
public final class ActorToken<A, S> {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    private final String name;
    private final Class<A> actions;
    private final Class<S> stateType;

    private ActorToken(String name, Class<A> actions, Class<S> stateType) {
        this.name = name;
        this.actions = actions;
        this.stateType = stateType;
    }

    /**
     * Creates a token.
     *
     * @param name a name unique within its system: 1 to 128 characters of letters, digits,
     *     {@code . _ : -}, starting with a letter or digit
     * @param actions the actions interface; must be an interface
     * @param stateType the class of the state values
     * @param <A> the actions interface
     * @param <S> the state type
     * @return the token
     * @throws IllegalArgumentException if the name is malformed or {@code actions} is not an interface
     */
    public static <A, S> ActorToken<A, S> of(String name, Class<A> actions, Class<S> stateType) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(actions, "actions");
        Objects.requireNonNull(stateType, "stateType");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("actor name must be 1-128 characters of letters, digits"
                    + " and . _ : - starting with a letter or digit, but was \"" + name + "\"");
        }
        if (!actions.isInterface()) {
            throw new IllegalArgumentException(
                    "actions of actor \"" + name + "\" must be an interface, but " + actions.getName() + " is a class");
        }
        return new ActorToken<>(name, actions, stateType);
    }

    /** @return the actor's name, unique within its system */
    public String name() {
        return name;
    }

    /** @return the actions interface */
    public Class<A> actions() {
        return actions;
    }

    /** @return the class of the actor's state */
    public Class<S> stateType() {
        return stateType;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ActorToken<?, ?> other && other.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name + "<" + actions.getSimpleName() + ", " + stateType.getSimpleName() + ">";
    }
}
