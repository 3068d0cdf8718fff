package org.digitlab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ClassLabelsTest {

    @Test
    void labelSetsWithGapsKeepOnlyThePresentValuesNamedByValue() {
        // Sign-Language-MNIST: letters 0–24 without 9 (J needs motion).
        int[] values = IntStream.rangeClosed(0, 24).filter(v -> v != 9).toArray();
        ClassLabels.Compact compact = ClassLabels.compact(values, "signs.csv");
        assertThat(compact.names()).hasSize(24).startsWith("0", "1").contains("8", "10").endsWith("24")
                .doesNotContain("9");
        assertThat(compact.labels()[9]).isEqualTo(9);
        assertThat(compact.names().get(compact.labels()[9])).isEqualTo("10");
    }

    @Test
    void tooManyDistinctLabelsIsTheWrongColumn() {
        int[] values = IntStream.range(0, ClassLabels.MAX_CLASSES + 1).toArray();
        assertThatThrownBy(() -> ClassLabels.compact(values, "pixels.csv"))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("pixels.csv").hasMessageContaining("1001 distinct labels")
                .hasMessageContaining("at most 1000");
    }

    @Test
    void aStrayLabelFarAboveTheOthersIsRefused() {
        // 0–9 with 100 samples each, and one row labelled 300 (or 65535): a typo, not a class.
        for (int stray : new int[] {300, 65_535}) {
            int[] values = new int[1001];
            for (int i = 0; i < 1000; i++) {
                values[i] = i % 10;
            }
            values[1000] = stray;
            assertThatThrownBy(() -> ClassLabels.compact(values, "digits.csv"))
                    .isInstanceOf(InvalidDataException.class)
                    .hasMessage("digits.csv: label " + stray + " occurs once (first at sample 1000, counting from 0) "
                            + "while the other classes, labels up to 9, have 100–100 samples each: a stray label? Fix "
                            + "or remove that row; a real class needs more samples than that");
        }
    }

    @Test
    void aRareClassAmongTheOthersIsKept() {
        // Label 10 follows 0–9 directly: rare (warned about), but plausibly a real class.
        int[] values = new int[1002];
        for (int i = 0; i < 1000; i++) {
            values[i] = i % 10;
        }
        values[1000] = 10;
        values[1001] = 10;
        assertThat(ClassLabels.compact(values, "digits.csv").names()).hasSize(11).endsWith("10");
    }

    @Test
    void alignRelabelsByNameAndAcceptsMissingClasses() {
        Dataset test = dataset(List.of("3", "7"), 0, 1, 1);
        Dataset aligned = ClassLabels.align(test, List.of("1", "3", "5", "7"), "test set");
        assertThat(aligned.classNames()).containsExactly("1", "3", "5", "7");
        assertThat(aligned.labels()).containsExactly(1, 3, 3);
    }

    @Test
    void alignRefusesClassesTheTrainingDataDoesNotKnow() {
        Dataset test = dataset(List.of("3", "24"), 0, 1);
        assertThatThrownBy(() -> ClassLabels.align(test, List.of("1", "3"), "t10k.csv"))
                .isInstanceOf(InvalidDataException.class)
                .hasMessage("t10k.csv: holds 1 class unknown to the training data (24); known classes: 1, 3");
    }

    @Test
    void renameNamesClassesInOrderOrByLabelValue() {
        Dataset gaps = dataset(List.of("0", "2"), 0, 1);
        assertThat(ClassLabels.rename(gaps, List.of("A", "C"), "names").classNames()).containsExactly("A", "C");
        assertThat(ClassLabels.rename(gaps, List.of("A", "B", "C"), "names").classNames()).containsExactly("A", "C");
        assertThatThrownBy(() -> ClassLabels.rename(gaps, List.of("A", "B", "C", "D"), "names.txt"))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("names.txt: 4 class names for 2 classes (0, 2)")
                .hasMessageContaining("one per label value 0–2");
        assertThatThrownBy(() -> ClassLabels.rename(gaps, List.of("A", "A"), "names"))
                .hasMessageContaining("'A' is given twice");
    }

    private static Dataset dataset(List<String> names, int... labels) {
        return Dataset.ofBytes(ImageShape.grey(1, 1), new byte[labels.length], labels, names, 255f);
    }
}
