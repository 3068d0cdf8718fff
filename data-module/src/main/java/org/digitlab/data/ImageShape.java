package org.digitlab.data;

/** Height × width × channels of one image (channels last). */
public record ImageShape(int height, int width, int channels) {
    /** Checks every dimension is positive and one image has at most {@code Integer.MAX_VALUE} values. */
    public ImageShape {
        if (height <= 0 || width <= 0 || channels <= 0) {
            throw new IllegalArgumentException("image shape must be positive, got " + height + "×" + width + "×" + channels);
        }
        if ((long) height * width * channels > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("image of " + height + "×" + width + "×" + channels + " is too large");
        }
    }

    /** A single-channel (grey) image shape. */
    public static ImageShape grey(int height, int width) {
        return new ImageShape(height, width, 1);
    }

    /** Values in one image, {@code height × width × channels}. */
    public int pixelsPerImage() {
        return height * width * channels;
    }

    @Override
    public String toString() {
        return height + "×" + width + "×" + channels;
    }
}
