/**
 * The piano room's vocabulary: immutable messages players exchange ({@link
 * dev.ensemble.piano.model.NoteEvent}, {@link dev.ensemble.piano.model.PedalEvent}, {@link
 * dev.ensemble.piano.model.BeatEvent}), who plays ({@link dev.ensemble.piano.model.Player}) and the
 * room's shared settings ({@link dev.ensemble.piano.model.RoomSettings}).
 */
package dev.ensemble.piano.model;
