package org.digitlab.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.digitlab.data.ImageShape;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/** Shifts and mirror images on a batch of non-square images whose pixels are all distinct and non-zero. */
class AugmentationTest {
    private static final int N = 64;
    private static final int H = 5;
    private static final int W = 4;

    /** Runs the augmentation on {@link #images()} and returns the output as [N][H][W]. */
    private static float[][][] augment(int shift, boolean flip, boolean training, long step) {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat32> batch = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, H, W, 1)));
            Placeholder<TBool> isTraining = tf.placeholder(TBool.class, Placeholder.shape(Shape.scalar()));
            Placeholder<TInt64> seed = tf.placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
            Operand<TFloat32> out = Augmentation.apply(tf, batch, ImageShape.grey(H, W), isTraining, seed, shift, flip);
            float[] flat = new float[N * H * W];
            float[][][] in = images();
            for (int n = 0; n < N; n++) {
                for (int r = 0; r < H; r++) {
                    System.arraycopy(in[n][r], 0, flat, (n * H + r) * W, W);
                }
            }
            try (Session session = new Session(graph);
                 TFloat32 x = TFloat32.tensorOf(Shape.of(N, H, W, 1), DataBuffers.of(flat, true, false));
                 TBool t = TBool.scalarOf(training);
                 TInt64 s = TInt64.vectorOf(42, step);
                 Result r = session.runner().feed(batch, x).feed(isTraining, t).feed(seed, s).fetch(out).run()) {
                TFloat32 y = (TFloat32) r.get(0);
                assertThat(y.shape()).isEqualTo(Shape.of(N, H, W, 1));
                float[][][] result = new float[N][H][W];
                for (int n = 0; n < N; n++) {
                    for (int row = 0; row < H; row++) {
                        for (int col = 0; col < W; col++) {
                            result[n][row][col] = y.getFloat(n, row, col, 0);
                        }
                    }
                }
                return result;
            }
        }
    }

    private static float[][][] images() {
        float[][][] x = new float[N][H][W];
        for (int n = 0; n < N; n++) {
            for (int r = 0; r < H; r++) {
                for (int c = 0; c < W; c++) {
                    x[n][r][c] = 1 + n * H * W + r * W + c;
                }
            }
        }
        return x;
    }

    /** out[r][c] = x[r + dy][c' + dx] with c' = c, or W − 1 − c when mirrored; zero outside the image. */
    private static float[][] expected(float[][] x, int dy, int dx, boolean mirrored) {
        float[][] out = new float[H][W];
        for (int r = 0; r < H; r++) {
            for (int c = 0; c < W; c++) {
                int sr = r + dy;
                int sc = mirrored ? W - 1 - c + dx : c + dx;
                out[r][c] = sr >= 0 && sr < H && sc >= 0 && sc < W ? x[sr][sc] : 0;
            }
        }
        return out;
    }

    /** For each image, the (dy, dx, mirrored) transforms of the input that produce the output. */
    private static List<Set<List<Integer>>> explain(float[][][] out, int shift) {
        float[][][] in = images();
        List<Set<List<Integer>>> found = new ArrayList<>();
        for (int n = 0; n < N; n++) {
            Set<List<Integer>> matches = new HashSet<>();
            for (int dy = -shift; dy <= shift; dy++) {
                for (int dx = -shift; dx <= shift; dx++) {
                    for (int m = 0; m < 2; m++) {
                        if (Arrays.deepEquals(out[n], expected(in[n], dy, dx, m == 1))) {
                            matches.add(List.of(dy, dx, m));
                        }
                    }
                }
            }
            assertThat(matches).as("image %d is a shift of its input or of its mirror image", n).isNotEmpty();
            found.add(matches);
        }
        return found;
    }

    @Test
    void flipMirrorsAboutHalfTheImagesAndChangesNothingElse() {
        List<Set<List<Integer>>> found = explain(augment(0, true, true, 1), 0);
        long mirrored = found.stream().filter(m -> m.equals(Set.of(List.of(0, 0, 1)))).count();
        long kept = found.stream().filter(m -> m.equals(Set.of(List.of(0, 0, 0)))).count();
        assertThat(mirrored + kept).isEqualTo(N);
        assertThat(mirrored).isBetween(16L, 48L);
    }

    @Test
    void shiftMovesEachImageByAtMostShiftPixelsWithZeroFill() {
        List<Set<List<Integer>>> found = explain(augment(1, false, true, 1), 1);
        Set<List<Integer>> offsets = new HashSet<>();
        found.forEach(offsets::addAll);
        assertThat(offsets).allMatch(o -> o.get(2) == 0);
        assertThat(offsets).hasSizeGreaterThanOrEqualTo(7);
    }

    @Test
    void shiftAndFlipTogetherProduceShiftedMirrorImages() {
        List<Set<List<Integer>>> found = explain(augment(1, true, true, 5), 1);
        assertThat(found).anyMatch(m -> m.stream().anyMatch(o -> o.get(2) == 1 && (o.get(0) != 0 || o.get(1) != 0)));
        assertThat(found).anyMatch(m -> m.stream().anyMatch(o -> o.get(2) == 0));
    }

    @Test
    void outsideTrainingTheBatchIsUnchanged() {
        assertThat(augment(2, true, false, 1)).isDeepEqualTo(images());
    }

    @Test
    void theSameStepGivesTheSameImagesAndAnotherStepOthers() {
        assertThat(augment(1, true, true, 3)).isDeepEqualTo(augment(1, true, true, 3));
        assertThat(Arrays.deepEquals(augment(1, true, true, 3), augment(1, true, true, 4))).isFalse();
    }
}
