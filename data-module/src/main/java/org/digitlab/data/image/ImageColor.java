package org.digitlab.data.image;

import java.util.Locale;

/** The colour images are converted to: one grey channel or three RGB channels. */
public enum ImageColor {
    /** One channel, ITU-R 601 luma 0.299 R + 0.587 G + 0.114 B (as PIL's "L" mode). */
    GREY,
    /** Three channels R, G, B; a grey image gets its value in all three. */
    RGB;

    /**
     * Parses {@code grey} (or {@code gray}) or {@code rgb}, case-insensitively.
     *
     * @throws IllegalArgumentException naming the text otherwise
     */
    public static ImageColor parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "grey", "gray" -> GREY;
            case "rgb" -> RGB;
            default -> throw new IllegalArgumentException("colour must be grey or rgb, got '" + text + "'");
        };
    }

    /** The colour of images with {@code channels} channels: 1 is grey, 3 is RGB. */
    public static ImageColor ofChannels(int channels) {
        return switch (channels) {
            case 1 -> GREY;
            case 3 -> RGB;
            default -> throw new IllegalArgumentException("images must have 1 (grey) or 3 (RGB) channels, got "
                    + channels);
        };
    }

    /** Channels per pixel: 1 or 3. */
    public int channels() {
        return this == GREY ? 1 : 3;
    }

    /** {@code grey} or {@code rgb}, the form {@link #parse} reads. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
