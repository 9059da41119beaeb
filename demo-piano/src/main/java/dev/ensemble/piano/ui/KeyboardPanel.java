package dev.ensemble.piano.ui;

import dev.ensemble.piano.session.PianoActions;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.util.Map;
import java.util.OptionalInt;
import javax.swing.JComponent;

/**
 * The drawn piano: keys light up in the colour of whoever holds them, and the mouse plays them
 * (press lower on a key to play louder; drag to glide across keys).
 *
 * <p>Swing: create and use on the event dispatch thread only.
 */
final class KeyboardPanel extends JComponent {
    private static final int LOW_KEY = 48;
    private static final int HIGH_KEY = 84;

    private final PianoActions piano;
    private Map<Integer, Integer> lit = Map.of();
    private int mouseKey = -1;
    private int octaveShift;

    KeyboardPanel(PianoActions piano) {
        this.piano = piano;
        setPreferredSize(new Dimension(900, 220));
        MouseAdapter mouse = new MouseAdapter() {
            @Override
            public void mousePressed(MouseEvent e) {
                pressAt(e.getX(), e.getY());
            }

            @Override
            public void mouseDragged(MouseEvent e) {
                OptionalInt key = keyLayout().keyAt(e.getX(), e.getY());
                if (key.isEmpty() || key.getAsInt() != mouseKey) {
                    releaseMouseKey();
                    pressAt(e.getX(), e.getY());
                }
            }

            @Override
            public void mouseReleased(MouseEvent e) {
                releaseMouseKey();
            }
        };
        addMouseListener(mouse);
        addMouseMotionListener(mouse);
    }

    /** @return where each key is drawn at the panel's current size */
    KeyboardLayout keyLayout() {
        return new KeyboardLayout(LOW_KEY, HIGH_KEY, Math.max(100, getWidth() - 1), Math.max(50, getHeight() - 1));
    }

    private void pressAt(int x, int y) {
        KeyboardLayout layout = keyLayout();
        OptionalInt key = layout.keyAt(x, y);
        if (key.isPresent()) {
            mouseKey = key.getAsInt();
            piano.press(mouseKey, layout.velocityAt(mouseKey, y));
        }
    }

    void releaseMouseKey() {
        if (mouseKey >= 0) {
            piano.release(mouseKey);
            mouseKey = -1;
        }
    }

    void showLit(Map<Integer, Integer> litKeys) {
        lit = litKeys;
        repaint();
    }

    void showOctaveShift(int shift) {
        octaveShift = shift;
        repaint();
    }

    @Override
    protected void paintComponent(Graphics graphics) {
        Graphics2D g = (Graphics2D) graphics.create();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        KeyboardLayout layout = keyLayout();
        int homeC = ComputerKeyboard.BASE_KEY + 12 * octaveShift;
        for (boolean black : new boolean[] {false, true}) {
            for (int key = LOW_KEY; key <= HIGH_KEY; key++) {
                if (KeyboardLayout.isBlack(key) != black) {
                    continue;
                }
                Rectangle r = layout.bounds(key);
                Integer colour = lit.get(key);
                g.setColor(colour != null ? new Color(colour) : black ? Color.BLACK : Color.WHITE);
                g.fillRect(r.x, r.y, r.width, r.height);
                g.setColor(Color.DARK_GRAY);
                g.setStroke(new BasicStroke(1f));
                g.drawRect(r.x, r.y, r.width, r.height);
                if (key == homeC) {
                    g.setColor(Color.GRAY);
                    g.drawString("A", r.x + r.width / 2 - 4, r.y + r.height - 8);
                }
            }
        }
        g.dispose();
    }
}
