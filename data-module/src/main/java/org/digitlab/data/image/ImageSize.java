package org.digitlab.data.image;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Height × width of an image, in pixels.
 *
 * @param height rows, 1..{@value #MAX_SIDE}
 * @param width  columns, 1..{@value #MAX_SIDE}
 */
public record ImageSize(int height, int width) {
    /** The longest side accepted: a larger target would not fit a dataset of more than a few images. */
    public static final int MAX_SIDE = 8192;
    private static final Pattern HXW = Pattern.compile("\\s*(\\d{1,9})\\s*[xX×]\\s*(\\d{1,9})\\s*");

    /** Checks both sides lie in 1..{@value #MAX_SIDE}. */
    public ImageSize {
        if (height < 1 || width < 1 || height > MAX_SIDE || width > MAX_SIDE) {
            throw new IllegalArgumentException("image size must be between 1x1 and " + MAX_SIDE + "x" + MAX_SIDE
                    + ", got " + height + "x" + width);
        }
    }

    /**
     * Parses {@code HxW} (height first, as Keras' {@code image_size}), e.g. {@code 28x28} or {@code 64×48}.
     *
     * @throws IllegalArgumentException naming the text when it is not HxW with sides in 1..{@value #MAX_SIDE}
     */
    public static ImageSize parse(String text) {
        Matcher m = HXW.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("image size must be HxW (height x width, e.g. 28x28), got '"
                    + text + "'");
        }
        return new ImageSize(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /** {@code HxW}, the form {@link #parse} reads. */
    @Override
    public String toString() {
        return height + "x" + width;
    }
}
