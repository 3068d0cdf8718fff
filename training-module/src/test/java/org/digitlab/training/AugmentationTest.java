package org.digitlab.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
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
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TNumber;

/**
 * Every augmentation on batches of non-square images whose pixels are all distinct and non-zero, so each output
 * pixel says where it came from.
 */
class AugmentationTest {
    private static final int N = 64;
    private static final int H = 5;
    private static final int W = 4;
    private static final TrainingConfig NONE = TrainingConfig.defaults();

    /** A graph with the batch, training flag and seed fed, and what the test built on them. */
    private record Run(float[][][] images, Ops tf, Placeholder<TFloat32> batch, Placeholder<TBool> training,
                       Placeholder<TInt64> seed) {
        /** Fetches {@code outputs} with the images fed; each as flat floats. */
        List<float[]> fetch(Graph graph, boolean isTraining, long step, List<Operand<? extends TNumber>> outputs) {
            int h = images[0].length;
            int w = images[0][0].length;
            float[] flat = flatten(images);
            try (Session session = new Session(graph);
                 TFloat32 x = TFloat32.tensorOf(Shape.of(images.length, h, w, 1), DataBuffers.of(flat, true, false));
                 TBool t = TBool.scalarOf(isTraining);
                 TInt64 s = TInt64.vectorOf(42, step)) {
                Session.Runner runner = session.runner().feed(batch, x).feed(training, t).feed(seed, s);
                outputs.forEach(runner::fetch);
                try (Result result = runner.run()) {
                    List<float[]> values = new ArrayList<>();
                    for (int i = 0; i < outputs.size(); i++) {
                        values.add(floats(result.get(i)));
                    }
                    return values;
                }
            }
        }
    }

