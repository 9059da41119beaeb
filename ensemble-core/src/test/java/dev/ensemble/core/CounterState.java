package dev.ensemble.core;

import java.util.List;

/** The test counter's state: a count and a log. */
record CounterState(long count, List<String> log) {
    CounterState append(String entry) {
        List<String> next = new java.util.ArrayList<>(log);
        next.add(entry);
        return new CounterState(count, List.copyOf(next));
    }
}
