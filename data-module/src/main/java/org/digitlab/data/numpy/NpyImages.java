package org.digitlab.data.numpy;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.util.List;
import org.digitlab.data.Dataset;
import org.digitlab.data.ImageShape;
import org.digitlab.data.InvalidDataException;

/**
 * An .npy array read as images: shape N×H×W (grey) or N×H×W×C (channels last), dtype uint8 (kept as bytes,
 * full intensity 255) or float32/float64 (kept as floats). Float pixels all in [0, 1] are taken as scaled (full
 * intensity 1), all in [0, 255] as raw (255); anything else, NaN or infinity is an error, never a guess.
 */
final class NpyImages {
    /** The largest array the JVM reliably allocates. */
    private static final long MAX_VALUES = Integer.MAX_VALUE - 8;

    private NpyImages() {
    }

    /**
     * N images of one shape, as bytes or floats (one of them null), and the value of full intensity.
     *
     * @param shape    H×W×C
     * @param bytes    uint8 pixels, or null
     * @param floats   float pixels, or null
     * @param pixelMax 255, or 1 for floats in [0, 1]
     */
    record Pixels(ImageShape shape, byte[] bytes, float[] floats, float pixelMax) {
        /** The dataset of these pixels with {@code labels} (the arrays are taken, not copied). */
        Dataset dataset(int[] labels, List<String> names) {
            return bytes != null ? Dataset.ofBytes(shape, bytes, labels, names, pixelMax)
                    : Dataset.ofFloats(shape, floats, labels, names, pixelMax);
        }

        /** The value range the pixels were understood in, e.g. "[0, 255]". */
        String scale() {
            return pixelMax == 1 ? "[0, 1]" : "[0, 255]";
        }
    }

    /**
     * Checks that {@code header} describes images this reader can hold, before any data is read.
     *
     * @return the shape of one image
     */
    static ImageShape check(NpyHeader header) {
        String source = header.source();
        int rank = header.rank();
        String found = "found shape " + header.shapeText();
        if (rank == 1) {
            throw InvalidDataException.of(source, "expected images of shape (N, H, W) or (N, H, W, C), " + found
                    + " (a labels array? are the images and labels swapped?)");
        }
        if (rank == 2) {
            int side = (int) Math.round(Math.sqrt(header.dim(1)));
            String reshape = side * side == header.dim(1) ? "x.reshape(-1, " + side + ", " + side + ")"
                    : "x.reshape(-1, H, W)";
            throw InvalidDataException.of(source, "expected images of shape (N, H, W) or (N, H, W, C), " + found
                    + ", one flat row per image; save them as images, e.g. " + reshape);
        }
        if (rank > 4) {
            throw InvalidDataException.of(source, "expected images of shape (N, H, W) or (N, H, W, C), " + found);
        }
        if (rank == 4 && header.dim(3) > 4 && header.dim(1) <= 4) {
            throw InvalidDataException.of(source, "expected channels last (N, H, W, C), " + found
                    + ", which looks channels first (N, C, H, W, as PyTorch stores images); save "
                    + "np.transpose(x, (0, 2, 3, 1)) instead");
        }
        NpyDtype dtype = header.dtype();
        boolean uint8 = dtype.kind() == 'u' && dtype.size() == 1;
        if (!uint8 && dtype.kind() != 'f') {
            throw InvalidDataException.of(source, "images of dtype " + dtype + " are not supported; expected "
                    + "uint8 ('|u1') or float32/float64 ('<f4', '<f8'); convert them, e.g. x.astype(np.uint8) "
                    + "for values 0–255");
        }
        if (header.elements() > MAX_VALUES) {
            throw InvalidDataException.of(source, "shape " + header.shapeText() + " holds " + header.elements()
                    + " pixel values, more than one array can hold (" + MAX_VALUES + ")");
        }
        return new ImageShape(header.dim(1), header.dim(2), rank == 4 ? header.dim(3) : 1);
    }

    /** Reads the images of {@code input}, after {@link #check} and checking the data is all there. */
    static Pixels read(NpyInput input, ImageShape shape) {
        input.verifyLength();
        int values = (int) input.header().elements();
        if (!input.header().dtype().isInteger()) {
            return readFloats(input, shape, new float[values]);
        }
        byte[] bytes = new byte[values];
        input.readInto(bytes);
        input.finish();
        return new Pixels(shape, bytes, null, 255f);
    }

    private static Pixels readFloats(NpyInput input, ImageShape shape, float[] pixels) {
        boolean doubles = input.header().dtype().size() == 8;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int at = 0;
        for (ByteBuffer chunk = input.nextChunk(); chunk != null; chunk = input.nextChunk()) {
            int n = chunk.remaining() / (doubles ? 8 : 4);
            if (doubles) {
                DoubleBuffer d = chunk.asDoubleBuffer();
                for (int i = 0; i < n; i++) {
                    double v = d.get(i);
                    if (!Double.isFinite(v)) {
                        throw notFinite(input.header(), at + i, v);
                    }
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                    pixels[at + i] = (float) v;
                }
            } else {
                chunk.asFloatBuffer().get(pixels, at, n);
                for (int i = at; i < at + n; i++) {
                    float v = pixels[i];
                    if (!Float.isFinite(v)) {
                        throw notFinite(input.header(), i, v);
                    }
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
            at += n;
        }
        input.finish();
        if (min < 0 || max > 255) {
            throw InvalidDataException.of(input.source(), "pixel values range from " + NpyDtype.text(min)
                    + " to " + NpyDtype.text(max) + "; expected values in [0, 1] (scaled) or [0, 255] (raw), not "
                    + "standardised or otherwise transformed ones");
        }
        return new Pixels(shape, null, pixels, max <= 1 ? 1f : 255f);
    }

    private static InvalidDataException notFinite(NpyHeader header, long flat, double value) {
        String what = Double.isNaN(value) ? "NaN" : value > 0 ? "inf" : "-inf";
        return InvalidDataException.of(header.source(), "pixel " + header.index(flat) + " is " + what
                + "; expected finite values (this is the first)");
    }
}
