package dev.ensemble.piano.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ensemble.piano.PianoFixture;
import dev.ensemble.piano.PianoFixture.Member;
import dev.ensemble.piano.sound.TimedMidi;
import dev.ensemble.testkit.Await;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.event.InputEvent;
import java.awt.event.MouseEvent;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import javax.swing.SwingUtilities;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The drawn keyboard, without a display: painted into an image, clicked with synthetic events. */
class KeyboardPanelTest {
    private final PianoFixture fixture = new PianoFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    private static void onEdt(Runnable task) throws Exception {
        SwingUtilities.invokeAndWait(task);
    }

    private static MouseEvent mouse(KeyboardPanel panel, int id, int x, int y) {
        return new MouseEvent(
                panel,
                id,
                System.currentTimeMillis(),
                InputEvent.BUTTON1_DOWN_MASK,
                x,
                y,
                1,
                false,
                MouseEvent.BUTTON1);
    }

    @Test
    void keysLightInTheHoldersColour() throws Exception {
        Member alice = fixture.join("alice");
        BufferedImage image = new BufferedImage(881, 201, BufferedImage.TYPE_INT_RGB);
        Rectangle[] middleC = new Rectangle[1];
        onEdt(() -> {
            KeyboardPanel panel = new KeyboardPanel(alice.piano().actions());
            panel.setSize(881, 201);
            panel.showLit(Map.of(60, 0xE6194B));
            Graphics2D g = image.createGraphics();
            panel.paint(g);
            g.dispose();
            middleC[0] = new KeyboardLayout(48, 84, 880, 200).bounds(60);
        });
        Rectangle c = middleC[0];
        assertEquals(0xE6194B, image.getRGB(c.x + c.width / 2, c.y + c.height - 20) & 0xFFFFFF, "middle C is lit");
        assertEquals(0xFFFFFF, image.getRGB(c.x + c.width + c.width / 2, c.y + c.height - 20) & 0xFFFFFF, "D is not");
    }

    @Test
    void aClickPlaysTheKeyUnderTheMouseLouderLowerDownAndReleasesIt() throws Exception {
        Member alice = fixture.join("alice");
        KeyboardLayout layout = new KeyboardLayout(48, 84, 880, 200);
        Rectangle d = layout.bounds(62);
        onEdt(() -> {
            KeyboardPanel panel = new KeyboardPanel(alice.piano().actions());
            panel.setSize(881, 201);
            panel.dispatchEvent(mouse(panel, MouseEvent.MOUSE_PRESSED, d.x + d.width / 2, 190));
            panel.dispatchEvent(mouse(panel, MouseEvent.MOUSE_RELEASED, d.x + d.width / 2, 190));
        });

        Await.until(
                "the note is heard and released",
                () -> alice.piano().state().notesHeard() == 1
                        && alice.piano().state().litKeys().isEmpty());
        List<TimedMidi> ons = alice.recording().noteOns();
        assertEquals(62, ons.get(0).data1());
        assertEquals(layout.velocityAt(62, 190), ons.get(0).data2());
    }
}
