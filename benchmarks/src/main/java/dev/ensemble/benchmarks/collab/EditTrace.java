package dev.ensemble.benchmarks.collab;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * A sequential editing trace in the format of {@code josephg/editing-traces}: a list of splices
 * {@code (position, deleteCount, insert)} over one text, positions in Unicode code points, and
 * the text they end at. Immutable and thread-safe once loaded.
 *
 * <p>The bundled trace is automerge-paper (Martin Kleppmann, CC BY 4.0, via
 * josephg/editing-traces): 259,778 single-character edits of the LaTeX source of a paper.
 *
 * <pre>{@code
 * EditTrace trace = EditTrace.automergePaper();
 * for (int i = 0; i < trace.size(); i++) {
 *     apply(trace.position(i), trace.deleteCount(i), trace.insert(i));
 * }
 * assert text.equals(trace.endContent());
 * }</pre>
 */
public final class EditTrace {
    /** The classpath resource of the bundled automerge-paper trace. */
    public static final String AUTOMERGE_PAPER = "/dev/ensemble/benchmarks/collab/automerge-paper.json.gz";

    private final int[] positions;
    private final int[] deleteCounts;
    private final String[] inserts;
    private final String endContent;

    private EditTrace(int[] positions, int[] deleteCounts, String[] inserts, String endContent) {
        this.positions = positions;
        this.deleteCounts = deleteCounts;
        this.inserts = inserts;
        this.endContent = endContent;
    }

    /**
     * Loads the bundled automerge-paper trace.
     *
     * @return the trace
     * @throws UncheckedIOException if it cannot be read
     */
    public static EditTrace automergePaper() {
        try (InputStream in = EditTrace.class.getResourceAsStream(AUTOMERGE_PAPER)) {
            if (in == null) {
                throw new IllegalStateException("the trace resource " + AUTOMERGE_PAPER
                        + " is missing from the classpath; build the benchmarks module with mvn package");
            }
            return read(in, AUTOMERGE_PAPER);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the trace resource " + AUTOMERGE_PAPER, e);
        }
    }

    /**
     * Loads a gzipped trace file.
     *
     * @param file a {@code .json.gz} file of josephg/editing-traces' sequential format
     * @return the trace
     * @throws UncheckedIOException if it cannot be read
     */
    public static EditTrace load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the trace " + file, e);
        }
    }

    /** Streams the JSON: the tree of 260,000 transactions would cost far more memory than the arrays. */
    private static EditTrace read(InputStream raw, String source) throws IOException {
        int[] positions = new int[1024];
        int[] deleteCounts = new int[1024];
        String[] inserts = new String[1024];
        int size = 0;
        String endContent = null;
        try (JsonParser parser = new JsonFactory().createParser(new GZIPInputStream(raw))) {
            expect(parser.nextToken(), JsonToken.START_OBJECT, source, parser);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("endContent".equals(field)) {
                    expect(value, JsonToken.VALUE_STRING, source, parser);
                    endContent = parser.getText();
                } else if ("txns".equals(field)) {
                    expect(value, JsonToken.START_ARRAY, source, parser);
                    while (parser.nextToken() == JsonToken.START_OBJECT) {
                        while (parser.nextToken() == JsonToken.FIELD_NAME) {
                            String txnField = parser.currentName();
                            JsonToken txnValue = parser.nextToken();
                            if (!"patches".equals(txnField)) {
                                parser.skipChildren();
                                continue;
                            }
                            expect(txnValue, JsonToken.START_ARRAY, source, parser);
                            while (parser.nextToken() == JsonToken.START_ARRAY) {
                                if (size == positions.length) {
                                    positions = Arrays.copyOf(positions, size * 2);
                                    deleteCounts = Arrays.copyOf(deleteCounts, size * 2);
                                    inserts = Arrays.copyOf(inserts, size * 2);
                                }
                                expect(parser.nextToken(), JsonToken.VALUE_NUMBER_INT, source, parser);
                                positions[size] = parser.getIntValue();
                                expect(parser.nextToken(), JsonToken.VALUE_NUMBER_INT, source, parser);
                                deleteCounts[size] = parser.getIntValue();
                                expect(parser.nextToken(), JsonToken.VALUE_STRING, source, parser);
                                inserts[size] = parser.getText().intern();
                                expect(parser.nextToken(), JsonToken.END_ARRAY, source, parser);
                                size++;
                            }
                        }
                    }
                } else {
                    parser.skipChildren();
                }
            }
        }
        if (endContent == null) {
            throw new IllegalArgumentException("the trace " + source + " has no endContent; expected the sequential"
                    + " format of josephg/editing-traces");
        }
        return new EditTrace(
                Arrays.copyOf(positions, size),
                Arrays.copyOf(deleteCounts, size),
                Arrays.copyOf(inserts, size),
                endContent);
    }

    private static void expect(JsonToken seen, JsonToken wanted, String source, JsonParser parser) {
        if (seen != wanted) {
            throw new IllegalArgumentException("the trace " + source + " is not in the sequential format of"
                    + " josephg/editing-traces: expected " + wanted + " but found " + seen + " at "
                    + parser.currentLocation());
        }
    }

    /** @return the number of edits */
    public int size() {
        return positions.length;
    }

    /**
     * @param edit the edit's index
     * @return where it starts, in code points
     */
    public int position(int edit) {
        return positions[edit];
    }

    /**
     * @param edit the edit's index
     * @return how many code points it removes
     */
    public int deleteCount(int edit) {
        return deleteCounts[edit];
    }

    /**
     * @param edit the edit's index
     * @return what it inserts (often empty)
     */
    public String insert(int edit) {
        return inserts[edit];
    }

    /** @return the text after every edit */
    public String endContent() {
        return endContent;
    }

    /**
     * The text after the first {@code edits} edits: {@link #endContent()} for all of them,
     * otherwise computed by applying them to a string (quadratic: meant for prefixes of a few
     * thousand edits, as in tests).
     *
     * @param edits how many edits, from 0 to {@link #size()}
     * @return the text then
     */
    public String textAfter(int edits) {
        if (edits < 0 || edits > size()) {
            throw new IllegalArgumentException("edits must be between 0 and " + size() + ", was " + edits);
        }
        if (edits == size()) {
            return endContent;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < edits; i++) {
            int start = text.offsetByCodePoints(0, positions[i]);
            int end = text.offsetByCodePoints(start, deleteCounts[i]);
            text.replace(start, end, inserts[i]);
        }
        return text.toString();
    }
}
