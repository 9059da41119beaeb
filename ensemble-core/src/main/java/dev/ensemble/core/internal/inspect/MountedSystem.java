package dev.ensemble.core.internal.inspect;

import dev.ensemble.core.inspect.InspectableNamespace;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * INTERNAL API: another system's inspector mounted into this one's tree at {@link #prefix()}: its
 * actors, supervisors, pools and namespaces appear under that path, and requests about them are
 * answered from its cells as if they were this system's. At the mount point itself it is a
 * read-only namespace (kind {@code namespace}, type {@code ActorSystem}) whose state names the
 * system.
 *
 * @param prefix the absolute path it is mounted at (not the root)
 * @param engine the mounted system's inspector
 */
record MountedSystem(String prefix, InspectorEngine engine) implements InspectableNamespace {
    /** The type the mount point shows in {@code ls -l} and {@code cat}. */
    static final String TYPE = "ActorSystem";

    @Override
    public String name() {
        return prefix.substring(prefix.lastIndexOf('/') + 1);
    }

    @Override
    public String summary() {
        int actors = engine.system().cells().size();
        return "actor system \"" + engine.system().name() + "\", " + actors + (actors == 1 ? " actor" : " actors");
    }

    @Override
    public Object state() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("system", engine.system().name());
        state.put("actors", engine.system().cells().size());
        return state;
    }

    /** @return the path inside the mounted system of an outer path at or under {@link #prefix()} */
    String inner(String outer) {
        return outer.length() == prefix.length() ? "/" : outer.substring(prefix.length());
    }
}