    /** Builds {@code outputs(run)} on a fed batch of {@code images} and fetches them. */
    private static List<float[]> run(float[][][] images, boolean isTraining, long step,
                                     java.util.function.Function<Run, List<Operand<? extends TNumber>>> outputs) {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            int h = images[0].length;
            int w = images[0][0].length;
            Run run = new Run(images, tf,
                    tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, h, w, 1))),
                    tf.placeholder(TBool.class, Placeholder.shape(Shape.scalar())),
                    tf.placeholder(TInt64.class, Placeholder.shape(Shape.of(2))));
            return run.fetch(graph, isTraining, step, outputs.apply(run));
        }
    }

    /** {@link Augmentation#apply} with {@code config} on {@code images}, as [N][H][W]. */
    private static float[][][] augment(float[][][] images, TrainingConfig config, boolean training, long step) {
        ImageShape shape = ImageShape.grey(images[0].length, images[0][0].length);
        float[] out = run(images, training, step, r -> List.of(
                Augmentation.apply(r.tf(), r.batch(), shape, r.training(), r.seed(), config))).get(0);
        return unflatten(out, images.length, shape.height(), shape.width());
    }

    private static float[][][] augment(TrainingConfig config, boolean training, long step) {
        return augment(images(N, H, W), config, training, step);
    }

    private static float[][][] images(int n, int h, int w) {
        float[][][] x = new float[n][h][w];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < h; r++) {
                for (int c = 0; c < w; c++) {
                    x[i][r][c] = 1 + i * h * w + r * w + c;
                }
            }
        }
        return x;
    }

    /** out[r][c] = x[r + dy][c' + dx] with c' = c, or W − 1 − c when mirrored; outside the image 0 or mirrored. */
    private static float[][] expected(float[][] x, int dy, int dx, boolean mirrored, boolean reflect) {
        float[][] out = new float[H][W];
        for (int r = 0; r < H; r++) {
            for (int c = 0; c < W; c++) {
                int sr = r + dy;
                int sc = mirrored ? W - 1 - c + dx : c + dx;
                if (reflect) {
                    out[r][c] = x[reflect(sr, H)][reflect(sc, W)];
                } else {
                    out[r][c] = sr >= 0 && sr < H && sc >= 0 && sc < W ? x[sr][sc] : 0;
                }
            }
        }
        return out;
    }

    /** Index i of a row of n mirrored at its ends without repeating the edge (NumPy's "reflect"). */
    private static int reflect(int i, int n) {
        return i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i;
    }

    /** For each image, the (dy, dx, mirrored) transforms of the input that produce the output. */
    private static List<Set<List<Integer>>> explain(float[][][] out, int pad, boolean reflect) {
        float[][][] in = images(N, H, W);
        List<Set<List<Integer>>> found = new ArrayList<>();
        for (int n = 0; n < N; n++) {
            Set<List<Integer>> matches = new HashSet<>();
            for (int dy = -pad; dy <= pad; dy++) {
                for (int dx = -pad; dx <= pad; dx++) {
                    for (int m = 0; m < 2; m++) {
                        if (Arrays.deepEquals(out[n], expected(in[n], dy, dx, m == 1, reflect))) {
                            matches.add(List.of(dy, dx, m));
                        }
                    }
                }
            }
            assertThat(matches).as("image %d is a shifted window of its input or of its mirror image", n).isNotEmpty();
            found.add(matches);
        }
        return found;
    }

    @Test
    void flipMirrorsAboutHalfTheImagesAndChangesNothingElse() {
        List<Set<List<Integer>>> found = explain(augment(NONE.withAugmentFlip(true), true, 1), 0, false);
        long mirrored = found.stream().filter(m -> m.equals(Set.of(List.of(0, 0, 1)))).count();
        long kept = found.stream().filter(m -> m.equals(Set.of(List.of(0, 0, 0)))).count();
        assertThat(mirrored + kept).isEqualTo(N);
        assertThat(mirrored).isBetween(16L, 48L);
    }

    @Test
    void shiftMovesEachImageByAtMostShiftPixelsWithZeroFill() {
        List<Set<List<Integer>>> found = explain(augment(NONE.withAugmentShift(1), true, 1), 1, false);
        Set<List<Integer>> offsets = new HashSet<>();
        found.forEach(offsets::addAll);
        assertThat(offsets).allMatch(o -> o.get(2) == 0);
        assertThat(offsets).hasSizeGreaterThanOrEqualTo(7);
    }

    @Test
    void cropTakesAWindowOfTheImagePaddedWithItsMirrorImage() {
        float[][][] out = augment(NONE.withAugmentCrop(2), true, 1);
        // Near an edge a mirrored window can equal an unmirrored one, so each image needs one unmirrored match.
        List<Set<List<Integer>>> found = explain(out, 2, true);
        assertThat(found).allMatch(m -> m.stream().anyMatch(o -> o.get(2) == 0));
        Set<List<Integer>> offsets = new HashSet<>();
        found.forEach(m -> m.stream().filter(o -> o.get(2) == 0).forEach(offsets::add));
        assertThat(offsets).hasSizeGreaterThanOrEqualTo(15);
        // Mirrored borders: no black pixel anywhere, unlike a shift.
        assertThat(Arrays.stream(out).flatMap(Arrays::stream).allMatch(row -> {
            for (float v : row) {
                if (v == 0) {
                    return false;
                }
            }
            return true;
        })).isTrue();
        // The reference above, checked by hand: the window two pixels down and one left takes rows 2, 3, 4, 3, 2 and
        // columns 1, 0, 1, 2 of the input (1 + 4 row + column).
        float[][] window = expected(images(1, H, W)[0], 2, -1, false, true);
        assertThat(window).isDeepEqualTo(new float[][] {
            {10, 9, 10, 11}, {14, 13, 14, 15}, {18, 17, 18, 19}, {14, 13, 14, 15}, {10, 9, 10, 11}});
        assertThatThrownBy(() -> augment(NONE.withAugmentCrop(4), true, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be smaller than the images (5×4×1), got 4");
    }

    @Test
    void shiftAndFlipTogetherProduceShiftedMirrorImages() {
        List<Set<List<Integer>>> found =
                explain(augment(NONE.withAugmentShift(1).withAugmentFlip(true), true, 5), 1, false);
        assertThat(found).anyMatch(m -> m.stream().anyMatch(o -> o.get(2) == 1 && (o.get(0) != 0 || o.get(1) != 0)));
        assertThat(found).anyMatch(m -> m.stream().anyMatch(o -> o.get(2) == 0));
    }

    /** {@link Augmentation#rotateAndScale} of one 4×4 image (pixels 1…16) by {@code angle} and {@code zoom}. */
    private static float[][] rotateAndScale(double angle, double zoom) {
        float[][][] image = images(1, 4, 4);
        float[] out = run(image, true, 0, r -> List.of(Augmentation.rotateAndScale(r.tf(), r.batch(),
                ImageShape.grey(4, 4), r.tf().constant(new float[][] {{(float) angle, (float) zoom}})))).get(0);
        return unflatten(out, 1, 4, 4)[0];
    }

    /** Bilinear sample of {@code x} at (row y, column x) with 0 outside, as TensorFlow's transform does. */
    private static double bilinear(float[][] image, double y, double x) {
        int y0 = (int) Math.floor(y);
        int x0 = (int) Math.floor(x);
        double fy = y - y0;
        double fx = x - x0;
        return (1 - fy) * ((1 - fx) * at(image, y0, x0) + fx * at(image, y0, x0 + 1))
                + fy * ((1 - fx) * at(image, y0 + 1, x0) + fx * at(image, y0 + 1, x0 + 1));
    }

    private static double at(float[][] image, int r, int c) {
        return r >= 0 && r < image.length && c >= 0 && c < image[0].length ? image[r][c] : 0;
    }

    @Test
    void aQuarterTurnMapsEveryPixelAsNumpysRot90() {
        float[][] in = images(1, 4, 4)[0];
        float[][] ccw = rotateAndScale(Math.PI / 2, 1);
        float[][] cw = rotateAndScale(-Math.PI / 2, 1);
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                // Counter-clockwise: the top row becomes the left column, read upwards.
                assertThat(ccw[r][c]).as("ccw (%d, %d)", r, c).isCloseTo(in[c][3 - r], within(1e-4f));
                assertThat(cw[r][c]).as("cw (%d, %d)", r, c).isCloseTo(in[3 - c][r], within(1e-4f));
            }
        }
        assertThat(rotateAndScale(0, 1)).isDeepEqualTo(in);
    }

    @Test
    void zoomSamplesAboutTheCentreBilinearlyWithBlackOutside() {
        float[][] in = images(1, 4, 4)[0];
        for (double zoom : new double[] {2, 0.5, 1.25}) {
            float[][] out = rotateAndScale(0, zoom);
            for (int r = 0; r < 4; r++) {
                for (int c = 0; c < 4; c++) {
                    double expected = bilinear(in, 1.5 + (r - 1.5) / zoom, 1.5 + (c - 1.5) / zoom);
                    assertThat((double) out[r][c]).as("zoom %s (%d, %d)", zoom, r, c)
                            .isCloseTo(expected, within(1e-4));
                }
            }
        }
        // Zooming out by 2 leaves a black frame: (−1.5, …) and (4.5, …) fall outside.
        float[][] out = rotateAndScale(0, 0.5);
        assertThat(out[0]).containsOnly(0f);
        assertThat(out[3]).containsOnly(0f);
    }

    @Test
    void randomRotationAndZoomApplyTheDrawnAffineMapWithinTheirRanges() {
        TrainingConfig config = NONE.withAugmentRotate(30).withAugmentScale(0.2);
        float[][][] in = images(N, H, W);
        ImageShape shape = ImageShape.grey(H, W);
        List<float[]> fetched = run(in, true, 3, r -> {
            Ops tf = r.tf();
            Operand<TInt32> on = tf.dtypes.cast(r.training(), TInt32.class);
            Operand<TInt32> n = tf.constant(new int[] {N});
            return List.of(Augmentation.apply(tf, r.batch(), shape, r.training(), r.seed(), config),
                    Augmentation.affineParameters(tf, n, r.seed(), on, 30, 0.2));
        });
        float[] parameters = fetched.get(1);
        Set<Float> angles = new HashSet<>();
        for (int i = 0; i < N; i++) {
            assertThat(Math.abs(parameters[2 * i])).isLessThanOrEqualTo((float) Math.toRadians(30));
            assertThat(parameters[2 * i + 1]).isBetween(0.8f, 1.2f);
            angles.add(parameters[2 * i]);
        }
        assertThat(angles).hasSize(N);
        // The same map, fed explicitly, gives the same images bit for bit.
        float[] explicit = run(in, true, 3, r -> List.of(Augmentation.rotateAndScale(r.tf(), r.batch(), shape,
                r.tf().constant(Shape.of(N, 2), DataBuffers.of(parameters, true, false))))).get(0);
        assertThat(fetched.get(0)).containsExactly(explicit);
        assertThat(fetched.get(0)).isNotEqualTo(flatten(in));
        assertThat(augment(in, config, false, 3)).isDeepEqualTo(in);
    }

    @Test
    void erasingBlackensOneRectangleOfTheDrawnSizeAndNothingElse() {
        int h = 20;
        int w = 16;
        float[][][] in = images(N, h, w);
        ImageShape shape = ImageShape.grey(h, w);
        BiFunction<Double, Long, List<float[]>> erase = (p, step) -> run(in, true, step, r -> {
            Ops tf = r.tf();
            Operand<TInt32> on = tf.dtypes.cast(r.training(), TInt32.class);
            return List.of(Augmentation.apply(tf, r.batch(), shape, r.training(), r.seed(), NONE.withAugmentErase(p)),
                    Augmentation.eraseBoxes(tf, tf.constant(new int[] {N}), shape, r.seed(), on, p));
        });
        List<float[]> always = erase.apply(1.0, 7L);
        float[][][] out = unflatten(always.get(0), N, h, w);
        float[] boxes = always.get(1);
        double meanArea = 0;
        for (int n = 0; n < N; n++) {
            int top = (int) boxes[4 * n];
            int left = (int) boxes[4 * n + 1];
            int height = (int) boxes[4 * n + 2];
            int width = (int) boxes[4 * n + 3];
            assertThat(height).isBetween(1, h);
            assertThat(width).isBetween(1, w);
            assertThat(top).isBetween(0, h - height);
            assertThat(left).isBetween(0, w - width);
            // Sides are rounded (and clipped to the image), so area and aspect ratio hold only roughly.
            double area = (double) height * width / (h * w);
            assertThat(area).isBetween(0.02 * 0.5, 0.33 * 1.3);
            assertThat((double) height / width).isBetween(0.3 / 2, 3.3 * 2);
            meanArea += area / N;
            for (int r = 0; r < h; r++) {
                for (int c = 0; c < w; c++) {
                    boolean inside = r >= top && r < top + height && c >= left && c < left + width;
                    assertThat(out[n][r][c]).as("image %d (%d, %d)", n, r, c).isEqualTo(inside ? 0 : in[n][r][c]);
                }
            }
        }
        assertThat(meanArea).isBetween(0.12, 0.23); // uniform in [0.02, 0.33]: mean 0.175

        List<float[]> half = erase.apply(0.5, 7L);
        long erased = 0;
        for (int n = 0; n < N; n++) {
            erased += half.get(1)[4 * n + 2] > 0 ? 1 : 0;
        }
        assertThat(erased).isBetween(16L, 48L);
        assertThat(augment(in, NONE.withAugmentErase(1), false, 7)).isDeepEqualTo(in);
    }

    @Test
    void outsideTrainingTheBatchIsUnchanged() {
        TrainingConfig all = NONE.withAugmentShift(2).withAugmentFlip(true).withAugmentRotate(20)
                .withAugmentScale(0.1).withAugmentErase(1);
        assertThat(augment(all, false, 1)).isDeepEqualTo(images(N, H, W));
        assertThat(augment(all.withAugmentShift(0).withAugmentCrop(2), false, 1)).isDeepEqualTo(images(N, H, W));
    }

    @Test
    void theSameStepGivesTheSameImagesAndAnotherStepOthers() {
        TrainingConfig all = NONE.withAugmentCrop(1).withAugmentFlip(true).withAugmentRotate(20)
                .withAugmentScale(0.1).withAugmentErase(0.5);
        for (TrainingConfig config : List.of(NONE.withAugmentShift(1).withAugmentFlip(true), all)) {
            assertThat(augment(config, true, 3)).isDeepEqualTo(augment(config, true, 3));
            assertThat(Arrays.deepEquals(augment(config, true, 3), augment(config, true, 4))).isFalse();
        }
    }

    @Test
    void shiftAndCropAreOneTransformSoOnlyOneMayBeGiven() {
        assertThatThrownBy(() -> NONE.withAugmentShift(1).withAugmentCrop(2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("give one of them, got crop 2 and shift 1");
        assertThatThrownBy(() -> NONE.withAugmentRotate(181))
                .hasMessageContaining("augment rotate must be in [0, 180]");
        assertThatThrownBy(() -> NONE.withAugmentScale(1)).hasMessageContaining("augment scale must be in [0, 1)");
        assertThatThrownBy(() -> NONE.withAugmentErase(1.5)).hasMessageContaining("augment erase must be");
    }

    private static float[] floats(org.tensorflow.Tensor t) {
        if (t instanceof TInt32 ints) {
            int[] values = new int[(int) ints.size()];
            ints.copyTo(DataBuffers.of(values, false, false));
            float[] out = new float[values.length];
            for (int i = 0; i < values.length; i++) {
                out[i] = values[i];
            }
            return out;
        }
        TFloat32 f = (TFloat32) t;
        float[] values = new float[(int) f.size()];
        f.copyTo(DataBuffers.of(values, false, false));
        return values;
    }

    private static float[][][] unflatten(float[] flat, int n, int h, int w) {
        float[][][] out = new float[n][h][w];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < h; r++) {
                System.arraycopy(flat, (i * h + r) * w, out[i][r], 0, w);
            }
        }
        return out;
    }

    private static float[] flatten(float[][][] images) {
        int h = images[0].length;
        int w = images[0][0].length;
        float[] flat = new float[images.length * h * w];
        for (int n = 0; n < images.length; n++) {
            for (int r = 0; r < h; r++) {
                System.arraycopy(images[n][r], 0, flat, (n * h + r) * w, w);
            }
        }
        return flat;
    }
}
