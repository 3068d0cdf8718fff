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
    private final Axis rows;
    private final Axis columns;

    /**
     * For each of {@code out} indices along an axis of {@code in} pixels: the first source index it reads and the
     * weights of {@code taps} source pixels from there on (summing to 1; unused taps weigh 0), flat: output j's
     * weights start at j·taps.
     */
    private record Axis(int in, int out, int taps, int[] first, double[] weights) {
        static Axis of(int in, int out) {
            int taps = Math.min(in, out >= in ? (out == in ? 1 : 2) : (in + out - 1) / out + 1);
            int[] first = new int[out];
            double[] weights = new double[out * taps];
            for (int j = 0; j < out; j++) {
                int from;
                double[] w;
                if (out == in) {
                    from = j;
                    w = new double[] {1};
                } else if (out < in) {
                    // Output pixel j covers source [j·in/out, (j+1)·in/out); in units of 1/out these are integers.
                    long start = (long) j * in;
                    long end = start + in;
                    from = (int) (start / out);
                    int to = (int) ((end - 1) / out);
                    w = new double[to - from + 1];
                    for (int k = from; k <= to; k++) {
                        long covered = Math.min(end, (long) (k + 1) * out) - Math.max(start, (long) k * out);
                        w[k - from] = covered / (double) in;
                    }
                } else {
                    double centre = ((2.0 * j + 1) * in - out) / (2.0 * out);
                    centre = Math.max(0, Math.min(in - 1, centre));
                    from = (int) Math.floor(centre);
                    double fraction = centre - from;
                    w = from == in - 1 ? new double[] {1} : new double[] {1 - fraction, fraction};
                }
                // Start early enough that all taps lie inside the source; the skipped ones weigh 0.
                first[j] = Math.min(from, in - taps);
                System.arraycopy(w, 0, weights, j * taps + from - first[j], w.length);
            }
            return new Axis(in, out, taps, first, weights);
        }
    }

    private Resampler(int cropTop, int cropLeft, int cropHeight, int cropWidth, int outHeight, int outWidth) {
        this.cropTop = cropTop;
        this.cropLeft = cropLeft;
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
        // Rows first: each tap adds a weighted source row to an output row, a loop the JIT vectorises.
        int cropWidth = columns.in();
        double[] down = new double[rows.out() * cropWidth];
        for (int y = 0; y < rows.out(); y++) {
            int target = y * cropWidth;
            for (int k = 0; k < rows.taps(); k++) {
                double w = rows.weights()[y * rows.taps() + k];
                int source = (cropTop + rows.first()[y] + k) * inWidth + cropLeft;
                for (int x = 0; x < cropWidth; x++) {
                    down[target + x] += w * plane[source + x];
                }
            }
        }
        int outWidth = columns.out();
        int taps = columns.taps();
        for (int y = 0; y < rows.out(); y++) {
            for (int x = 0; x < outWidth; x++) {
                int source = y * cropWidth + columns.first()[x];
                double sum = 0;
                for (int k = 0; k < taps; k++) {
                    sum += columns.weights()[x * taps + k] * down[source + k];
                }
                out[offset + stride * (y * outWidth + x)] = (byte) Math.max(0, Math.min(255, Math.round(sum)));
            }
        }
    }
}
