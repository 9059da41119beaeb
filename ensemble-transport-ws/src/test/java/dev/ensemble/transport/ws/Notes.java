package dev.ensemble.transport.ws;

import java.util.List;

/** The view of the test document: lines added by the peers. */
public record Notes(List<String> lines) {
    static final Notes EMPTY = new Notes(List.of());
}
