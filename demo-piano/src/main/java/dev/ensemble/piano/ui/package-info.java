/**
 * The Swing window: {@link dev.ensemble.piano.ui.PianoApp} opens it. The logic that needs no
 * display lives in plain classes tested headless: {@link dev.ensemble.piano.ui.ComputerKeyboard}
 * (which computer key plays which note) and {@link dev.ensemble.piano.ui.KeyboardLayout} (where
 * each piano key is drawn and how hard a click plays it). All Swing runs on the event dispatch
 * thread; actor state reaches it through {@code withCallbackExecutor(SwingUtilities::invokeLater)}.
 */
package dev.ensemble.piano.ui;
