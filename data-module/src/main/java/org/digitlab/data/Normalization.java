package org.digitlab.data;

import java.util.Objects;

/**
 * A pixel transform, kept as plain data so a trained model can carry it and apply exactly the same transform at
 * prediction time. Pixels are first divided by {@code pixelMax} (giving [0, 1] units); {@link Kind#STANDARDIZE}
 * then maps {@code v → (v − mean) / std}, with {@code mean} and {@code std} in those [0, 1] units (MNIST's usual
 * 0.1307 / 0.3081).
 *
 * @param kind     which transform
 * @param pixelMax the raw value of a full-intensity pixel (1 for {@link Kind#NONE})
 * @param mean     mean in [0, 1] units (0 unless standardising)
 * @param std      standard deviation in [0, 1] units (1 unless standardising)
 */
public record Normalization(Kind kind, double pixelMax, double mean, double std) {

    /** The transform applied to every pixel. */
    public enum Kind {
        /** Pixels are left as they are. */
        NONE,
        /** {@code x / pixelMax}. */
        SCALE,
        /** {@code (x / pixelMax − mean) / std}. */
        STANDARDIZE
    }

    /** Validates the components; the message names the offending one. */
    public Normalization {
        Objects.requireNonNull(kind, "normalization kind");
        if (!(pixelMax > 0) || Double.isInfinite(pixelMax)) {
            throw new IllegalArgumentException("normalization pixelMax must be a positive finite number, got " + pixelMax);
        }
        if (!Double.isFinite(mean)) {
            throw new IllegalArgumentException("normalization mean must be finite, got " + mean);
        }
        if (!(std > 0) || Double.isInfinite(std)) {
            throw new IllegalArgumentException("normalization std must be a positive finite number, got " + std);
        }
        if (kind != Kind.STANDARDIZE && (mean != 0 || std != 1)) {
            throw new IllegalArgumentException("normalization mean/std apply only to STANDARDIZE; "
                    + kind + " needs mean 0 and std 1, got " + mean + " and " + std);
        }
        if (kind == Kind.NONE && pixelMax != 1) {
            throw new IllegalArgumentException("normalization NONE needs pixelMax 1, got " + pixelMax);
        }
    }

    /** Leaves pixels unchanged. */
    public static Normalization none() {
        return new Normalization(Kind.NONE, 1, 0, 1);
    }

    /** Scales pixels to [0, 1]: {@code x / pixelMax}. */
    public static Normalization scale(double pixelMax) {
        return new Normalization(Kind.SCALE, pixelMax, 0, 1);
    }

    /**
     * Standardises with given statistics in [0, 1] units: {@code (x / pixelMax − mean) / std}; for MNIST
     * {@code standardize(0.1307, 0.3081, 255)}.
     */
    public static Normalization standardize(double mean, double std, double pixelMax) {
        return new Normalization(Kind.STANDARDIZE, pixelMax, mean, std);
    }

    /**
     * Standardisation with the mean and (population) standard deviation of all pixels of {@code train}, in
     * [0, 1] units. Fit on the training split only, then apply the result to every split.
     *
     * @throws IllegalArgumentException if {@code train} is empty or all its pixels are equal
     */
    public static Normalization fitStandardize(Dataset train) {
        if (train.size() == 0) {
            throw new IllegalArgumentException("cannot fit standardisation on an empty dataset");
        }
        double pixelMax = train.pixelMax();
        float[] image = new float[train.shape().pixelsPerImage()];
        // Two passes in double: the mean first, then squared deviations from it (no cancellation).
        double sum = 0;
        for (int i = 0; i < train.size(); i++) {
            train.copyImage(i, image, 0);
            for (float v : image) {
                sum += v;
            }
        }
        double count = (double) train.size() * image.length;
        double rawMean = sum / count;
        double squares = 0;
        for (int i = 0; i < train.size(); i++) {
            train.copyImage(i, image, 0);
            for (float v : image) {
                double d = v - rawMean;
                squares += d * d;
            }
        }
        double rawStd = Math.sqrt(squares / count);
        if (!(rawStd > 0)) {
            throw new IllegalArgumentException("cannot fit standardisation: all " + (long) count
                    + " training pixels equal " + rawMean + " (standard deviation 0)");
        }
        return standardize(rawMean / pixelMax, rawStd / pixelMax, pixelMax);
    }

    /** One raw pixel value transformed. */
    public float apply(float raw) {
        return switch (kind) {
            case NONE -> raw;
            case SCALE -> (float) (raw / pixelMax);
            case STANDARDIZE -> (float) ((raw / pixelMax - mean) / std);
        };
    }

    /** Transforms raw pixel values in place (for images handed in at prediction time). */
    public void applyInPlace(float[] rawPixels) {
        if (kind == Kind.NONE) {
            return;
        }
        for (int i = 0; i < rawPixels.length; i++) {
            rawPixels[i] = apply(rawPixels[i]);
        }
    }

    /**
     * The dataset with transformed float pixels ({@link Kind#NONE} returns it unchanged). The new dataset's
     * {@link Dataset#pixelMax()} is the transformed full-intensity value (1 after scaling).
     *
     * @throws IllegalArgumentException if the dataset's pixel max differs from this transform's, which would
     *                                  silently give wrongly scaled inputs (e.g. normalising twice)
     */
    public Dataset apply(Dataset dataset) {
        if (kind == Kind.NONE) {
            return dataset;
        }
        if (dataset.pixelMax() != (float) pixelMax) {
            throw new IllegalArgumentException("normalization expects pixels with full intensity " + pixelMax
                    + " but the dataset's pixel max is " + dataset.pixelMax()
                    + " (already normalised, or a different source?)");
        }
        float[] pixels = dataset.pixelsAsFloats();
        if (dataset.isBytePixels()) {
            // Byte pixels take only 256 values: a lookup table gives identical results for every occurrence.
            float[] table = new float[256];
            for (int v = 0; v < table.length; v++) {
                table[v] = apply(v);
            }
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = table[(int) pixels[i]];
            }
        } else {
            applyInPlace(pixels);
        }
        return dataset.withFloatPixels(pixels, apply((float) pixelMax));
    }
}
