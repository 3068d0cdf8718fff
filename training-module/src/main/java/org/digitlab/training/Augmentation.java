package org.digitlab.training;

import java.util.List;
import org.digitlab.data.ImageShape;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gather;
import org.tensorflow.op.core.Stack;
import org.tensorflow.op.image.ImageProjectiveTransformV3;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * In-graph augmentation of a training batch, applied to raw pixels before normalisation (so every fill is a black
 * pixel), in this order:
 * <ol>
 *   <li>translation: pad by {@code shift} black pixels ({@code augmentShift}) or by {@code crop} mirrored pixels
 *       ({@code augmentCrop}) per side, then take an H×W window at a random offset — one transform with two kinds
 *       of border — and optionally a left-right mirror image half the time; implemented as two batched gathers whose
 *       column indices run backwards for a mirrored image;</li>
 *   <li>rotation by up to ±{@code augmentRotate} degrees and zoom by 1 ± {@code augmentScale}, as one affine map
 *       about the image centre ({@code ImageProjectiveTransformV3}, bilinear, black outside the image);</li>
 *   <li>random erasing with probability {@code augmentErase}: a rectangle of 2–33 % of the image with an aspect
 *       ratio of 0.3–3.3 (log-uniform), set to black, as torchvision's {@code RandomErasing} (a side longer than the
 *       image is clipped to it where torchvision draws again).</li>
 * </ol>
 * Outside training it is the identity. The randomness is stateless, drawn from the fed seed, each kind from its own
 * salted stream, so a step stays a pure function of (weights, seed, step). No gradient passes through it: it sits
 * before the model's variables.
 */
final class Augmentation {
    private static final long SHIFT_SALT = 0x632BE59BD9B4E019L;
    private static final long FLIP_SALT = 0x2545F4914F6CDD1DL;
    private static final long AFFINE_SALT = 0x94D049BB133111EBL;
    private static final long ERASE_SALT = 0xBF58476D1CE4E5B9L;
    /** Share of the image an erased rectangle covers, and its height / width ratio (torchvision's defaults). */
    static final double ERASE_MIN_AREA = 0.02;
    static final double ERASE_MAX_AREA = 0.33;
    static final double ERASE_MIN_ASPECT = 0.3;
    static final double ERASE_MAX_ASPECT = 3.3;

    private Augmentation() {
    }

    /** Whether {@code config} asks for any augmentation. */
    static boolean enabled(TrainingConfig config) {
        return config.augmentShift() > 0 || config.augmentCrop() > 0 || config.augmentFlip()
                || config.augmentRotate() > 0 || config.augmentScale() > 0 || config.augmentErase() > 0;
    }

