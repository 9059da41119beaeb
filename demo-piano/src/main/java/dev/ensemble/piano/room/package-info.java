/**
 * The seam between the piano and the network: {@link dev.ensemble.piano.room.PianoRoom} (send
 * ephemeral messages to everyone, hear theirs, presence, shared settings) and its in-process
 * implementation {@link dev.ensemble.piano.room.LocalRoomHub}, which connects any number of
 * players in one JVM with an optional simulated latency.
 */
package dev.ensemble.piano.room;
