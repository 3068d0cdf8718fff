package org.digitlab.data.image;

import java.util.Arrays;
import org.digitlab.data.Dataset;
import org.digitlab.data.ImageShape;

/** Whether digits are light strokes on a dark background (MNIST) or dark strokes on a light one (pen on paper). */
public enum Polarity {
    /** Light strokes on a dark background, as in MNIST. */
    LIGHT_ON_DARK,
    /** Dark strokes on a light background, as pen on paper. */
    DARK_ON_LIGHT;

    /** How many images {@link #detect(Dataset)} looks at; polarity is a property of the whole set. */
    private static final int DETECT_SAMPLE = 200;

    /**
     * The polarity most images of {@code dataset} have (the first few hundred are looked at), so a predictor
     * knows what its training data looked like.
     */
    public static Polarity detect(Dataset dataset) {
        ImageShape shape = dataset.shape();
        int pixels = shape.height() * shape.width();
        float[] image = new float[shape.pixelsPerImage()];
        float[] grey = new float[pixels];
        int count = Math.min(dataset.size(), DETECT_SAMPLE);
        int darkOnLight = 0;
        for (int i = 0; i < count; i++) {
            dataset.copyImage(i, image, 0);
            for (int p = 0; p < pixels; p++) {
                float sum = 0;
                for (int c = 0; c < shape.channels(); c++) {
                    sum += image[p * shape.channels() + c];
                }
                grey[p] = sum / shape.channels();
            }
            if (of(grey, shape.height(), shape.width()) == DARK_ON_LIGHT) {
                darkOnLight++;
            }
        }
        return darkOnLight * 2 > count ? DARK_ON_LIGHT : LIGHT_ON_DARK;
    }

    /** A light border (its median above the image's mean) means dark ink on a light background. */
    static Polarity of(float[] grey, int height, int width) {
        return borderMedian(grey, height, width) > mean(grey) ? DARK_ON_LIGHT : LIGHT_ON_DARK;
    }

    /** Median of the outermost rows and columns: the background, even where a stroke touches the edge. */
    static float borderMedian(float[] grey, int height, int width) {
        int count = height == 1 || width == 1 ? height * width : 2 * (height + width) - 4;
        float[] border = new float[count];
        int n = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (y == 0 || y == height - 1 || x == 0 || x == width - 1) {
                    border[n++] = grey[y * width + x];
                }
            }
        }
        Arrays.sort(border);
        return border[count / 2];
    }

    private static float mean(float[] grey) {
        double sum = 0;
        for (float v : grey) {
            sum += v;
        }
        return (float) (sum / grey.length);
    }
}