    /**
     * @param batch    float32 [N, H, W, C] raw pixels
     * @param training scalar; false gives the batch back unchanged
     * @param seed     [2] int64 seed of this step
     * @throws IllegalArgumentException if the crop padding is not smaller than the image
     */
    static Operand<TFloat32> apply(Ops tf, Operand<TFloat32> batch, ImageShape shape, Operand<TBool> training,
                                   Operand<TInt64> seed, TrainingConfig config) {
        int crop = config.augmentCrop();
        if (crop >= shape.height() || crop >= shape.width()) {
            throw new IllegalArgumentException("augment crop pads by mirroring, so it must be smaller than the images ("
                    + shape + "), got " + crop);
        }
        Operand<TInt32> on = tf.dtypes.cast(training, TInt32.class);
        Operand<TInt32> batchSize = tf.slice(tf.shape(batch), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
        Operand<TFloat32> image = batch;
        if (config.augmentShift() > 0 || crop > 0 || config.augmentFlip()) {
            image = translate(tf, image, shape, batchSize, on, seed, Math.max(config.augmentShift(), crop), crop > 0,
                    config.augmentFlip());
        }
        if (config.augmentRotate() > 0 || config.augmentScale() > 0) {
            image = rotateAndScale(tf, image, shape,
                    affineParameters(tf, batchSize, seed, on, config.augmentRotate(), config.augmentScale()));
        }
        if (config.augmentErase() > 0) {
            image = erase(tf, image, shape, eraseBoxes(tf, batchSize, shape, seed, on, config.augmentErase()));
        }
        return image;
    }

    /** A random H×W window of the batch padded by {@code pad} black (or mirrored) pixels, maybe mirrored. */
    private static Operand<TFloat32> translate(Ops tf, Operand<TFloat32> batch, ImageShape shape,
                                               Operand<TInt32> batchSize, Operand<TInt32> on, Operand<TInt64> seed,
                                               int pad, boolean reflect, boolean flip) {
        Operand<TInt32> columnIndices = tf.range(tf.constant(0), tf.constant(shape.width()), tf.constant(1));
        Operand<TFloat32> image = batch;
        Operand<TInt32> cols;
        if (pad > 0) {
            Operand<TInt32> draws = tf.random.statelessRandomUniformInt(draws(tf, batchSize, 2),
                    salted(tf, seed, SHIFT_SALT), tf.constant(0), tf.constant(2 * pad + 1));
            // offset = p + (draw − p)·training: the centre window when not training.
            Operand<TInt32> offsets = tf.math.add(tf.constant(pad),
                    tf.math.mul(tf.math.sub(draws, tf.constant(pad)), on));
            Operand<TInt32> paddings = tf.constant(new int[][] {{0, 0}, {pad, pad}, {pad, pad}, {0, 0}});
            Operand<TFloat32> padded = reflect ? tf.mirrorPad(batch, paddings, "REFLECT")
                    : tf.pad(batch, paddings, tf.constant(0f));
            Operand<TInt32> rows = tf.math.add(column(tf, tf.gather(offsets, tf.constant(0), tf.constant(1))),
                    tf.range(tf.constant(0), tf.constant(shape.height()), tf.constant(1)));
            image = tf.gather(padded, rows, tf.constant(1), Gather.batchDims(1L));
            cols = tf.math.add(column(tf, tf.gather(offsets, tf.constant(1), tf.constant(1))), columnIndices);
        } else {
            cols = tf.math.add(column(tf, tf.zeros(batchSize, TInt32.class)), columnIndices);
        }
        if (flip) {
            // Adding mirrored·(W − 1 − 2j) turns offset + j into offset + W − 1 − j.
            Operand<TInt32> mirrored = tf.math.mul(on, tf.random.statelessRandomUniformInt(batchSize,
                    salted(tf, seed, FLIP_SALT), tf.constant(0), tf.constant(2)));
            Operand<TInt32> reversal = tf.math.sub(tf.constant(shape.width() - 1),
                    tf.math.mul(columnIndices, tf.constant(2)));
            cols = tf.math.add(cols, tf.math.mul(column(tf, mirrored), reversal));
        }
        return tf.gather(image, cols, tf.constant(2), Gather.batchDims(1L));
    }

    /**
     * float32 [N, 2]: per image a rotation angle in radians, uniform in ±{@code degrees}, and a zoom factor, uniform
     * in 1 ± {@code scale}; (0, 1), the identity, when not training.
     */
    static Operand<TFloat32> affineParameters(Ops tf, Operand<TInt32> batchSize, Operand<TInt64> seed,
                                              Operand<TInt32> on, double degrees, double scale) {
        Operand<TFloat32> uniform = tf.random.statelessRandomUniform(draws(tf, batchSize, 2),
                salted(tf, seed, AFFINE_SALT));
        Operand<TFloat32> range = tf.constant(new float[] {(float) Math.toRadians(degrees), (float) scale});
        // (2u − 1)·range·training + (0, 1)
        Operand<TFloat32> spread = tf.math.mul(tf.math.sub(tf.math.mul(uniform, tf.constant(2f)), tf.constant(1f)),
                tf.math.mul(range, tf.dtypes.cast(on, TFloat32.class)));
        return tf.math.add(spread, tf.constant(new float[] {0, 1}));
    }

    /**
     * Each image rotated counter-clockwise by its angle and zoomed by its factor about its centre, as Keras'
     * {@code RandomRotation} and {@code RandomZoom}: output pixel p samples the input at c + R(angle)·(p − c) / zoom,
     * c = ((W − 1) / 2, (H − 1) / 2) in (column, row) pixel-centre coordinates, bilinear, black outside.
     *
     * @param parameters float32 [N, 2] of (angle in radians, zoom factor), as {@link #affineParameters} draws them
     */
    static Operand<TFloat32> rotateAndScale(Ops tf, Operand<TFloat32> batch, ImageShape shape,
                                            Operand<TFloat32> parameters) {
        Operand<TFloat32> angle = tf.gather(parameters, tf.constant(0), tf.constant(1));
        Operand<TFloat32> zoom = tf.gather(parameters, tf.constant(1), tf.constant(1));
        Operand<TFloat32> cos = tf.math.div(tf.math.cos(angle), zoom);
        Operand<TFloat32> sin = tf.math.div(tf.math.sin(angle), zoom);
        Operand<TFloat32> cx = tf.constant((shape.width() - 1) / 2f);
        Operand<TFloat32> cy = tf.constant((shape.height() - 1) / 2f);
        // input x = cos·x − sin·y + (cx − cos·cx + sin·cy), input y = sin·x + cos·y + (cy − sin·cx − cos·cy)
        Operand<TFloat32> x0 = tf.math.add(tf.math.sub(cx, tf.math.mul(cos, cx)), tf.math.mul(sin, cy));
        Operand<TFloat32> y0 = tf.math.sub(tf.math.sub(cy, tf.math.mul(sin, cx)), tf.math.mul(cos, cy));
        Operand<TFloat32> zero = tf.zerosLike(cos);
        Operand<TFloat32> transforms = tf.stack(List.of(cos, tf.math.neg(sin), x0, sin, cos, y0, zero, zero),
                Stack.axis(1L));
        return tf.image.imageProjectiveTransformV3(batch, transforms,
                tf.constant(new int[] {shape.height(), shape.width()}), tf.constant(0f), "BILINEAR",
                ImageProjectiveTransformV3.fillMode("CONSTANT"));
    }

    /**
     * int32 [N, 4]: per image the rectangle to erase as (top, left, height, width), height 0 for an image left
     * alone (probability 1 − {@code p}, and always when not training).
     */
    static Operand<TInt32> eraseBoxes(Ops tf, Operand<TInt32> batchSize, ImageShape shape, Operand<TInt64> seed,
                                      Operand<TInt32> on, double p) {
        Operand<TFloat32> u = tf.random.statelessRandomUniform(draws(tf, batchSize, 5), salted(tf, seed, ERASE_SALT));
        int height = shape.height();
        int width = shape.width();
        Operand<TFloat32> area = tf.math.mul(
                uniform(tf, u, 1, ERASE_MIN_AREA, ERASE_MAX_AREA), tf.constant((float) height * width));
        Operand<TFloat32> aspect = tf.math.exp(
                uniform(tf, u, 2, Math.log(ERASE_MIN_ASPECT), Math.log(ERASE_MAX_ASPECT)));
        Operand<TFloat32> h = side(tf, tf.math.mul(area, aspect), height);
        Operand<TFloat32> w = side(tf, tf.math.div(area, aspect), width);
        Operand<TFloat32> top = position(tf, u, 3, h, height);
        Operand<TFloat32> left = position(tf, u, 4, w, width);
        Operand<TFloat32> erased = tf.math.mul(
                tf.dtypes.cast(tf.math.less(tf.gather(u, tf.constant(0), tf.constant(1)), tf.constant((float) p)),
                        TFloat32.class),
                tf.dtypes.cast(on, TFloat32.class));
        return tf.dtypes.cast(tf.stack(List.of(top, left, tf.math.mul(h, erased), w), Stack.axis(1L)), TInt32.class);
    }

    /** The batch with each image's rectangle (top, left, height, width) of {@code boxes} set to 0. */
    static Operand<TFloat32> erase(Ops tf, Operand<TFloat32> batch, ImageShape shape, Operand<TInt32> boxes) {
        Operand<TBool> rows = within(tf, boxes, 0, 2, shape.height(), new int[] {1, -1, 1, 1});
        Operand<TBool> cols = within(tf, boxes, 1, 3, shape.width(), new int[] {1, 1, -1, 1});
        Operand<TFloat32> inside = tf.dtypes.cast(tf.math.logicalAnd(rows, cols), TFloat32.class);
        return tf.math.mul(batch, tf.math.sub(tf.constant(1f), inside));
    }

    /** [N, …] whether index i (laid out along {@code layout}'s −1 axis) lies in [start, start + length). */
    private static Operand<TBool> within(Ops tf, Operand<TInt32> boxes, int startColumn, int lengthColumn, int size,
                                         int[] layout) {
        Operand<TInt32> index = tf.reshape(tf.range(tf.constant(0), tf.constant(size), tf.constant(1)),
                tf.constant(layout));
        Operand<TInt32> boxShape = tf.constant(new int[] {-1, 1, 1, 1});
        Operand<TInt32> start = tf.reshape(tf.gather(boxes, tf.constant(startColumn), tf.constant(1)), boxShape);
        Operand<TInt32> end = tf.math.add(start,
                tf.reshape(tf.gather(boxes, tf.constant(lengthColumn), tf.constant(1)), boxShape));
        return tf.math.logicalAnd(tf.math.greaterEqual(index, start), tf.math.less(index, end));
    }

    /** Column {@code k} of the uniform draws mapped to [low, high). */
    private static Operand<TFloat32> uniform(Ops tf, Operand<TFloat32> u, int k, double low, double high) {
        return tf.math.add(tf.constant((float) low),
                tf.math.mul(tf.gather(u, tf.constant(k), tf.constant(1)), tf.constant((float) (high - low))));
    }

    /** round(sqrt(squared)) clipped to [1, size]. */
    private static Operand<TFloat32> side(Ops tf, Operand<TFloat32> squared, int size) {
        return tf.math.minimum(tf.math.maximum(tf.math.round(tf.math.sqrt(squared)), tf.constant(1f)),
                tf.constant((float) size));
    }

    /** A start in 0 … size − length, uniform, from draw column {@code k}. */
    private static Operand<TFloat32> position(Ops tf, Operand<TFloat32> u, int k, Operand<TFloat32> length,
                                              int size) {
        Operand<TFloat32> last = tf.math.sub(tf.constant((float) size), length);
        Operand<TFloat32> start = tf.math.floor(tf.math.mul(tf.gather(u, tf.constant(k), tf.constant(1)),
                tf.math.add(last, tf.constant(1f))));
        return tf.math.minimum(start, last); // float rounding could reach last + 1
    }

    /** The shape [N, k]: k draws per image. */
    private static Operand<TInt32> draws(Ops tf, Operand<TInt32> batchSize, int k) {
        return tf.concat(List.of(batchSize, tf.constant(new int[] {k})), tf.constant(0));
    }

    /** The seed plus a constant, so each kind of randomness draws its own stream. */
    private static Operand<TInt64> salted(Ops tf, Operand<TInt64> seed, long salt) {
        return tf.math.add(seed, tf.constant(new long[] {salt, 0}));
    }

    /** [N] as [N, 1], to broadcast against a row of indices. */
    private static Operand<TInt32> column(Ops tf, Operand<TInt32> vector) {
        return tf.expandDims(vector, tf.constant(1));
    }
}
