package org.digitlab.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A compact in-memory image classification dataset: N images of H×W×C pixels (row-major, channels last,
 * as TensorFlow's NHWC) with one int label each in {@code [0, numClasses)}.
 *
 * <p>Pixels are kept either as unsigned 8-bit values (what IDX and most CSV files hold; 1 byte per pixel) or as
 * floats (after normalisation). Instances are immutable: every transformation returns a new dataset.
 */
public final class Dataset {
    private final ImageShape shape;
    private final byte[] bytePixels;
    private final float[] floatPixels;
    private final int[] labels;
    private final List<String> classNames;
    private final float pixelMax;
    /** The file each image was read from, or null when the source has no files per image (IDX, CSV, NumPy). */
    private final List<String> files;

    private Dataset(ImageShape shape, byte[] bytePixels, float[] floatPixels, int[] labels,
                    List<String> classNames, float pixelMax, List<String> files) {
        this.shape = Objects.requireNonNull(shape, "shape");
        this.bytePixels = bytePixels;
        this.floatPixels = floatPixels;
        this.labels = labels;
        this.classNames = List.copyOf(classNames);
        this.pixelMax = pixelMax;
        this.files = files == null ? null : List.copyOf(files);
        if (files != null && files.size() != labels.length) {
            throw new IllegalArgumentException(files.size() + " file names for " + labels.length + " images");
        }
        long expected = (long) labels.length * shape.pixelsPerImage();
        long actual = bytePixels != null ? bytePixels.length : floatPixels.length;
        if (expected != actual) {
            throw new IllegalArgumentException("pixel array holds " + actual + " values, expected "
                    + labels.length + " images × " + shape.pixelsPerImage() + " = " + expected);
        }
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException("a dataset needs at least one class name");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new IllegalArgumentException("label " + labels[i] + " of sample " + i
                        + " is outside [0, " + classNames.size() + ")");
            }
        }
    }

    /**
     * A dataset of unsigned 8-bit pixels. The arrays are taken, not copied.
     *
     * @param pixelMax the value that means "full intensity" (255 for IDX, 16 for the sklearn digits CSV)
     */
    public static Dataset ofBytes(ImageShape shape, byte[] pixels, int[] labels, List<String> classNames,
                                  float pixelMax) {
        return new Dataset(shape, Objects.requireNonNull(pixels), null, labels, classNames, pixelMax, null);
    }

    /** A dataset of float pixels. The arrays are taken, not copied. */
    public static Dataset ofFloats(ImageShape shape, float[] pixels, int[] labels, List<String> classNames,
                                   float pixelMax) {
        return new Dataset(shape, null, Objects.requireNonNull(pixels), labels, classNames, pixelMax, null);
    }

    /** The same dataset with the file each image came from, index = image (shown in predictions and plots). */
    public Dataset withFiles(List<String> imageFiles) {
        return new Dataset(shape, bytePixels, floatPixels, labels, classNames, pixelMax,
                Objects.requireNonNull(imageFiles, "files"));
    }

    /** The same images and labels with other class names, one per class. */
    public Dataset withClassNames(List<String> names) {
        if (names.size() != classNames.size()) {
            throw new IllegalArgumentException(names.size() + " class names for " + classNames.size() + " classes");
        }
        return withLabels(labels, names);
    }

    /** Whether the images came from files of their own (an image folder), so {@link #file(int)} names them. */
    public boolean hasFiles() {
        return files != null;
    }

    /** The file image {@code index} was read from, or null when the source has no file per image. */
    public String file(int index) {
        return files == null ? null : files.get(index);
    }

    /** Class names "0" … "k-1", for sources that carry no names. */
    public static List<String> numericClassNames(int numClasses) {
        String[] names = new String[numClasses];
        for (int i = 0; i < numClasses; i++) {
            names[i] = Integer.toString(i);
        }
        return List.of(names);
    }

    /** Number of images N. */
    public int size() {
        return labels.length;
    }

    /** The shape H×W×C shared by every image. */
    public ImageShape shape() {
        return shape;
    }

    /** Number of classes K; labels lie in {@code [0, K)}. */
    public int numClasses() {
        return classNames.size();
    }

    /** Class names, index = label; unmodifiable. */
    public List<String> classNames() {
        return classNames;
    }

    /** The value of a full-intensity pixel in this dataset's units (1 once scaled; undefined once standardised). */
    public float pixelMax() {
        return pixelMax;
    }

    /** True when pixels are stored as unsigned bytes, false when stored as floats. */
    public boolean isBytePixels() {
        return bytePixels != null;
    }

    /** The label of image {@code index}, in {@code [0, numClasses)}. */
    public int label(int index) {
        return labels[index];
    }

    /** A copy of all labels. */
    public int[] labels() {
        return labels.clone();
    }

    /** The pixel at flat position {@code offset} ({@code 0 ≤ offset < H·W·C}) of image {@code index}. */
    public float pixel(int index, int offset) {
        long flat = (long) index * shape.pixelsPerImage() + offset;
        return bytePixels != null ? (bytePixels[(int) flat] & 0xFF) : floatPixels[(int) flat];
    }

    /** Copies image {@code index} as floats into {@code target} starting at {@code targetOffset}. */
    public void copyImage(int index, float[] target, int targetOffset) {
        int n = shape.pixelsPerImage();
        int start = index * n;
        if (bytePixels != null) {
            for (int i = 0; i < n; i++) {
                target[targetOffset + i] = bytePixels[start + i] & 0xFF;
            }
        } else {
            System.arraycopy(floatPixels, start, target, targetOffset, n);
        }
    }

    /**
     * How often each byte value occurs in each channel: {@code [channel][value]}, for byte pixels only; one pass
     * that gives exact statistics far faster than reading every pixel as a float.
     *
     * @throws IllegalStateException for float pixels
     */
    public long[][] byteHistograms() {
        if (bytePixels == null) {
            throw new IllegalStateException("histograms need byte pixels; this dataset holds floats");
        }
        int channels = shape.channels();
        long[][] counts = new long[channels][256];
        if (channels == 1) {
            long[] only = counts[0];
            for (byte b : bytePixels) {
                only[b & 0xFF]++;
            }
            return counts;
        }
        for (int i = 0; i < bytePixels.length; i++) {
            counts[i % channels][bytePixels[i] & 0xFF]++;
        }
        return counts;
    }

    /** All pixels as one float array of N·H·W·C values (a fresh copy). */
    public float[] pixelsAsFloats() {
        float[] out = new float[labels.length * shape.pixelsPerImage()];
        for (int i = 0; i < labels.length; i++) {
            copyImage(i, out, i * shape.pixelsPerImage());
        }
        return out;
    }

    /** The samples at {@code indices}, in that order (indices may repeat). */
    public Dataset subset(int[] indices) {
        int n = shape.pixelsPerImage();
        int[] newLabels = new int[indices.length];
        List<String> newFiles = null;
        if (files != null) {
            String[] picked = new String[indices.length];
            for (int i = 0; i < indices.length; i++) {
                picked[i] = files.get(indices[i]);
            }
            newFiles = Arrays.asList(picked);
        }
        if (bytePixels != null) {
            byte[] px = new byte[indices.length * n];
            for (int i = 0; i < indices.length; i++) {
                System.arraycopy(bytePixels, indices[i] * n, px, i * n, n);
                newLabels[i] = labels[indices[i]];
            }
            return new Dataset(shape, px, null, newLabels, classNames, pixelMax, newFiles);
        }
        float[] px = new float[indices.length * n];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(floatPixels, indices[i] * n, px, i * n, n);
            newLabels[i] = labels[indices[i]];
        }
        return new Dataset(shape, null, px, newLabels, classNames, pixelMax, newFiles);
    }

    /** The same images with other labels and class names (used by class filtering and relabelling). */
    Dataset withLabels(int[] newLabels, List<String> newClassNames) {
        return new Dataset(shape, bytePixels, floatPixels, newLabels, newClassNames, pixelMax, files);
    }

    /** The same labels with float pixels (used by normalisation). */
    Dataset withFloatPixels(float[] pixels, float newPixelMax) {
        return new Dataset(shape, null, pixels, labels, classNames, newPixelMax, files);
    }

    /** Number of samples per class, index = label. */
    public int[] classCounts() {
        int[] counts = new int[classNames.size()];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    @Override
    public String toString() {
        return "Dataset[" + size() + " × " + shape + ", classes=" + numClasses()
                + ", counts=" + Arrays.toString(classCounts()) + "]";
    }
}
