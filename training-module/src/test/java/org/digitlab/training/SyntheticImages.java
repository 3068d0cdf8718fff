package org.digitlab.training;

import java.util.SplittableRandom;
import org.digitlab.data.Dataset;
import org.digitlab.data.ImageShape;

/** Small separable image datasets: class c lights a 3×3 patch at a class-specific place, over random noise. */
final class SyntheticImages {
    static final int SIZE = 8;

    private SyntheticImages() {
    }

    /** {@code n} 8×8 grey byte images (pixel max 255) of {@code classes} classes, labels cycling, seeded. */
    static Dataset separable(int n, int classes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] pixels = new byte[n * SIZE * SIZE];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int label = random.nextInt(classes);
            labels[i] = label;
            for (int p = 0; p < SIZE * SIZE; p++) {
                pixels[i * SIZE * SIZE + p] = (byte) random.nextInt(60);
            }
            int top = (label * 3) % (SIZE - 2);
            int left = (label * 5 + 1) % (SIZE - 2);
            for (int y = top; y < top + 3; y++) {
                for (int x = left; x < left + 3; x++) {
                    pixels[i * SIZE * SIZE + y * SIZE + x] = (byte) (180 + random.nextInt(76));
                }
            }
        }
        return Dataset.ofBytes(ImageShape.grey(SIZE, SIZE), pixels, labels, Dataset.numericClassNames(classes), 255f);
    }

    /** Like {@link #separable} but with labels unrelated to the images, so validation can only get worse. */
    static Dataset randomLabels(int n, int classes, long seed) {
        Dataset images = separable(n, classes, seed);
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(classes);
        }
        return Dataset.ofBytes(images.shape(), toBytes(images), labels, images.classNames(), 255f);
    }

    private static byte[] toBytes(Dataset d) {
        float[] f = d.pixelsAsFloats();
        byte[] b = new byte[f.length];
        for (int i = 0; i < f.length; i++) {
            b[i] = (byte) f[i];
        }
        return b;
    }
}
