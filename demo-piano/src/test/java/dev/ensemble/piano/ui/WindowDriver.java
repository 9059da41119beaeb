package dev.ensemble.piano.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ensemble.piano.cli.Main;
import dev.ensemble.piano.model.TransportKind;
import dev.ensemble.piano.session.PeerView;
import dev.ensemble.piano.session.PianoState;
import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.net.NetNamespace;
import java.awt.Color;
import java.awt.Component;
import java.awt.Container;
import java.awt.Frame;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.event.InputEvent;
import java.awt.event.KeyEvent;
import java.awt.event.WindowEvent;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageIO;
import javax.swing.SwingUtilities;
import javax.swing.text.JTextComponent;

/**
 * Plays the real piano window on a display (Xvfb in {@code WindowUnderXvfbTest}), in a JVM of its
 * own: opens it through {@link Main} joined to a network room, waits for the word {@code go} on
 * standard input (the test's headless peer lists this player), then presses computer keys with
 * {@link Robot} and checks on the screen that the keys light up in this player's colour, and that
 * the peer's held keys show in the peer's colour. Writes what it saw as JSON lines to the
 * {@code --log-events} file, saves a screenshot, releases the keys and closes the window (which
 * leaves the room and ends the JVM).
 *
 * <pre>
 * java -cp ... dev.ensemble.piano.ui.WindowDriver --name Ada --log-events ada.jsonl \
 *     --server ws://127.0.0.1:PORT --room R --screenshot room.png --peer-keys 69,72
 * </pre>
 */
public final class WindowDriver {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PianoWindow window;
    private final Robot robot;
    private final BufferedWriter log;

    private WindowDriver(PianoWindow window, Robot robot, BufferedWriter log) {
        this.window = window;
        this.robot = robot;
        this.log = log;
    }

    public static void main(String[] args) {
        try {
            drive(args);
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
            // The window's event thread would keep the JVM alive.
            System.exit(1);
        }
    }

