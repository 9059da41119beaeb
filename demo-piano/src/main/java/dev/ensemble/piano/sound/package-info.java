/**
 * Sound: the {@link dev.ensemble.piano.sound.SoundEngine} actor owns a MIDI output (the JDK's
 * Gervill synthesizer on the default audio device, or {@link
 * dev.ensemble.piano.sound.SoundOutput#silent silence} when there is none), and can record what it
 * plays to render it later into a WAV file with {@link dev.ensemble.piano.sound.WavRenderer}.
 */
package dev.ensemble.piano.sound;
