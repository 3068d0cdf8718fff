package org.digitlab.training;

import java.util.List;
import org.digitlab.data.ImageShape;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gather;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * In-graph augmentation of a training batch: random translation by up to {@code shift} pixels per image and axis,
 * zero-filled (applied before normalisation, so the fill is a black pixel), and optionally a left-right mirror
 * image half the time. Implemented as pad, then crop at a random offset with two batched gathers whose column
 * indices run backwards for a mirrored image. Outside training it is the identity. The randomness is stateless,
 * drawn from the fed seed, so a step stays a pure function of (weights, seed, step).
 */
final class Augmentation {
    private static final long SHIFT_SALT = 0x632BE59BD9B4E019L;
    private static final long FLIP_SALT = 0x2545F4914F6CDD1DL;

    private Augmentation() {
    }

    /**
     * @param batch    float32 [N, H, W, C] raw pixels
     * @param training scalar; false gives the batch back unchanged
     * @param seed     [2] int64 seed of this step
     */
    static Operand<TFloat32> apply(Ops tf, Operand<TFloat32> batch, ImageShape shape, Operand<TBool> training,
                                   Operand<TInt64> seed, int shift, boolean flip) {
        Operand<TInt32> on = tf.dtypes.cast(training, TInt32.class);
        Operand<TInt32> batchSize = tf.slice(tf.shape(batch), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
        Operand<TInt32> columnIndices = tf.range(tf.constant(0), tf.constant(shape.width()), tf.constant(1));
        Operand<TFloat32> image = batch;
        Operand<TInt32> cols;
        if (shift > 0) {
            Operand<TInt32> draws = tf.random.statelessRandomUniformInt(
                    tf.concat(List.of(batchSize, tf.constant(new int[] {2})), tf.constant(0)),
                    salted(tf, seed, SHIFT_SALT), tf.constant(0), tf.constant(2 * shift + 1));
            // offset = s + (draw − s)·training: the centre crop when not training.
            Operand<TInt32> offsets = tf.math.add(tf.constant(shift),
                    tf.math.mul(tf.math.sub(draws, tf.constant(shift)), on));
            Operand<TFloat32> padded = tf.pad(batch,
                    tf.constant(new int[][] {{0, 0}, {shift, shift}, {shift, shift}, {0, 0}}), tf.constant(0f));
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

    /** The seed plus a constant, so each kind of randomness draws its own stream. */
    private static Operand<TInt64> salted(Ops tf, Operand<TInt64> seed, long salt) {
        return tf.math.add(seed, tf.constant(new long[] {salt, 0}));
    }

    /** [N] as [N, 1], to broadcast against a row of indices. */
    private static Operand<TInt32> column(Ops tf, Operand<TInt32> vector) {
        return tf.expandDims(vector, tf.constant(1));
    }
}