    private static void drive(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        List<String> mainArgs = new ArrayList<>(List.of(
                "--server", options.get("--server"), "--room", options.get("--room"), "--name", options.get("--name")));
        if (!NetNamespace.inside()) {
            // Outside the CI's namespace, WebRTC would find this machine's external address: keep to 127.0.0.1.
            mainArgs.add("--relay-only");
        }
        int code = Main.run(mainArgs.toArray(String[]::new), System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
        PianoWindow window = onEdt(() -> {
            for (Frame frame : Frame.getFrames()) {
                if (frame instanceof PianoWindow piano && piano.isShowing()) {
                    return piano;
                }
            }
            throw new IllegalStateException("Main opened no piano window");
        });
        try (BufferedWriter log =
                Files.newBufferedWriter(Path.of(options.get("--log-events")), StandardCharsets.UTF_8)) {
            new WindowDriver(window, new Robot(), log)
                    .play(
                            Path.of(options.get("--screenshot")),
                            options.get("--peer-keys").split(","));
        }
        System.out.println("driver: closing the window");
        System.out.flush();
        SwingUtilities.invokeLater(() -> window.dispatchEvent(new WindowEvent(window, WindowEvent.WINDOW_CLOSING)));
    }

    private void play(Path screenshot, String[] peerKeys) throws Exception {
        await("the peer is in the players list", () -> state().players().size() == 2);
        int mine = state().self().colorRgb();
        int peers = state().players().stream()
                .filter(v -> !v.self())
                .map(PeerView::player)
                .findFirst()
                .orElseThrow()
                .colorRgb();
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String go = stdin.readLine();
        if (!"go".equals(go)) {
            throw new IllegalStateException("expected \"go\" from the test, got " + go);
        }
        Point corner = onEdt(window::getLocationOnScreen);
        robot.mouseMove(corner.x + window.getWidth() / 2, corner.y + window.getHeight() - 10);
        robot.mousePress(InputEvent.BUTTON1_DOWN_MASK);
        robot.mouseRelease(InputEvent.BUTTON1_DOWN_MASK);
        await("the window has the keyboard focus", () -> onEdtQuietly(window::isFocused));

        pressAndSee(KeyEvent.VK_A, 60, mine);
        pressAndSee(KeyEvent.VK_E, 63, mine);
        pressAndSee(KeyEvent.VK_G, 67, mine);
        for (String key : peerKeys) {
            int note = Integer.parseInt(key);
            await("the peer's key " + note + " shows in the peer's colour", () -> pixel(note) == peers);
            write("lit", note, peers, "peer");
        }
        String typedInto = onEdt(() -> textFields(window).stream()
                .map(JTextComponent::getText)
                .filter(text -> !text.matches("\\d+"))
                .findFirst()
                .orElse(null));
        if (typedInto != null) {
            throw new IllegalStateException(
                    "a piano key's letter reached a text field of the window: \"" + typedInto + "\"");
        }
        await(
                "the players list shows how the peer is reached",
                () -> state().players().stream()
                        .filter(v -> !v.self())
                        .allMatch(v -> v.player().transport() == TransportKind.WEBRTC
                                || v.player().transport() == TransportKind.RELAY));
        ImageIO.write(
                robot.createScreenCapture(onEdt(() -> new Rectangle(window.getLocationOnScreen(), window.getSize()))),
                "png",
                screenshot.toFile());
        for (int[] key : new int[][] {{KeyEvent.VK_A, 60}, {KeyEvent.VK_E, 63}, {KeyEvent.VK_G, 67}}) {
            robot.keyRelease(key[0]);
            int white = KeyboardLayout.isBlack(key[1]) ? Color.BLACK.getRGB() & 0xFFFFFF : 0xFFFFFF;
            await("key " + key[1] + " goes dark again", () -> pixel(key[1]) == white);
            write("unlit", key[1], white, "self");
        }
    }

    private static List<JTextComponent> textFields(Container container) {
        List<JTextComponent> fields = new ArrayList<>();
        for (Component child : container.getComponents()) {
            if (child instanceof JTextComponent field) {
                fields.add(field);
            } else if (child instanceof Container inner) {
                fields.addAll(textFields(inner));
            }
        }
        return fields;
    }

    private void pressAndSee(int keyCode, int note, int colour) throws IOException {
        robot.keyPress(keyCode);
        await("key " + note + " lights up in this player's colour on the screen", () -> pixel(note) == colour);
        Integer inState = state().litKeys().get(note);
        if (inState == null || inState != colour) {
            throw new IllegalStateException("key " + note + " is lit on the screen but the piano holds " + inState);
        }
        write("lit", note, colour, "self");
    }

    /** The colour drawn in the middle of a key, low enough to miss the black keys over a white one. */
    private int pixel(int note) {
        Point at = onEdtQuietly(() -> {
            KeyboardPanel panel = window.keyboardPanel();
            Rectangle key = panel.keyLayout().bounds(note);
            Point p = new Point(key.x + key.width / 2, key.y + key.height * 3 / 4 - 12);
            SwingUtilities.convertPointToScreen(p, panel);
            return p;
        });
        return robot.getPixelColor(at.x, at.y).getRGB() & 0xFFFFFF;
    }

    private PianoState state() {
        return onEdtQuietly(window::pianoState);
    }

    private void write(String type, int key, int rgb, String whose) throws IOException {
        ObjectNode line = JSON.createObjectNode();
        line.put("t", System.currentTimeMillis());
        line.put("type", type);
        line.put("key", key);
        line.put("rgb", String.format("#%06x", rgb));
        line.put("whose", whose);
        log.write(JSON.writeValueAsString(line));
        log.newLine();
        log.flush();
    }

    private static void await(String what, BooleanSupplier condition) {
        Await.until(what, WAIT, condition);
    }

    private static <T> T onEdt(Callable<T> call) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        SwingUtilities.invokeAndWait(() -> {
            try {
                result.set(call.call());
            } catch (Exception e) {
                failure.set(e);
            }
        });
        if (failure.get() != null) {
            throw failure.get();
        }
        return result.get();
    }

    private static <T> T onEdtQuietly(Callable<T> call) {
        try {
            return onEdt(call);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
