package dev.ensemble.core.supervision;

import dev.ensemble.core.bus.RoutingTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A supervisor of a tree: a namespace that starts its children in order, stops them in reverse,
 * restarts them by its {@link RestartStrategy} within its own intensity, and routes the bus
 * messages its children publish.
 *
 * <p>Its {@code limits} are a {@link SupervisorStrategy}: at most {@code maxRestarts} restarts
 * within {@code within}, each waiting the strategy's backoff. One failure more and the
 * supervisor gives up: it ends its children and escalates to its own supervisor, which counts
 * that as a failure of one child (and restarts the whole subtree by its own strategy). A
 * supervisor directly under the system's root that gives up stops its subtree for good; the
 * system's other actors keep running.
 *
 * <pre>{@code
 * SupervisorSpec.of("piano", RestartStrategy.ONE_FOR_ALL)
 *     .withLimits(SupervisorStrategy.restart().withLimit(3, Duration.ofSeconds(10)))
 *     .child(WorkerSpec.of(ROSTER, Roster::new))
 *     .child(WorkerSpec.of(PRESENCE, Presence::new).dependsOn(ROSTER).handling("peer-joined"))
 *     .withRoutes(RoutingTable.empty().forward("note-played", "/recorder", "record"))
 * }</pre>
 *
 * <p>Thread-safe: immutable; {@code with} methods return copies.
 *
 * @param name its name, one segment of its children's paths
 * @param strategy which children a failure restarts
 * @param limits its intensity and backoff; {@link SupervisorStrategy#stop()} restarts nothing
 * @param children in start order
 * @param routes where the bus messages published into this namespace go, besides the children
 *     that declare they handle them
 */
public record SupervisorSpec(
        String name, RestartStrategy strategy, SupervisorStrategy limits, List<ChildSpec> children, RoutingTable routes)
        implements ChildSpec {

    /** OTP's default intensity for a supervisor: 1 restart in 5 seconds. */
    public static final SupervisorStrategy DEFAULT_LIMITS = SupervisorStrategy.restart();

    /**
     * Copies the children.
     *
     * @param name not null
     * @param strategy not null
     * @param limits not null
     * @param children not null
     * @param routes not null
     */
    public SupervisorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(routes, "routes");
        children = List.copyOf(children);
    }

    /**
     * @param name its name
     * @param strategy its restart strategy
     * @return a supervisor with no children, OTP's default intensity and no routes
     */
    public static SupervisorSpec of(String name, RestartStrategy strategy) {
        return new SupervisorSpec(name, strategy, DEFAULT_LIMITS, List.of(), RoutingTable.empty());
    }

    /**
     * @param child started after the children added before it
     * @return a copy
     */
    public SupervisorSpec child(ChildSpec child) {
        List<ChildSpec> more = new ArrayList<>(children);
        more.add(Objects.requireNonNull(child, "child"));
        return new SupervisorSpec(name, strategy, limits, more, routes);
    }

    /**
     * @param limits its intensity and backoff
     * @return a copy
     */
    public SupervisorSpec withLimits(SupervisorStrategy limits) {
        return new SupervisorSpec(name, strategy, limits, children, routes);
    }

    /**
     * @param maxRestarts restarts allowed within the window
     * @param within the window
     * @return a copy with this intensity and the current backoff
     */
    public SupervisorSpec withIntensity(int maxRestarts, Duration within) {
        return withLimits(limits.withLimit(maxRestarts, within));
    }

    /**
     * @param routes its routing table
     * @return a copy
     */
    public SupervisorSpec withRoutes(RoutingTable routes) {
        return new SupervisorSpec(name, strategy, limits, children, routes);
    }
}
