package org.digitlab.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.types.TFloat32;

/** Loads a SavedModel written by {@link SavedModelExport} and computes class probabilities. */
public final class SavedModelPredictor implements AutoCloseable {
    private static final int BATCH = 1024;

    private final SavedModelBundle bundle;
    private final SessionFunction function;
    private final long height;
    private final long width;
    private final long channels;

    private SavedModelPredictor(SavedModelBundle bundle) {
        this.bundle = bundle;
        this.function = bundle.function(Signature.DEFAULT_KEY);
        Shape shape = function.signature().getInputs().get(SavedModelExport.INPUT).shape;
        this.height = shape.get(1);
        this.width = shape.get(2);
        this.channels = shape.get(3);
    }

    /**
     * Loads the model with tag {@code serve}.
     *
     * @throws IllegalArgumentException if {@code dir} holds no {@code saved_model.pb}, or in one line when
     *                                  TensorFlow cannot load it (a damaged file, or not an export of this class)
     */
    public static SavedModelPredictor open(Path dir) {
        if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
            throw new IllegalArgumentException(dir + ": not a SavedModel directory (no saved_model.pb)");
        }
        SavedModelBundle bundle;
        try {
            bundle = SavedModelBundle.load(dir.toString(), SavedModelBundle.DEFAULT_TAG);
        } catch (TensorFlowException e) {
            throw unloadable(dir, e);
        }
        try {
            return new SavedModelPredictor(bundle);
        } catch (RuntimeException e) {
            bundle.close();
            throw unloadable(dir, e);
        }
    }

    /** TensorFlow's messages run over several lines (with node names and hints): the first says what failed. */
    private static IllegalArgumentException unloadable(Path dir, RuntimeException e) {
        String reason = e.getMessage() == null ? e.toString() : e.getMessage().strip().lines().findFirst().orElse("");
        return new IllegalArgumentException(dir + ": cannot load the SavedModel (damaged?): " + reason, e);
    }

    /** Pixels per image the model expects (H * W * C). */
    public int pixelsPerImage() {
        return Math.toIntExact(height * width * channels);
    }

    /**
     * Probabilities [count][K] for {@code count} normalised images laid out NHWC in {@code images}.
     *
     * @throws IllegalArgumentException if {@code images} does not hold exactly {@code count} images
     */
    public float[][] predict(float[] images, int count) {
        int pixels = pixelsPerImage();
        if ((long) count * pixels != images.length) {
            throw new IllegalArgumentException(
                    "expected " + count + " images of " + pixels + " pixels (" + (long) count * pixels
                            + " floats), found " + images.length + " floats");
        }
        float[][] out = new float[count][];
        FloatDataBuffer all = DataBuffers.of(images, true, false);
        for (int start = 0; start < count; start += BATCH) {
            int n = Math.min(BATCH, count - start);
            try (TFloat32 batch =
                            TFloat32.tensorOf(
                                    Shape.of(n, height, width, channels),
                                    all.slice((long) start * pixels, (long) n * pixels));
                    Result result = function.call(Map.of(SavedModelExport.INPUT, batch))) {
                TFloat32 p = (TFloat32) result.get(SavedModelExport.OUTPUT).orElseThrow();
                int k = (int) p.shape().get(1);
                float[] flat = new float[n * k];
                p.copyTo(DataBuffers.of(flat, false, false));
                for (int i = 0; i < n; i++) {
                    out[start + i] = Arrays.copyOfRange(flat, i * k, (i + 1) * k);
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        bundle.close();
    }
}
