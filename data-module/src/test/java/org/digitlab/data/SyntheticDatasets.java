package org.digitlab.data;

import java.util.List;

/** Small datasets built in code whose pixels identify each sample, so tests can follow samples through operations. */
final class SyntheticDatasets {
    private SyntheticDatasets() {
    }

    /**
     * A dataset of 2×2 grey images with {@code counts[c]} samples of class c, classes interleaved. Pixel 0 and 1
     * hold the sample index (low and high byte), pixel 2 the label, pixel 3 {@code 255 − index % 256}.
     */
    static Dataset withClassCounts(int... counts) {
        int total = 0;
        for (int count : counts) {
            total += count;
        }
        int[] labels = new int[total];
        int[] left = counts.clone();
        int i = 0;
        while (i < total) {
            for (int c = 0; c < counts.length; c++) {
                if (left[c] > 0) {
                    labels[i++] = c;
                    left[c]--;
                }
            }
        }
        return ofLabels(labels, Dataset.numericClassNames(counts.length));
    }

    /** Images as in {@link #withClassCounts} for the given labels. */
    static Dataset ofLabels(int[] labels, List<String> classNames) {
        byte[] pixels = new byte[labels.length * 4];
        for (int i = 0; i < labels.length; i++) {
            pixels[4 * i] = (byte) i;
            pixels[4 * i + 1] = (byte) (i >>> 8);
            pixels[4 * i + 2] = (byte) labels[i];
            pixels[4 * i + 3] = (byte) (255 - i % 256);
        }
        return Dataset.ofBytes(ImageShape.grey(2, 2), pixels, labels, classNames, 255f);
    }

    /** The source index encoded in sample {@code index}'s pixels. */
    static int sourceIndex(Dataset dataset, int index) {
        return (int) dataset.pixel(index, 0) + 256 * (int) dataset.pixel(index, 1);
    }
}
