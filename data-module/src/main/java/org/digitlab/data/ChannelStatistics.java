package org.digitlab.data;

/**
 * Mean and (population) standard deviation of each channel over all pixels of a dataset, in its raw pixel units.
 * Two passes in double, the mean first, then squared deviations from it, so large offsets cause no cancellation.
 */
public final class ChannelStatistics {
    private final double[] mean;
    private final double[] std;

    private ChannelStatistics(double[] mean, double[] std) {
        this.mean = mean;
        this.std = std;
    }

    /** The statistics of {@code data}; NaN for every channel when it is empty. */
    public static ChannelStatistics of(Dataset data) {
        if (data.isBytePixels()) {
            return ofHistograms(data.byteHistograms());
        }
        int channels = data.shape().channels();
        float[] image = new float[data.shape().pixelsPerImage()];
        double[] sum = new double[channels];
        for (int i = 0; i < data.size(); i++) {
            data.copyImage(i, image, 0);
            for (int p = 0; p < image.length; p++) {
                sum[p % channels] += image[p];
            }
        }
        double count = (double) data.size() * (image.length / channels);
        double[] mean = new double[channels];
        for (int c = 0; c < channels; c++) {
            mean[c] = sum[c] / count;
        }
        double[] squares = new double[channels];
        for (int i = 0; i < data.size(); i++) {
            data.copyImage(i, image, 0);
            for (int p = 0; p < image.length; p++) {
                double d = image[p] - mean[p % channels];
                squares[p % channels] += d * d;
            }
        }
        double[] std = new double[channels];
        for (int c = 0; c < channels; c++) {
            std[c] = Math.sqrt(squares[c] / count);
        }
        return new ChannelStatistics(mean, std);
    }

    /** Exact statistics from per-channel counts of each byte value. */
    static ChannelStatistics ofHistograms(long[][] histograms) {
        int channels = histograms.length;
        double[] mean = new double[channels];
        double[] std = new double[channels];
        for (int c = 0; c < channels; c++) {
            long count = 0;
            double sum = 0;
            for (int v = 0; v < 256; v++) {
                count += histograms[c][v];
                sum += (double) v * histograms[c][v];
            }
            mean[c] = sum / count;
            double squares = 0;
            for (int v = 0; v < 256; v++) {
                double d = v - mean[c];
                squares += d * d * histograms[c][v];
            }
            std[c] = Math.sqrt(squares / count);
        }
        return new ChannelStatistics(mean, std);
    }

    /** Number of channels. */
    public int channels() {
        return mean.length;
    }

    /** Mean of channel {@code c}. */
    public double mean(int c) {
        return mean[c];
    }

    /** Standard deviation of channel {@code c}. */
    public double std(int c) {
        return std[c];
    }
}
