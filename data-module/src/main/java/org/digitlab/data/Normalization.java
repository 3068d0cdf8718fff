package org.digitlab.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A pixel transform, kept as plain data so a trained model can carry it and apply exactly the same transform at
 * prediction time. Pixels are first divided by {@code pixelMax} (giving [0, 1] units); {@link Kind#STANDARDIZE}
 * then maps {@code v → (v − mean[c]) / std[c]} per channel c, with {@code mean} and {@code std} in those [0, 1]
 * units (MNIST's usual 0.1307 / 0.3081). One value stands for every channel.
 *
 * @param kind     which transform
 * @param pixelMax the raw value of a full-intensity pixel (1 for {@link Kind#NONE})
 * @param mean     mean per channel in [0, 1] units, or one for all channels ([0] unless standardising)
 * @param std      standard deviation per channel in [0, 1] units, or one for all ([1] unless standardising)
 */
public record Normalization(Kind kind, double pixelMax, List<Double> mean, List<Double> std) {
    /** Standardising by less than this (in [0, 1] units) would blow pixels up a thousandfold: a mistake. */
    public static final double MIN_STD = 1e-3;
    /** Statistics in [0, 1] units beyond this are not of pixels. */
    private static final double MAX_STATISTIC = 1e3;

    /** The transform applied to every pixel. */
    public enum Kind {
        /** Pixels are left as they are. */
        NONE,
        /** {@code x / pixelMax}. */
        SCALE,
        /** {@code (x / pixelMax − mean[c]) / std[c]}. */
        STANDARDIZE
    }

    /** Validates the components; the message names the offending one. */
    public Normalization {
        Objects.requireNonNull(kind, "normalization kind");
        if (!(pixelMax > 0) || Double.isInfinite(pixelMax)) {
            throw new IllegalArgumentException("normalization pixelMax must be a positive finite number, got "
                    + pixelMax);
        }
        mean = List.copyOf(Objects.requireNonNull(mean, "normalization mean"));
        std = List.copyOf(Objects.requireNonNull(std, "normalization std"));
        if (mean.isEmpty() || mean.size() != std.size()) {
            throw new IllegalArgumentException("normalization needs as many means as standard deviations (one, or "
                    + "one per channel), got " + mean.size() + " and " + std.size());
        }
        for (int c = 0; c < mean.size(); c++) {
            double m = mean.get(c);
            double s = std.get(c);
            if (!(Math.abs(m) <= MAX_STATISTIC)) {
                throw new IllegalArgumentException("normalization mean must be a finite number within ±"
                        + (int) MAX_STATISTIC + " (in [0, 1] pixel units), got " + m);
            }
            if (!(s >= MIN_STD && s <= MAX_STATISTIC)) {
                throw new IllegalArgumentException("normalization std must be between " + MIN_STD + " and "
                        + (int) MAX_STATISTIC + " (in [0, 1] pixel units, e.g. 0.3081), got " + s);
            }
            if (kind != Kind.STANDARDIZE && (m != 0 || s != 1)) {
                throw new IllegalArgumentException("normalization mean/std apply only to STANDARDIZE; "
                        + kind + " needs mean 0 and std 1, got " + m + " and " + s);
            }
        }
        if (kind == Kind.NONE && pixelMax != 1) {
            throw new IllegalArgumentException("normalization NONE needs pixelMax 1, got " + pixelMax);
        }
    }

    /** Leaves pixels unchanged. */
    public static Normalization none() {
        return new Normalization(Kind.NONE, 1, List.of(0.0), List.of(1.0));
    }

    /** Scales pixels to [0, 1]: {@code x / pixelMax}. */
    public static Normalization scale(double pixelMax) {
        return new Normalization(Kind.SCALE, pixelMax, List.of(0.0), List.of(1.0));
    }

    /**
     * Standardises every channel with the same statistics in [0, 1] units: {@code (x / pixelMax − mean) / std};
     * for MNIST {@code standardize(0.1307, 0.3081, 255)}.
     */
    public static Normalization standardize(double mean, double std, double pixelMax) {
        return new Normalization(Kind.STANDARDIZE, pixelMax, List.of(mean), List.of(std));
    }

    /** Standardises each channel with its own statistics in [0, 1] units (ImageNet's RGB means, say). */
    public static Normalization standardize(List<Double> mean, List<Double> std, double pixelMax) {
        return new Normalization(Kind.STANDARDIZE, pixelMax, mean, std);
    }

    /**
     * Standardisation with the mean and (population) standard deviation of each channel of {@code train}, in
     * [0, 1] units. Fit on the training split only, then apply the result to every split.
     *
     * @throws IllegalArgumentException if {@code train} is empty or a channel's pixels are all (nearly) equal
     */
    public static Normalization fitStandardize(Dataset train) {
        if (train.size() == 0) {
            throw new IllegalArgumentException("cannot fit standardisation on an empty dataset");
        }
        double pixelMax = train.pixelMax();
        ChannelStatistics stats = ChannelStatistics.of(train);
        List<Double> mean = new ArrayList<>();
        List<Double> std = new ArrayList<>();
        for (int c = 0; c < stats.channels(); c++) {
            double channelStd = stats.std(c) / pixelMax;
            if (!(channelStd >= MIN_STD)) {
                throw new IllegalArgumentException("cannot fit standardisation: the training pixels"
                        + (stats.channels() > 1 ? " of channel " + c : "") + " are all (nearly) equal, mean "
                        + stats.mean(c) + " with standard deviation " + stats.std(c));
            }
            mean.add(stats.mean(c) / pixelMax);
            std.add(channelStd);
        }
        return standardize(mean, std, pixelMax);
    }

    /** Number of channels with statistics of their own (1: the same for all). */
    public int channels() {
        return mean.size();
    }

    /** One raw pixel value of channel {@code channel} transformed. */
    public float apply(float raw, int channel) {
        return switch (kind) {
            case NONE -> raw;
            case SCALE -> (float) (raw / pixelMax);
            case STANDARDIZE -> {
                int c = mean.size() == 1 ? 0 : channel;
                yield (float) ((raw / pixelMax - mean.get(c)) / std.get(c));
            }
        };
    }

    /**
     * Transforms raw pixel values (whole images, channels last) in place, for images handed in at prediction time.
     */
    public void applyInPlace(float[] rawPixels) {
        if (kind == Kind.NONE) {
            return;
        }
        int channels = mean.size();
        for (int i = 0; i < rawPixels.length; i++) {
            rawPixels[i] = apply(rawPixels[i], i % channels);
        }
    }

    /**
     * The dataset with transformed float pixels ({@link Kind#NONE} returns it unchanged). The new dataset's
     * {@link Dataset#pixelMax()} is the transformed full-intensity value (1 after scaling; channel 0's when
     * standardising per channel).
     *
     * @throws IllegalArgumentException if the dataset's pixel max differs from this transform's, which would
     *                                  silently give wrongly scaled inputs (e.g. normalising twice), or its
     *                                  channels do not match the statistics
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
        checkChannels(dataset.shape().channels());
        float[] pixels = dataset.pixelsAsFloats();
        int channels = mean.size();
        if (dataset.isBytePixels()) {
            // Byte pixels take only 256 values: a lookup table per channel gives identical results everywhere.
            float[][] tables = new float[channels][256];
            for (int c = 0; c < channels; c++) {
                for (int v = 0; v < 256; v++) {
                    tables[c][v] = apply(v, c);
                }
            }
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = tables[i % channels][(int) pixels[i]];
            }
        } else {
            applyInPlace(pixels);
        }
        return dataset.withFloatPixels(pixels, apply((float) pixelMax, 0));
    }

    /**
     * @throws IllegalArgumentException unless the statistics are one for all channels or one per channel
     */
    public void checkChannels(int imageChannels) {
        if (mean.size() != 1 && mean.size() != imageChannels) {
            throw new IllegalArgumentException("normalization has statistics for " + mean.size()
                    + " channels but the images have " + imageChannels);
        }
    }

    /** "standardize: mean 0.1307, std 0.3081 ([0, 1] units)", for people. */
    public String describe() {
        return switch (kind) {
            case NONE -> "none (raw pixel values)";
            case SCALE -> "scale to [0, 1] (÷ " + number(pixelMax) + ")";
            case STANDARDIZE -> "standardize: mean " + numbers(mean) + ", std " + numbers(std)
                    + (mean.size() > 1 ? " per channel" : "") + " (in [0, 1] pixel units)";
        };
    }

    private static String numbers(List<Double> values) {
        return values.stream().map(Normalization::number).collect(Collectors.joining(", "));
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4f", v);
    }
}
