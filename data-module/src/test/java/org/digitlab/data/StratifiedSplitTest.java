package org.digitlab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class StratifiedSplitTest {
    private final Dataset imbalanced = SyntheticDatasets.withClassCounts(50, 7, 13, 1, 0, 29);

    @Test
    void keepsClassProportionsWithinOneSamplePerClass() {
        double[][] fractionSets = {{0.7, 0.15, 0.15}, {0.8, 0.2, 0}, {1.0 / 3, 1.0 / 3, 1.0 / 3}, {0.5, 0.25, 0.25}};
        for (double[] f : fractionSets) {
            StratifiedSplit.Split split = StratifiedSplit.split(imbalanced, f[0], f[1], f[2], 42);
            Dataset[] parts = {split.train(), split.validation(), split.test()};
            int[] whole = imbalanced.classCounts();
            for (int p = 0; p < 3; p++) {
                int[] counts = parts[p].classCounts();
                for (int c = 0; c < whole.length; c++) {
                    assertThat(Math.abs(counts[c] - whole[c] * f[p]))
                            .as("class %d in part %d for fractions %s", c, p, Arrays.toString(f))
                            .isLessThan(1.0);
                }
            }
        }
    }

    @Test
    void partsAreDisjointAndTogetherHoldEverySample() {
        StratifiedSplit.Split split = StratifiedSplit.split(imbalanced, 0.6, 0.2, 0.2, 7);
        int[] all = IntStream.concat(IntStream.concat(Arrays.stream(split.trainIndices()),
                Arrays.stream(split.validationIndices())), Arrays.stream(split.testIndices())).sorted().toArray();
        assertThat(all).isEqualTo(IntStream.range(0, imbalanced.size()).toArray());
    }

    @Test
    void eachPartHoldsTheSamplesItsIndicesName() {
        StratifiedSplit.Split split = StratifiedSplit.split(imbalanced, 0.6, 0.2, 0.2, 7);
        int[] indices = split.testIndices();
        assertThat(split.test().size()).isEqualTo(indices.length);
        assertThat(indices).isSorted();
        for (int i = 0; i < indices.length; i++) {
            assertThat(SyntheticDatasets.sourceIndex(split.test(), i)).isEqualTo(indices[i]);
            assertThat(split.test().label(i)).isEqualTo(imbalanced.label(indices[i]));
        }
        assertThat(split.test().classNames()).isEqualTo(imbalanced.classNames());
    }

    @Test
    void sameSeedGivesSameSplit() {
        StratifiedSplit.Split a = StratifiedSplit.split(imbalanced, 0.7, 0.15, 0.15, 123);
        StratifiedSplit.Split b = StratifiedSplit.split(imbalanced, 0.7, 0.15, 0.15, 123);
        assertThat(a.trainIndices()).isEqualTo(b.trainIndices());
        assertThat(a.validationIndices()).isEqualTo(b.validationIndices());
        assertThat(a.testIndices()).isEqualTo(b.testIndices());
    }

    @Test
    void differentSeedGivesDifferentSplit() {
        StratifiedSplit.Split a = StratifiedSplit.split(imbalanced, 0.7, 0.15, 0.15, 1);
        StratifiedSplit.Split b = StratifiedSplit.split(imbalanced, 0.7, 0.15, 0.15, 2);
        assertThat(a.testIndices()).isNotEqualTo(b.testIndices());
        assertThat(a.test().classCounts()).isEqualTo(b.test().classCounts());
    }

    @Test
    void invariantsHoldForManySeedsAndFractions() {
        SplittableRandom random = new SplittableRandom(5);
        for (int trial = 0; trial < 200; trial++) {
            double train = random.nextDouble();
            double validation = random.nextDouble() * (1 - train);
            double test = 1 - train - validation;
            StratifiedSplit.Split split = StratifiedSplit.split(imbalanced, train, validation, test, trial);
            assertThat(split.train().size() + split.validation().size() + split.test().size())
                    .isEqualTo(imbalanced.size());
            int[] whole = imbalanced.classCounts();
            int[] t = split.train().classCounts();
            for (int c = 0; c < whole.length; c++) {
                assertThat(Math.abs(t[c] - whole[c] * train)).isLessThan(1.0);
            }
        }
    }

    @Test
    void zeroFractionGivesEmptyDatasetOfSameShapeAndClasses() {
        StratifiedSplit.Split split = StratifiedSplit.split(imbalanced, 0.8, 0.2, 0, 3);
        assertThat(split.test().size()).isZero();
        assertThat(split.testIndices()).isEmpty();
        assertThat(split.test().shape()).isEqualTo(imbalanced.shape());
        assertThat(split.test().numClasses()).isEqualTo(imbalanced.numClasses());
        assertThat(split.train().size() + split.validation().size()).isEqualTo(imbalanced.size());
    }

    @Test
    void emptyDatasetSplitsIntoEmptyParts() {
        Dataset empty = imbalanced.subset(new int[0]);
        StratifiedSplit.Split split = StratifiedSplit.split(empty, 0.6, 0.2, 0.2, 1);
        assertThat(split.train().size() + split.validation().size() + split.test().size()).isZero();
    }

    @Test
    void singleSampleClassGoesToTheLargestPart() {
        Dataset tiny = SyntheticDatasets.withClassCounts(1, 1);
        StratifiedSplit.Split split = StratifiedSplit.split(tiny, 0.2, 0.7, 0.1, 9);
        assertThat(split.validation().size()).isEqualTo(2);
    }

    @Test
    void indexArraysCannotBeChangedFromOutside() {
        StratifiedSplit.Split split = StratifiedSplit.split(imbalanced, 0.5, 0.5, 0, 1);
        split.trainIndices()[0] = -1;
        assertThat(split.trainIndices()[0]).isNotNegative();
    }

    @Test
    void holdOutKeepsProportionsAndCoversEverySample() {
        StratifiedSplit.HoldOut parts = StratifiedSplit.holdOut(imbalanced, 0.25, 11);
        int[] whole = imbalanced.classCounts();
        int[] held = parts.heldOut().classCounts();
        for (int c = 0; c < whole.length; c++) {
            assertThat(Math.abs(held[c] - whole[c] * 0.25)).isLessThan(1.0);
            assertThat(parts.kept().classCounts()[c] + held[c]).isEqualTo(whole[c]);
        }
        int[] all = IntStream.concat(Arrays.stream(parts.keptIndices()), Arrays.stream(parts.heldOutIndices()))
                .sorted().toArray();
        assertThat(all).isEqualTo(IntStream.range(0, imbalanced.size()).toArray());
        assertThat(StratifiedSplit.holdOut(imbalanced, 0.25, 11).heldOutIndices()).isEqualTo(parts.heldOutIndices());
    }

    @Test
    void rejectsFractionsThatDoNotSumToOne() {
        assertThatThrownBy(() -> StratifiedSplit.split(imbalanced, 0.7, 0.2, 0.2, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sum to 1");
    }

    @Test
    void rejectsNegativeOrNonFiniteFractionsNamingThePart() {
        assertThatThrownBy(() -> StratifiedSplit.split(imbalanced, 1.1, -0.1, 0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("validation fraction");
        assertThatThrownBy(() -> StratifiedSplit.split(imbalanced, 0.5, 0.5, Double.NaN, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("test fraction");
        assertThatThrownBy(() -> StratifiedSplit.holdOut(imbalanced, 1.5, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1.5");
    }

    @Test
    void sampleTakesExactlyNKeepingClassProportionsAndOrder() {
        // Sorted by class, as an image folder is: the first 30 would all be class 0.
        int[] labels = new int[100];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i < 50 ? 0 : i < 80 ? 1 : 2;
        }
        Dataset sorted = Dataset.ofBytes(ImageShape.grey(1, 1), new byte[100], labels, List.of("a", "b", "c"), 255f);
        Dataset sample = StratifiedSplit.sample(sorted, 30, 7);
        assertThat(sample.size()).isEqualTo(30);
        assertThat(sample.classCounts()).containsExactly(15, 9, 6);
        assertThat(sample.labels()).isSorted();
        assertThat(StratifiedSplit.sample(sorted, 30, 7).labels()).containsExactly(sample.labels());
        assertThat(StratifiedSplit.sample(sorted, 500, 7)).isSameAs(sorted);
    }
}
