package dev.ensemble.collab.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RopeTest {
    private static final String[] PIECES = {"a", "bc", " ", "é", "😀", "x".repeat(700), "\n"};

    @Test
    void randomSplicesGiveWhatAStringBuilderGivesAndStayBalanced() {
        for (long seed = 1; seed <= 5; seed++) {
            Random random = new Random(seed);
            Rope rope = Rope.EMPTY;
            StringBuilder expected = new StringBuilder();
            for (int step = 0; step < 5_000; step++) {
                int codePoints = expected.codePointCount(0, expected.length());
                int at = random.nextInt(codePoints + 1);
                int delete = random.nextInt(4) == 0 ? random.nextInt(Math.min(codePoints - at, 900) + 1) : 0;
                String insert = random.nextInt(6) == 0 ? "" : PIECES[random.nextInt(PIECES.length)];
                rope = rope.splice(at, delete, insert);
                int from = expected.offsetByCodePoints(0, at);
                int to = expected.offsetByCodePoints(from, delete);
                expected.replace(from, to, insert);
                assertEquals(expected.length(), rope.length(), "seed " + seed + ", step " + step);
                assertEquals(expected.codePointCount(0, expected.length()), rope.codePoints(), "seed " + seed);
            }
            assertEquals(expected.toString(), rope.toString(), "seed " + seed);
            // An AVL tree of n chunks is at most about 1.44 log2(n) high.
            int chunks = Math.max(1, rope.length() / (Rope.MAX_CHUNK / 4));
            assertTrue(rope.height() <= 2 * (32 - Integer.numberOfLeadingZeros(chunks)) + 2, "height " + rope.height());
            for (int i = 0; i < expected.length(); i += 97) {
                assertEquals(expected.charAt(i), rope.charAt(i));
            }
        }
    }

    @Test
    void typingAtTheEndKeepsTheTreeShallow() {
        Rope rope = Rope.EMPTY;
        for (int i = 0; i < 105_000; i++) {
            rope = rope.splice(i, 0, "x");
        }
        assertEquals(105_000, rope.length());
        assertTrue(rope.height() < 20, "height " + rope.height());
    }

    @Test
    void aSpliceOutsideTheTextIsRefused() {
        Rope rope = Rope.of("abc");
        assertThrows(IndexOutOfBoundsException.class, () -> rope.splice(4, 0, "x"));
        assertThrows(IndexOutOfBoundsException.class, () -> rope.splice(2, 2, ""));
        assertSame(rope, rope.splice(1, 0, ""));
    }

    @Test
    void textsCompareByContent() {
        Text typed = new Text(Rope.EMPTY.splice(0, 0, "hel").splice(3, 0, "lo"));
        assertEquals(Text.of("hello"), typed);
        assertEquals("hello".hashCode(), typed.hashCode());
        assertEquals(5, typed.length());
        assertEquals('e', typed.charAt(1));
    }
}
