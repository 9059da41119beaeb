package dev.ensemble.collab.view;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** Counter arithmetic on view nodes: a counter is a scalar holding a long, as a full decode reads it. */
final class Counters {
    private Counters() {}

    static Scalar add(Node counter, long by) {
        if (!(counter instanceof Scalar scalar) || !scalar.value().canConvertToLong()) {
            throw new ViewMismatchException("an increment of " + counter + ", which is not a counter");
        }
        return new Scalar(JsonNodeFactory.instance.numberNode(scalar.value().longValue() + by));
    }
}
