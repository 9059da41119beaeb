package dev.ensemble.remote.inspect;

import dev.ensemble.core.inspect.InspectionAccess;
import dev.ensemble.transport.PeerId;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which did:keys may inspect this node, and with what access. {@link #none()} grants nothing (the
 * default: nobody may attach); each {@code grant} returns a copy that grants more. A node granted
 * both keeps the higher access.
 *
 * <pre>{@code
 * InspectionGrants grants = InspectionGrants.none()
 *     .grant(InspectionAccess.READ, alice, bob)      // may look
 *     .grant(InspectionAccess.WRITE, operator);      // may also send and switch history
 * RemoteInspection.serve(remote, system.inspector(), grants);
 * }</pre>
 *
 * <p>Any {@code Function<PeerId, Optional<InspectionAccess>>} serves as grants too (say, one that
 * reads a file). Immutable and thread-safe.
 */
public final class InspectionGrants implements Function<PeerId, Optional<InspectionAccess>> {
    private static final InspectionGrants NONE = new InspectionGrants(Map.of());

    private final Map<PeerId, InspectionAccess> granted;

    private InspectionGrants(Map<PeerId, InspectionAccess> granted) {
        this.granted = granted;
    }

    /** @return grants for nobody */
    public static InspectionGrants none() {
        return NONE;
    }

    /**
     * @param access what they may do
     * @param nodes the did:keys granted it
     * @return a copy that also grants them {@code access} (or keeps a higher one they have)
     */
    public InspectionGrants grant(InspectionAccess access, PeerId... nodes) {
        Objects.requireNonNull(access, "access");
        Map<PeerId, InspectionAccess> more = new HashMap<>(granted);
        for (PeerId node : nodes) {
            more.merge(Objects.requireNonNull(node, "node"), access, (a, b) -> a.compareTo(b) >= 0 ? a : b);
        }
        return new InspectionGrants(Map.copyOf(more));
    }

    /**
     * @param node a verified did:key
     * @return its access, or empty if it may not inspect
     */
    @Override
    public Optional<InspectionAccess> apply(PeerId node) {
        return Optional.ofNullable(granted.get(node));
    }

    @Override
    public String toString() {
        return "InspectionGrants" + granted;
    }
}
