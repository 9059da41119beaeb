package dev.ensemble.remote;

import java.util.List;

/** A registered value type with nested generic fields. */
public record Note(String name, int velocity, List<Integer> chord) {}
