package dev.ensemble.remote;

import dev.ensemble.transport.PeerId;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Who may do what with one exposed actor: tell, ask, read its state, see its events. Nodes are
 * named by their {@link PeerId} (did:key), which the transport has verified. {@link #none()}
 * allows nothing; each {@code allow} returns a copy that allows more.
 *
 * <pre>{@code
 * AccessPolicy policy = AccessPolicy.none()
 *     .allow(Permission.TELL, alice, bob)         // these two may send increments
 *     .allowEveryone(Permission.ASK, Permission.READ_STATE);
 * remote.expose(COUNTER, policy);
 * }</pre>
 *
 * <p>A call the policy refuses never reaches the actor: the caller gets {@link
 * RemoteCallException.Reason#UNAUTHORIZED}. Immutable and thread-safe.
 */
public final class AccessPolicy {
    /** What a node may do with an exposed actor. */
    public enum Permission {
        /** Call its {@code void} actions. */
        TELL,
        /** Call its actions that return a future. */
        ASK,
        /** Subscribe to its state. */
        READ_STATE,
        /** Subscribe to its events. */
        EVENTS
    }

    private static final AccessPolicy NONE = new AccessPolicy(EnumSet.noneOf(Permission.class), Map.of());

    private final Set<Permission> everyone;
    private final Map<Permission, Set<PeerId>> nodes;

    private AccessPolicy(Set<Permission> everyone, Map<Permission, Set<PeerId>> nodes) {
        this.everyone = everyone;
        this.nodes = nodes;
    }

    /** @return a policy that allows nothing */
    public static AccessPolicy none() {
        return NONE;
    }

    /**
     * @param permissions what every connected node may do
     * @return a policy that allows exactly that to everyone
     */
    public static AccessPolicy everyone(Permission... permissions) {
        return NONE.allowEveryone(permissions);
    }

    /**
     * @param permissions more that every connected node may do
     * @return a copy that also allows them
     */
    public AccessPolicy allowEveryone(Permission... permissions) {
        EnumSet<Permission> more = everyone.isEmpty() ? EnumSet.noneOf(Permission.class) : EnumSet.copyOf(everyone);
        for (Permission permission : permissions) {
            more.add(Objects.requireNonNull(permission, "permission"));
        }
        return new AccessPolicy(more, nodes);
    }

    /**
     * @param permission what to allow
     * @param allowed the nodes allowed to do it
     * @return a copy that also allows it to them
     */
    public AccessPolicy allow(Permission permission, PeerId... allowed) {
        Objects.requireNonNull(permission, "permission");
        Map<Permission, Set<PeerId>> more = new EnumMap<>(Permission.class);
        more.putAll(nodes);
        Set<PeerId> set = new HashSet<>(nodes.getOrDefault(permission, Set.of()));
        for (PeerId node : allowed) {
            set.add(Objects.requireNonNull(node, "node"));
        }
        more.put(permission, Set.copyOf(set));
        return new AccessPolicy(everyone, Map.copyOf(more));
    }

    /**
     * @param node a connected node
     * @param permission what it wants to do
     * @return whether this policy allows it
     */
    public boolean permits(PeerId node, Permission permission) {
        return everyone.contains(permission)
                || nodes.getOrDefault(permission, Set.of()).contains(node);
    }

    /**
     * @param node a connected node
     * @return whether this policy allows it anything at all; such a node may watch the actor (be
     *     told when it stops)
     */
    public boolean permitsAny(PeerId node) {
        for (Permission permission : Permission.values()) {
            if (permits(node, permission)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "AccessPolicy[everyone=" + everyone + ", nodes=" + nodes + "]";
    }
}
