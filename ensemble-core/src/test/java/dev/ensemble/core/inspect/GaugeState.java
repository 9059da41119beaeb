package dev.ensemble.core.inspect;

import java.util.List;

/** The test gauge's state. */
public record GaugeState(int value, String label, List<String> tags) {}
