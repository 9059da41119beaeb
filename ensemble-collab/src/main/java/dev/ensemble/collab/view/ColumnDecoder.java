package dev.ensemble.collab.view;

import java.util.Arrays;

/**
 * The column encodings of Automerge's binary format, for {@link ChangeOps}. Every decoder reads
 * one column's bytes and must find exactly the number of values the change has; a count that
 * would run past it or past the bytes is refused before anything is allocated for it.
 *
 * <ul>
 *   <li>RLE: a signed LEB128 count n, then one value repeated n times (n &gt; 0), or -n literal
 *       values (n &lt; 0), or (n = 0) an unsigned count of nulls;</li>
 *   <li>delta: RLE of signed differences, summed from 0;</li>
 *   <li>boolean: unsigned run lengths, alternating, the first of {@code false}.</li>
 * </ul>
 *
 * <p>Thread-safe: stateless.
 */
final class ColumnDecoder {
    private ColumnDecoder() {}

    /** @return how many values an RLE column of LEB128 numbers holds, at most {@code max} */
    static int count(LebReader in, int max) {
        long n = 0;
        while (in.remaining() > 0 && n <= max) {
            long count = in.sleb();
            if (count == 0) {
                n += Math.min(in.uleb(), max + 1);
            } else if (count > 0) {
                in.uleb();
                n += Math.min(count, max + 1);
            } else {
                for (long k = 0; k < -count && n + k <= max; k++) {
                    in.uleb();
                }
                n += Math.min(-count, max + 1);
            }
        }
        if (n > max) {
            throw new UnreadableChangeException();
        }
        return (int) n;
    }

    /**
     * Reads an RLE (or delta) column.
     *
     * @param size the number of values it must hold
     */
    static long[] longs(LebReader in, int size, boolean delta) {
        long[] values = new long[size];
        int n = 0;
        long sum = 0;
        while (in.remaining() > 0) {
            long count = in.sleb();
            if (count == 0) {
                long nulls = in.uleb();
                if (nulls > size - n) {
                    throw new UnreadableChangeException();
                }
                Arrays.fill(values, n, n + (int) nulls, ChangeOps.NULL);
                n += (int) nulls;
            } else if (count > 0) {
                if (count > size - n) {
                    throw new UnreadableChangeException();
                }
                long value = delta ? in.sleb() : in.uleb();
                for (int k = 0; k < count; k++) {
                    sum = delta ? sum + value : value;
                    values[n++] = sum;
                }
            } else {
                if (-count > size - n) {
                    throw new UnreadableChangeException();
                }
                for (long k = 0; k < -count; k++) {
                    long value = delta ? in.sleb() : in.uleb();
                    sum = delta ? sum + value : value;
                    values[n++] = sum;
                }
            }
        }
        if (n != size) {
            throw new UnreadableChangeException();
        }
        return values;
    }

    /** Reads an RLE column of strings (each a LEB128 length and UTF-8), null where the column is. */
    static String[] strings(LebReader in, int size) {
        String[] values = new String[size];
        int n = 0;
        while (in.remaining() > 0) {
            long count = in.sleb();
            if (count == 0) {
                long nulls = in.uleb();
                if (nulls > size - n) {
                    throw new UnreadableChangeException();
                }
                n += (int) nulls;
            } else if (count > 0) {
                if (count > size - n) {
                    throw new UnreadableChangeException();
                }
                String value = in.string(in.length());
                for (int k = 0; k < count; k++) {
                    values[n++] = value;
                }
            } else {
                if (-count > size - n) {
                    throw new UnreadableChangeException();
                }
                for (long k = 0; k < -count; k++) {
                    values[n++] = in.string(in.length());
                }
            }
        }
        if (n != size) {
            throw new UnreadableChangeException();
        }
        return values;
    }

    /** Reads a boolean column: run lengths, alternating, the first of {@code false}. */
    static boolean[] booleans(LebReader in, int size) {
        boolean[] values = new boolean[size];
        int n = 0;
        boolean value = false;
        while (in.remaining() > 0) {
            long run = in.uleb();
            if (run > size - n) {
                throw new UnreadableChangeException();
            }
            Arrays.fill(values, n, n + (int) run, value);
            n += (int) run;
            value = !value;
        }
        if (n != size) {
            throw new UnreadableChangeException();
        }
        return values;
    }
}
