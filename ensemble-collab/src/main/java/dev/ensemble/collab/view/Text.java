package dev.ensemble.collab.view;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/**
 * A collaborative text as a view holds it: an immutable {@link CharSequence} that shares its
 * unchanged parts with the version before the last edit. Declare a view's text fields with this
 * type when the text is long and edited often:
 *
 * <pre>{@code
 * public record Paper(Text text) { }          // a keystroke costs the chunk it touches
 * public record Note(String title) { }        // a String is copied whole on every change to it
 * }</pre>
 *
 * A view component of type {@code String} receives a fresh copy of the whole text every time the
 * text changes (about 10 µs for 100,000 chars); a {@code Text} component receives the new version
 * of the rope that the view maintains, in time proportional to the edit. {@link #toString()}
 * makes the {@code String} once per version (and keeps it), so reading a {@code Text} as a string
 * only where it is shown costs what a {@code String} component would, once per shown version.
 *
 * <p>Jackson reads and writes a {@code Text} as a JSON string, so views with {@code Text}
 * components can still be written with {@code CollaborationActor.update}.
 *
 * <p>Thread-safe: immutable (the cached string is computed at most once per thread that races
 * for it, and every computation gives the same string).
 */
public final class Text implements CharSequence, Comparable<Text> {
    private static final Text EMPTY = new Text(Rope.EMPTY);

    private final Rope rope;
    /** The whole string, made on first use; a benign race, like {@code String.hash}. */
    private String string;

    Text(Rope rope) {
        this.rope = rope;
    }

    /**
     * @param text the characters
     * @return a {@code Text} holding them
     */
    @JsonCreator
    public static Text of(String text) {
        Objects.requireNonNull(text, "text");
        return text.isEmpty() ? EMPTY : new Text(Rope.of(text));
    }

    /** @return the empty text */
    public static Text empty() {
        return EMPTY;
    }

    Rope rope() {
        return rope;
    }

    /** @return the length in UTF-16 chars, as {@link String#length()} */
    @Override
    public int length() {
        return rope.length();
    }

    /** @return the length in Unicode code points, the unit of Automerge's text positions */
    public int codePointLength() {
        return rope.codePoints();
    }

    /** Costs the depth of the rope (logarithmic in the length), not a copy. */
    @Override
    public char charAt(int index) {
        return rope.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return toString().subSequence(start, end);
    }

    /** @return the whole text; made once per {@code Text}, then kept */
    @JsonValue
    @Override
    public String toString() {
        String made = string;
        if (made == null) {
            made = rope.toString();
            string = made;
        }
        return made;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof Text text)) {
            return false;
        }
        return rope == text.rope || (length() == text.length() && toString().equals(text.toString()));
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public int compareTo(Text other) {
        return toString().compareTo(other.toString());
    }
}
