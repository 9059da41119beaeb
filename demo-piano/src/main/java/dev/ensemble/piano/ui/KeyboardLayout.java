package dev.ensemble.piano.ui;

import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Where each key of an on-screen piano is, and what a mouse press there plays: black keys lie
 * on top of white ones, and pressing lower down a key plays it louder (as a finger striking
 * harder).
 *
 * <pre>{@code
 * KeyboardLayout layout = new KeyboardLayout(48, 84, 840, 200);   // C3 to C6
 * layout.keyAt(5, 190);           // OptionalInt[48]
 * layout.velocityAt(48, 190);     // loud
 * }</pre>
 *
 * <p>Thread-safe: immutable.
 */
public final class KeyboardLayout {
    /** The softest velocity a click plays. */
    public static final int MIN_VELOCITY = 30;
    /** The loudest. */
    public static final int MAX_VELOCITY = 127;

    private static final boolean[] BLACK = {
        false, true, false, true, false, false, true, false, true, false, true, false
    };

    private final int lowKey;
    private final int highKey;
    private final int height;
    private final List<Rectangle> bounds = new ArrayList<>();

    /**
     * @param lowKey the leftmost key, a white key
     * @param highKey the rightmost key, a white key, at least an octave above
     * @param width the width to fill, in pixels
     * @param height the white keys' height, in pixels
     * @throws IllegalArgumentException if the range is not two white keys an octave or more apart
     */
    public KeyboardLayout(int lowKey, int highKey, int width, int height) {
        if (lowKey < 0 || highKey > 127 || highKey - lowKey < 12 || isBlack(lowKey) || isBlack(highKey)) {
            throw new IllegalArgumentException("a keyboard must span at least an octave between two white keys"
                    + " within 0 to 127, but was " + lowKey + " to " + highKey);
        }
        this.lowKey = lowKey;
        this.highKey = highKey;
        this.height = height;
        int whites = 0;
        for (int key = lowKey; key <= highKey; key++) {
            if (!isBlack(key)) {
                whites++;
            }
        }
        double whiteWidth = (double) width / whites;
        int white = 0;
        for (int key = lowKey; key <= highKey; key++) {
            if (isBlack(key)) {
                int w = (int) Math.round(whiteWidth * 0.6);
                int x = (int) Math.round(white * whiteWidth - w / 2.0);
                bounds.add(new Rectangle(x, 0, w, (int) Math.round(height * 0.62)));
            } else {
                int x = (int) Math.round(white * whiteWidth);
                int next = (int) Math.round((white + 1) * whiteWidth);
                bounds.add(new Rectangle(x, 0, next - x, height));
                white++;
            }
        }
    }

    /**
     * @param key a MIDI key
     * @return whether it is a black key
     */
    public static boolean isBlack(int key) {
        return BLACK[Math.floorMod(key, 12)];
    }

    /** @return the leftmost key */
    public int lowKey() {
        return lowKey;
    }

    /** @return the rightmost key */
    public int highKey() {
        return highKey;
    }

    /**
     * @param key a key in the range
     * @return where it is drawn (a copy)
     */
    public Rectangle bounds(int key) {
        if (key < lowKey || key > highKey) {
            throw new IllegalArgumentException(
                    "key " + key + " is outside this keyboard (" + lowKey + " to " + highKey + ")");
        }
        return new Rectangle(bounds.get(key - lowKey));
    }

    /**
     * @param x pixels from the left
     * @param y pixels from the top
     * @return the key there, a black key if it covers the point; empty outside the keys
     */
    public OptionalInt keyAt(int x, int y) {
        for (int key = lowKey; key <= highKey; key++) {
            if (isBlack(key) && bounds.get(key - lowKey).contains(x, y)) {
                return OptionalInt.of(key);
            }
        }
        for (int key = lowKey; key <= highKey; key++) {
            if (!isBlack(key) && bounds.get(key - lowKey).contains(x, y)) {
                return OptionalInt.of(key);
            }
        }
        return OptionalInt.empty();
    }

    /**
     * @param key the key pressed
     * @param y pixels from the top
     * @return the velocity: {@value #MIN_VELOCITY} at the top of the key to {@value #MAX_VELOCITY} at its bottom
     */
    public int velocityAt(int key, int y) {
        Rectangle r = bounds(key);
        double depth = Math.max(0, Math.min(1, (double) (y - r.y) / Math.max(1, r.height)));
        return (int) Math.round(MIN_VELOCITY + depth * (MAX_VELOCITY - MIN_VELOCITY));
    }

    /** @return the white keys' height */
    public int height() {
        return height;
    }
}
