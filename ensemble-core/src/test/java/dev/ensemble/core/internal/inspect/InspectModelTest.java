package dev.ensemble.core.internal.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.core.inspect.InspectableNamespace;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tree of paths, built from supervisors, pools and namespaces without a running system. */
class InspectModelTest {
    @Test
    void buildsSortedChildrenAndFillsMissingParents() {
        InspectedSystem system = new InspectedSystem() {
            @Override
            public String name() {
                return "t";
            }

            @Override
            public List<dev.ensemble.core.internal.cell.ActorCell<?>> cells() {
                return List.of();
            }

            @Override
            public java.util.Collection<String> supervisors() {
                return List.of("/room", "/room/audit");
            }

            @Override
            public java.util.Collection<String> pools() {
                return List.of("/room/readers");
            }

            @Override
            public java.util.concurrent.ScheduledExecutorService timer() {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.time.Duration askTimeout() {
                return java.time.Duration.ofSeconds(1);
            }

            @Override
            public void defaultTap(dev.ensemble.core.internal.cell.CellTap tap) {}
        };
        InspectableNamespace leaf = () -> "leaf";
        InspectModel model = InspectModel.of(system, Map.of("/x/y/z", leaf));
        InspectModel.Node root = model.resolve("/");
        assertEquals(
                List.of("room", "x"),
                root.children().stream().map(InspectModel.Node::name).toList());
        InspectModel.Node room = model.resolve("/room/");
        assertEquals(InspectModel.Kind.SUPERVISOR, room.kind());
        assertEquals(
                List.of("audit", "readers"),
                room.children().stream().map(InspectModel.Node::name).toList());
        assertEquals(InspectModel.Kind.POOL, model.resolve("/room/readers").kind());
        assertEquals(InspectModel.Kind.NAMESPACE, model.resolve("/x/y").kind());
        assertEquals(leaf, model.resolve("/x/y/z").namespace());
        assertEquals(
                "no actor or namespace at /room/nope",
                assertThrows(InspectError.class, () -> model.resolve("/room/nope"))
                        .getMessage());
    }

    @Test
    void underMatchesWholeSegmentsOnly() {
        assertTrue(InspectModel.under("/room/a", "/room"));
        assertTrue(InspectModel.under("/room", "/room"));
        assertTrue(InspectModel.under("/anything", "/"));
        assertFalse(InspectModel.under("/roomy", "/room"));
        assertFalse(InspectModel.under("/roo", "/room"));
    }
}
