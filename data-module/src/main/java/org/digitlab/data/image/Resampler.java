package org.digitlab.data.image;

/**
 * Resizes a plane of pixel values keeping the aspect ratio: first a centred crop to the target's aspect ratio (the
 * rule of Keras' {@code smart_resize}: crop sides rounded down, offsets rounded down), then each axis on its own,
 * by area averaging when it shrinks (each output pixel is the mean of the source area it covers, weighting
 * partly covered pixels by the part covered, as OpenCV's INTER_AREA) and by linear interpolation with half-pixel
 * centres when it grows (as PIL, OpenCV and {@code tf.image.resize} with {@code half_pixel_centers}). An axis that
 * keeps its length is copied, so an image already of the target size comes out unchanged.
 */
final class Resampler {
    private final int cropTop;
    private final int cropLeft;
    private final int cropHeight;
    private final int outWidth;
    private final Axis rows;
    private final Axis columns;

    /**
     * For each output index along one axis: the first source index it reads and the weights of the source pixels
     * from there on (summing to 1).
     */
    private record Axis(int[] first, double[][] weights) {
        static Axis of(int in, int out) {
            int[] first = new int[out];
            double[][] weights = new double[out][];
            for (int j = 0; j < out; j++) {
                if (out == in) {
                    first[j] = j;
                    weights[j] = new double[] {1};
                } else if (out < in) {
                    // Output pixel j covers source [j·in/out, (j+1)·in/out); in units of 1/out these are integers.
                    long start = (long) j * in;
                    long end = start + in;
                    int from = (int) (start / out);
                    int to = (int) ((end - 1) / out);
                    first[j] = from;
                    weights[j] = new double[to - from + 1];
                    for (int k = from; k <= to; k++) {
                        long covered = Math.min(end, (long) (k + 1) * out) - Math.max(start, (long) k * out);
                        weights[j][k - from] = covered / (double) in;
                    }
                } else {
                    double centre = ((2.0 * j + 1) * in - out) / (2.0 * out);
                    centre = Math.max(0, Math.min(in - 1, centre));
                    int lower = (int) Math.floor(centre);
                    double fraction = centre - lower;
                    first[j] = lower;
                    weights[j] = lower == in - 1 ? new double[] {1} : new double[] {1 - fraction, fraction};
                }
            }
            return new Axis(first, weights);
        }
    }

    private Resampler(int cropTop, int cropLeft, int cropHeight, int cropWidth, int outHeight, int outWidth) {
        this.cropTop = cropTop;
        this.cropLeft = cropLeft;
        this.cropHeight = cropHeight;
        this.outWidth = outWidth;
        this.rows = Axis.of(cropHeight, outHeight);
        this.columns = Axis.of(cropWidth, outWidth);
    }

    /** A resampler from {@code inHeight}×{@code inWidth} to {@code outHeight}×{@code outWidth}. */
    static Resampler of(int inHeight, int inWidth, int outHeight, int outWidth) {
        int cropHeight = (int) Math.max(1, Math.min(inHeight, (long) inWidth * outHeight / outWidth));
        int cropWidth = (int) Math.max(1, Math.min(inWidth, (long) inHeight * outWidth / outHeight));
        return new Resampler((inHeight - cropHeight) / 2, (inWidth - cropWidth) / 2, cropHeight, cropWidth,
                outHeight, outWidth);
    }

    /**
     * Resamples {@code plane} (values 0..255, row-major, {@code inWidth} per row) and writes the results, rounded
     * to the nearest integer (halves up), to {@code out[offset + stride·(y·outWidth + x)]}.
     */
    void resample(float[] plane, int inWidth, byte[] out, int offset, int stride) {
        int outHeight = rows.first().length;
        double[] across = new double[cropHeight * outWidth];
        for (int y = 0; y < cropHeight; y++) {
            int row = (cropTop + y) * inWidth + cropLeft;
            for (int x = 0; x < outWidth; x++) {
                double[] w = columns.weights()[x];
                int source = row + columns.first()[x];
                double sum = 0;
                for (int k = 0; k < w.length; k++) {
                    sum += w[k] * plane[source + k];
                }
                across[y * outWidth + x] = sum;
            }
        }
        for (int y = 0; y < outHeight; y++) {
            double[] w = rows.weights()[y];
            int source = rows.first()[y] * outWidth;
            for (int x = 0; x < outWidth; x++) {
                double sum = 0;
                for (int k = 0; k < w.length; k++) {
                    sum += w[k] * across[source + k * outWidth + x];
                }
                out[offset + stride * (y * outWidth + x)] = (byte) Math.max(0, Math.min(255, Math.round(sum)));
            }
        }
    }
}
