package org.digitlab.data.image;

import java.util.Objects;

/**
 * One image made to look like the training data.
 *
 * @param source   the file (or name) it came from
 * @param pixels   H·W·C raw values in 0..pixelMax, channels last, ready for the caller's normalisation
 * @param inverted whether light and dark were swapped to match the training data's polarity
 * @param note     what was done, in words, for the user
 */
public record PreparedImage(String source, float[] pixels, boolean inverted, String note) {
    /** Copies the pixels so the record stays immutable. */
    public PreparedImage {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(note, "note");
        pixels = pixels.clone();
    }

    /** A copy of the pixels, so the record stays unchanged when the caller normalises in place. */
    @Override
    public float[] pixels() {
        return pixels.clone();
    }
}
