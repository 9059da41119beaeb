/**
 * INTERNAL API: the action interfaces of {@link dev.ensemble.piano.room.NetworkPianoRoom}'s actors,
 * public only because actor proxies need public interfaces. Not for use outside demo-piano.
 */
package dev.ensemble.piano.room.internal;
