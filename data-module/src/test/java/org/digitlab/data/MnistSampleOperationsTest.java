package org.digitlab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import org.digitlab.data.idx.IdxReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dataset operations on the 10,000 real MNIST digits of the built-in sample. */
class MnistSampleOperationsTest {
    private static final String BUILTIN = "/org/digitlab/data/builtin/";
    private static Dataset mnist;

    @BeforeAll
    static void readSample() throws IOException {
        try (InputStream images = MnistSampleOperationsTest.class.getResourceAsStream(
                BUILTIN + "mnist-sample-images-idx3-ubyte.gz");
             InputStream labels = MnistSampleOperationsTest.class.getResourceAsStream(
                     BUILTIN + "mnist-sample-labels-idx1-ubyte.gz")) {
            mnist = IdxReader.read("mnist-sample images", images, "mnist-sample labels", labels);
        }
    }

    @Test
    void summaryMatchesTheSampleReadme() {
        DatasetSummary summary = DatasetSummary.of(mnist);
        assertThat(summary.samples()).isEqualTo(10_000);
        assertThat(summary.height()).isEqualTo(28);
        assertThat(summary.width()).isEqualTo(28);
        assertThat(summary.channels()).isEqualTo(1);
        assertThat(summary.classCounts()).containsExactly(1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978);
        assertThat(summary.pixelMin()).isEqualTo(0);
        assertThat(summary.pixelMax()).isEqualTo(255);
        // Well-known MNIST statistic: mean intensity ≈ 0.13 of full scale.
        assertThat(summary.pixelMean() / 255).isCloseTo(0.1307, within(0.005));
    }

    @Test
    void stratifiedSplitOfRealDigitsKeepsEveryDigitsShare() {
        StratifiedSplit.Split split = StratifiedSplit.split(mnist, 0.8, 0.1, 0.1, 2024);
        int[] whole = mnist.classCounts();
        int[] validation = split.validation().classCounts();
        for (int c = 0; c < 10; c++) {
            assertThat(Math.abs(validation[c] - whole[c] * 0.1)).isLessThan(1.0);
        }
        assertThat(split.train().size() + split.validation().size() + split.test().size()).isEqualTo(10_000);
    }

    @Test
    void statisticsFittedOnTrainStandardiseTrainAndCarryToTest() {
        StratifiedSplit.Split split = StratifiedSplit.split(mnist, 0.8, 0.1, 0.1, 7);
        Normalization fitted = Normalization.fitStandardize(split.train());
        assertThat(fitted.mean().get(0)).isCloseTo(0.1307, within(0.005));
        assertThat(fitted.std().get(0)).isCloseTo(0.3081, within(0.005));
        Normalization refitted = new Normalization(fitted.kind(), fitted.pixelMax(), fitted.mean(), fitted.std());
        assertThat(refitted.apply(split.test()).pixelsAsFloats())
                .isEqualTo(fitted.apply(split.test()).pixelsAsFloats());
        DatasetSummary train = DatasetSummary.of(fitted.apply(split.train()));
        assertThat(train.pixelMean()).isCloseTo(0, within(1e-4));
    }

    @Test
    void sixVersusEightKeepsEveryImageOfBothDigits() {
        Dataset sixVsEight = ClassFilter.keepNamed(mnist, "6", "8");
        assertThat(sixVsEight.classNames()).containsExactly("6", "8");
        assertThat(sixVsEight.classCounts()).containsExactly(1014, 944);
    }
}
