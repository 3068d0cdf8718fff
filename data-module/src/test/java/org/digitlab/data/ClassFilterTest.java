package org.digitlab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassFilterTest {
    private final Dataset digits = SyntheticDatasets.withClassCounts(5, 6, 7, 8, 9, 10, 11, 12, 13, 14);

    @Test
    void keepsTwoDigitsRelabelledZeroAndOneWithTheirNames() {
        Dataset sixVsEight = ClassFilter.keep(digits, 6, 8);
        assertThat(sixVsEight.classNames()).containsExactly("6", "8");
        assertThat(sixVsEight.classCounts()).containsExactly(11, 13);
        for (int i = 0; i < sixVsEight.size(); i++) {
            int source = SyntheticDatasets.sourceIndex(sixVsEight, i);
            assertThat(digits.label(source)).isEqualTo(sixVsEight.label(i) == 0 ? 6 : 8);
            if (i > 0) {
                assertThat(source).as("source order kept").isGreaterThan(SyntheticDatasets.sourceIndex(sixVsEight, i - 1));
            }
        }
    }

    @Test
    void newLabelsFollowTheGivenOrder() {
        Dataset eightVsSix = ClassFilter.keep(digits, 8, 6);
        assertThat(eightVsSix.classNames()).containsExactly("8", "6");
        assertThat(eightVsSix.classCounts()).containsExactly(13, 11);
    }

    @Test
    void keepsClassesByName() {
        int[] labels = {0, 1, 2, 2, 1, 0, 2};
        Dataset animals = SyntheticDatasets.ofLabels(labels, List.of("cat", "dog", "bird"));
        Dataset birdsAndCats = ClassFilter.keepNamed(animals, "bird", "cat");
        assertThat(birdsAndCats.classNames()).containsExactly("bird", "cat");
        assertThat(birdsAndCats.labels()).containsExactly(1, 0, 0, 1, 0);
    }

    @Test
    void keepsFloatPixelsAsFloats() {
        Dataset scaled = Normalization.scale(255).apply(digits);
        Dataset kept = ClassFilter.keep(scaled, 3);
        assertThat(kept.isBytePixels()).isFalse();
        assertThat(kept.size()).isEqualTo(8);
        assertThat(kept.pixel(0, 2)).isEqualTo(3 / 255f);
    }

    @Test
    void rejectsUnknownClassNamingIt() {
        assertThatThrownBy(() -> ClassFilter.keep(digits, 6, 12))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("class 12");
        assertThatThrownBy(() -> ClassFilter.keepNamed(digits, "6", "six"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"six\"");
    }

    @Test
    void rejectsRepeatedOrMissingClasses() {
        assertThatThrownBy(() -> ClassFilter.keep(digits, 6, 6))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> ClassFilter.keep(digits))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
    }
}
