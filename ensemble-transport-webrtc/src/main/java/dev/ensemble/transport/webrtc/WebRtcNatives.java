package dev.ensemble.transport.webrtc;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.internal.NativeLoader;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's one webrtc-java native library and its one {@code PeerConnectionFactory}.
 *
 * <h2>Why one, and why it is never disposed</h2>
 *
 * The factory owns libwebrtc's network, worker and signaling threads; every peer connection of
 * every {@link WebRtcTransport} in the process is made by it. It is created on first use with a
 * headless audio device module (a factory made without one aborts the JVM on a machine without
 * a sound card: "Failed to initialize the ADM"), and lives until the process exits: disposing a
 * factory while any peer connection it made is still alive crashes the JVM (SIGSEGV), and the
 * transports close their data channels and peer connections themselves.
 *
 * <h2>Its two lines at exit</h2>
 *
 * Once webrtc-java 0.14.0's library is loaded, the process prints "VM attach current thread
 * failed" and "Failed to attach thread N" on its standard output as it exits, whatever was done
 * before: the library holds a global {@code JavaFactory<RtpTransceiverInterface>} whose C++ static
 * destructor runs inside {@code exit()}, after the JVM is gone, and asks to attach its thread to
 * the JVM to release a global reference (seen with gdb; upstream devopvoid/webrtc-java PR #269
 * makes that attempt quiet, in a release not available here). No shutdown order avoids it, since
 * the destructor runs after every Java thread has stopped. A program that must end on its own last
 * line calls {@link #closeStandardOutputForExit()} after it; Maven Surefire reports the lines as a
 * "corrupted channel" dump stream in test runs, which is harmless.
 *
 * <h2>When the natives cannot load</h2>
 *
 * The first use tries once; a failure is remembered, and every later use fails fast with a
 * {@link WebRtcUnavailableException} that says what to do, e.g. for a missing
 * {@code libpulse.so.0}: "install Debian's libpulse0 (apt-get install libpulse0)". An
 * application checks {@link #isAvailable()} and otherwise keeps its peers on the WebSocket relay:
 *
 * <pre>{@code
 * if (WebRtcNatives.isAvailable()) {
 *   transports.add(WebRtcTransport.create(self, signals, WebRtcConfig.defaults()));
 * } else {
 *   log.warn("peers stay on the relay: {}", WebRtcNatives.unavailableReason().orElse(""));
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class WebRtcNatives {

    private static final Logger LOG = LoggerFactory.getLogger(WebRtcNatives.class);
    private static final String LIBRARY = "webrtc-java";
    private static final Object LOCK = new Object();
    /** Guarded by {@link #LOCK}; set once. */
    private static PeerConnectionFactory factory;
    /**
     * Guarded by {@link #LOCK}; kept reachable for the life of the factory that uses it, so that
     * the garbage collector never frees it under libwebrtc.
     */
    private static HeadlessAudioDeviceModule audioModule;
    /** Guarded by {@link #LOCK}; set once when loading failed. */
    private static WebRtcUnavailableException failure;
    /** Set once the native library is in the process (its exit noise is then certain). */
    private static volatile boolean libraryLoaded;

    private WebRtcNatives() {}

    /**
     * Loads the natives and creates the factory if that has not been tried yet, and tells whether
     * WebRTC can run. Never throws.
     *
     * @return whether WebRTC can be used in this process
     */
    public static boolean isAvailable() {
        try {
            factory();
            return true;
        } catch (WebRtcUnavailableException e) {
            return false;
        }
    }

    /**
     * Returns why WebRTC is unavailable, after a failed attempt.
     *
     * @return the reason with what to do, or empty if WebRTC loaded or was not tried yet
     */
    public static java.util.Optional<String> unavailableReason() {
        synchronized (LOCK) {
            return java.util.Optional.ofNullable(failure).map(Throwable::getMessage);
        }
    }

    /**
     * Returns the process's factory, creating it on first use.
     *
     * @throws WebRtcUnavailableException if the natives cannot load
     */
    static PeerConnectionFactory factory() {
        synchronized (LOCK) {
            if (factory != null) {
                return factory;
            }
            if (failure != null) {
                throw new WebRtcUnavailableException(failure.getMessage(), failure.getCause());
            }
            long started = System.nanoTime();
            try {
                NativeLoader.loadLibrary(LIBRARY);
                libraryLoaded = true;
                audioModule = new HeadlessAudioDeviceModule();
                factory = new PeerConnectionFactory(audioModule);
            } catch (Exception | LinkageError e) {
                failure = explain(e);
                LOG.error("WebRTC unavailable: {}", failure.getMessage(), e);
                throw new WebRtcUnavailableException(failure.getMessage(), e);
            }
            LOG.info(
                    "webrtc-java natives loaded and factory created in {} ms",
                    (System.nanoTime() - started) / 1_000_000);
            return factory;
        }
    }

    /**
     * Ends the program's standard output so that the native library's two lines at exit (see the
     * class comment) are not printed: flushes and closes {@code System.out}, which makes the JDK
     * point file descriptor 1 at {@code /dev/null} (it never really closes descriptors 0 to 2, so
     * no file opened later can take their place). Does nothing if the library was never loaded.
     *
     * <p>Call it from the program's main thread after its last line of output, right before the
     * program exits; anything printed to {@code System.out} afterwards is discarded. Standard
     * error is left alone. Thread-safe.
     *
     * <pre>{@code
     * out.println(summary);
     * WebRtcNatives.closeStandardOutputForExit();
     * System.exit(0);
     * }</pre>
     */
    public static void closeStandardOutputForExit() {
        if (libraryLoaded) {
            System.out.flush();
            System.out.close();
        }
    }

    /** Turns a loading failure into an error that says what to do. */
    static WebRtcUnavailableException explain(Throwable error) {
        String detail = rootMessage(error);
        if (detail.contains("libpulse")) {
            return new WebRtcUnavailableException(
                    "WebRTC is unavailable: webrtc-java's native library"
                            + " needs PulseAudio's client library libpulse.so.0, which is missing (" + detail
                            + "); install Debian's libpulse0 (apt-get install libpulse0). Peers keep using the"
                            + " WebSocket relay.",
                    error);
        }
        return new WebRtcUnavailableException(
                "WebRTC is unavailable: loading webrtc-java's native"
                        + " library failed (" + detail + "); it needs Linux x86-64 with glibc >= 2.18 and the"
                        + " webrtc-java 'linux-x86_64' classifier jar on the class path. Peers keep using the"
                        + " WebSocket relay.",
                error);
    }

    private static String rootMessage(Throwable error) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                all.append(all.length() == 0 ? "" : ": ").append(t.getMessage());
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return all.length() == 0 ? error.getClass().getName() : all.toString();
    }
}
