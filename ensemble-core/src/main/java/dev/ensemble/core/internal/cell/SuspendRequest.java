package dev.ensemble.core.internal.cell;

import java.util.concurrent.CompletableFuture;

/** A supervisor's request that an actor end its instance because a sibling failed. */
record SuspendRequest(Throwable cause, CompletableFuture<Void> done) {}
