package org.digitlab.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a dataset holds: size, image shape, samples per class and observed pixel statistics. Plain data, so it
 * can be printed as text ({@link #toText()}) or serialised as JSON.
 *
 * @param samples     number of images
 * @param height      image height
 * @param width       image width
 * @param channels    channels per pixel
 * @param classes     number of classes
 * @param classCounts samples per class, index = label
 * @param classNames  class names, index = label
 * @param pixelMin    smallest pixel value present (NaN when there are no samples)
 * @param pixelMax    largest pixel value present (NaN when there are no samples)
 * @param pixelMean   mean pixel value (NaN when there are no samples)
 * @param channelMean mean of each channel (NaN when there are no samples)
 * @param channelStd  population standard deviation of each channel (NaN when there are no samples)
 */
public record DatasetSummary(int samples, int height, int width, int channels, int classes,
                             List<Integer> classCounts, List<String> classNames,
                             double pixelMin, double pixelMax, double pixelMean, List<Double> channelMean,
                             List<Double> channelStd) {

    /** Copies the lists so the summary stays immutable. */
    public DatasetSummary {
        classCounts = List.copyOf(classCounts);
        classNames = List.copyOf(classNames);
        channelMean = List.copyOf(channelMean);
        channelStd = List.copyOf(channelStd);
    }

    /** Summarises {@code dataset} in one pass over its pixels. */
    public static DatasetSummary of(Dataset dataset) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        ChannelStatistics stats;
        if (dataset.isBytePixels()) {
            // One pass over the bytes: every figure follows exactly from how often each value occurs.
            long[][] histograms = dataset.byteHistograms();
            for (long[] histogram : histograms) {
                for (int v = 0; v < 256; v++) {
                    if (histogram[v] > 0) {
                        min = Math.min(min, v);
                        max = Math.max(max, v);
                        sum += (double) v * histogram[v];
                    }
                }
            }
            stats = ChannelStatistics.ofHistograms(histograms);
        } else {
            float[] image = new float[dataset.shape().pixelsPerImage()];
            for (int i = 0; i < dataset.size(); i++) {
                dataset.copyImage(i, image, 0);
                for (float v : image) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                    sum += v;
                }
            }
            stats = ChannelStatistics.of(dataset);
        }
        boolean empty = dataset.size() == 0;
        double mean = empty ? Double.NaN : sum / ((double) dataset.size() * dataset.shape().pixelsPerImage());
        ImageShape shape = dataset.shape();
        List<Double> channelMean = new ArrayList<>();
        List<Double> channelStd = new ArrayList<>();
        for (int c = 0; c < stats.channels(); c++) {
            channelMean.add(stats.mean(c));
            channelStd.add(stats.std(c));
        }
        return new DatasetSummary(dataset.size(), shape.height(), shape.width(), shape.channels(),
                dataset.numClasses(), Arrays.stream(dataset.classCounts()).boxed().toList(),
                dataset.classNames(), empty ? Double.NaN : min, empty ? Double.NaN : max, mean, channelMean,
                channelStd);
    }

    /** A short multi-line description for people. */
    public String toText() {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "samples: %d%n", samples));
        text.append(String.format(Locale.ROOT, "image:   %d×%d×%d (height×width×channels)%n", height, width, channels));
        text.append(String.format(Locale.ROOT, "pixels:  min %s, max %s, mean %s%n",
                number(pixelMin), number(pixelMax), number(pixelMean)));
        text.append(String.format(Locale.ROOT, "%s mean %s, std %s%n", channels == 1 ? "channel:" : "channels:",
                numbers(channelMean), numbers(channelStd)));
        text.append(String.format(Locale.ROOT, "classes: %d%n", classes));
        int nameWidth = classNames.stream().mapToInt(String::length).max().orElse(0);
        for (int c = 0; c < classes; c++) {
            double share = samples == 0 ? 0 : 100.0 * classCounts.get(c) / samples;
            text.append(String.format(Locale.ROOT, "  %-" + nameWidth + "s %8d  %5.1f%%%n",
                    classNames.get(c), classCounts.get(c), share));
        }
        return text.toString();
    }

    private static String numbers(List<Double> values) {
        return values.stream().map(DatasetSummary::number).collect(Collectors.joining(", "));
    }

    // Integers print without a fraction (pixel values usually are), others with 4 decimals.
    private static String number(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
                : String.format(Locale.ROOT, "%.4f", v);
    }
}
