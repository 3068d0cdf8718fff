package org.digitlab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NormalizationTest {
    private static final List<String> TWO_CLASSES = Dataset.numericClassNames(2);

    private static Dataset bytes(int... values) {
        byte[] pixels = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            pixels[i] = (byte) values[i];
        }
        return Dataset.ofBytes(ImageShape.grey(1, 2), pixels, new int[values.length / 2], TWO_CLASSES, 255f);
    }

    private static Dataset randomBytes(int samples, int lowest, int highest, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] pixels = new byte[samples * 16];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) random.nextInt(lowest, highest + 1);
        }
        int[] labels = random.ints(samples, 0, 2).toArray();
        return Dataset.ofBytes(ImageShape.grey(4, 4), pixels, labels, TWO_CLASSES, 255f);
    }

    private static double[] meanAndStd(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        double mean = sum / values.length;
        double squares = 0;
        for (float v : values) {
            squares += (v - mean) * (v - mean);
        }
        return new double[] {mean, Math.sqrt(squares / values.length)};
    }

    @Test
    void scaleDividesByPixelMaxAndKeepsLabels() {
        Dataset raw = Dataset.ofBytes(ImageShape.grey(1, 2), new byte[] {0, 51, (byte) 255, (byte) 128},
                new int[] {1, 0}, TWO_CLASSES, 255f);
        Dataset scaled = Normalization.scale(255).apply(raw);
        assertThat(scaled.isBytePixels()).isFalse();
        assertThat(scaled.pixelsAsFloats()).containsExactly(new float[] {0f, 0.2f, 1f, 128 / 255f}, within(1e-7f));
        assertThat(scaled.pixelMax()).isEqualTo(1f);
        assertThat(scaled.labels()).containsExactly(1, 0);
        assertThat(raw.pixel(1, 0)).isEqualTo(255f);
    }

    @Test
    void standardizeWithMnistConstantsMatchesTheFormula() {
        Normalization mnist = Normalization.standardize(0.1307, 0.3081, 255);
        Dataset out = mnist.apply(bytes(0, 255, 128, 64));
        assertThat(out.pixelsAsFloats()).containsExactly(new float[] {
                -0.42421292f, 2.8214867f, (float) ((128 / 255.0 - 0.1307) / 0.3081),
                (float) ((64 / 255.0 - 0.1307) / 0.3081)}, within(1e-5f));
        assertThat(out.pixelMax()).isCloseTo(2.8214867f, within(1e-5f));
        assertThat(mnist.apply(255f, 0)).isCloseTo(2.8214867f, within(1e-5f));
    }

    @Test
    void arrayAndValueFormsAgreeWithDatasetForm() {
        Normalization mnist = Normalization.standardize(0.1307, 0.3081, 255);
        float[] raw = {0, 17, 200, 255};
        float[] inPlace = raw.clone();
        mnist.applyInPlace(inPlace);
        float[] viaDataset = mnist.apply(bytes(0, 17, 200, 255)).pixelsAsFloats();
        assertThat(inPlace).containsExactly(viaDataset);
        for (int i = 0; i < raw.length; i++) {
            assertThat(mnist.apply(raw[i], 0)).isEqualTo(viaDataset[i]);
        }
    }

    @Test
    void noneLeavesPixelsUnchanged() {
        Dataset raw = bytes(3, 4);
        assertThat(Normalization.none().apply(raw)).isSameAs(raw);
        float[] values = {3, 4};
        Normalization.none().applyInPlace(values);
        assertThat(values).containsExactly(3, 4);
    }

    @Test
    void fittedStandardizationGivesZeroMeanAndUnitStdOnTrain() {
        Dataset train = randomBytes(300, 0, 255, 1);
        Normalization fitted = Normalization.fitStandardize(train);
        assertThat(fitted.kind()).isEqualTo(Normalization.Kind.STANDARDIZE);
        assertThat(fitted.pixelMax()).isEqualTo(255);
        double[] stats = meanAndStd(fitted.apply(train).pixelsAsFloats());
        assertThat(stats[0]).isCloseTo(0, within(1e-5));
        assertThat(stats[1]).isCloseTo(1, within(1e-5));
    }

    @Test
    void fittedStatisticsAreInUnitIntervalUnits() {
        Normalization fitted = Normalization.fitStandardize(bytes(0, 255, 255, 0));
        assertThat(fitted.mean().get(0)).isCloseTo(0.5, within(1e-12));
        assertThat(fitted.std().get(0)).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void testSplitIsTransformedWithTrainStatistics() {
        Dataset train = randomBytes(200, 0, 100, 2);
        Dataset test = randomBytes(50, 150, 255, 3);
        Normalization fitted = Normalization.fitStandardize(train);
        Dataset out = fitted.apply(test);
        for (int offset = 0; offset < 16; offset++) {
            double expected = (test.pixel(0, offset) / 255.0 - fitted.mean().get(0)) / fitted.std().get(0);
            assertThat(out.pixel(0, offset)).isCloseTo((float) expected, within(1e-5f));
        }
        // Test pixels are all brighter than any training pixel, so under train statistics they are far above 0.
        assertThat(meanAndStd(out.pixelsAsFloats())[0]).isGreaterThan(2);
    }

    @Test
    void fittingIsAccurateForValuesFarFromZero() {
        float[] pixels = new float[20_000];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = i % 2 == 0 ? 10_000f : 10_002f;
        }
        Dataset floats = Dataset.ofFloats(ImageShape.grey(10, 10), pixels, new int[200], TWO_CLASSES, 100f);
        Normalization fitted = Normalization.fitStandardize(floats);
        assertThat(fitted.mean().get(0)).isCloseTo(100.01, within(1e-11));
        assertThat(fitted.std().get(0)).isCloseTo(0.01, within(1e-11));
    }

    @Test
    void rebuildingFromComponentsGivesAnEqualTransform() {
        Normalization fitted = Normalization.fitStandardize(randomBytes(20, 0, 255, 4));
        Normalization copy = new Normalization(fitted.kind(), fitted.pixelMax(), fitted.mean(), fitted.std());
        assertThat(copy).isEqualTo(fitted);
        assertThat(copy.apply(77f, 0)).isEqualTo(fitted.apply(77f, 0));
    }

    @Test
    void rejectsInvalidComponentsNamingThem() {
        assertThatThrownBy(() -> Normalization.standardize(0.1, 0, 255))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("std");
        assertThatThrownBy(() -> Normalization.standardize(0.1, Double.NaN, 255))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("std");
        assertThatThrownBy(() -> Normalization.scale(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pixelMax");
        assertThatThrownBy(() -> Normalization.standardize(Double.POSITIVE_INFINITY, 1, 255))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mean");
        assertThatThrownBy(() -> new Normalization(Normalization.Kind.SCALE, 255, List.of(0.5), List.of(1.0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only to STANDARDIZE");
        assertThatThrownBy(() -> new Normalization(null, 255, List.of(0.0), List.of(1.0)))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("kind");
    }

    @Test
    void refusesToFitOnConstantOrEmptyData() {
        assertThatThrownBy(() -> Normalization.fitStandardize(bytes(7, 7, 7, 7)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("all (nearly) equal");
        Dataset empty = bytes(1, 2).subset(new int[0]);
        assertThatThrownBy(() -> Normalization.fitStandardize(empty))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    }

    @Test
    void fitsEachChannelOnItsOwn() {
        // Two RGB pixels: red 0 and 255, green always 100 ± 50, blue 255 and 0.
        Dataset rgb = Dataset.ofBytes(new ImageShape(1, 2, 3),
                new byte[] {0, 50, (byte) 255, (byte) 255, (byte) 150, 0}, new int[] {0}, List.of("a"), 255f);
        Normalization fitted = Normalization.fitStandardize(rgb);
        assertThat(fitted.channels()).isEqualTo(3);
        assertThat(fitted.mean()).containsExactly(0.5, 100 / 255.0, 0.5);
        assertThat(fitted.std().get(1)).isCloseTo(50 / 255.0, within(1e-12));
        assertThat(fitted.apply(rgb).pixelsAsFloats()).containsExactly(new float[] {-1, -1, 1, 1, 1, -1},
                within(1e-6f));
        float[] image = {0, 50, 255};
        fitted.applyInPlace(image);
        assertThat(image).containsExactly(new float[] {-1, -1, 1}, within(1e-6f));
    }

    @Test
    void refusesStatisticsThatCannotBePixels() {
        assertThatThrownBy(() -> Normalization.standardize(0.1, 1e-40, 255))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("std must be between 0.001");
        assertThatThrownBy(() -> Normalization.standardize(List.of(0.5, 0.5), List.of(0.2), 255))
                .hasMessageContaining("as many means as standard deviations");
        assertThatThrownBy(() -> Normalization.standardize(List.of(0.5, 0.5), List.of(0.2, 0.2), 255)
                .apply(bytes(1, 2))).hasMessageContaining("statistics for 2 channels but the images have 1");
    }

    @Test
    void refusesToNormaliseTwice() {
        Dataset scaled = Normalization.scale(255).apply(bytes(1, 2));
        assertThatThrownBy(() -> Normalization.scale(255).apply(scaled))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pixel max is 1.0");
    }
}
