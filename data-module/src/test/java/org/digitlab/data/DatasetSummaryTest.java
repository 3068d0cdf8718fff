package org.digitlab.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetSummaryTest {

    @Test
    void summarisesShapeCountsAndPixelStatistics() {
        Dataset dataset = Dataset.ofBytes(new ImageShape(1, 2, 2),
                new byte[] {0, 10, 20, 30, (byte) 200, 10, 0, 10, 4, 4, 4, 4},
                new int[] {2, 0, 2}, List.of("a", "b", "c"), 255f);
        DatasetSummary summary = DatasetSummary.of(dataset);
        assertThat(summary.samples()).isEqualTo(3);
        assertThat(summary.height()).isEqualTo(1);
        assertThat(summary.width()).isEqualTo(2);
        assertThat(summary.channels()).isEqualTo(2);
        assertThat(summary.classes()).isEqualTo(3);
        assertThat(summary.classCounts()).containsExactly(1, 0, 2);
        assertThat(summary.classNames()).containsExactly("a", "b", "c");
        assertThat(summary.pixelMin()).isEqualTo(0);
        assertThat(summary.pixelMax()).isEqualTo(200);
        assertThat(summary.pixelMean()).isEqualTo(296 / 12.0);
    }

    @Test
    void textNamesEveryClassWithItsCount() {
        Dataset dataset = SyntheticDatasets.withClassCounts(3, 1);
        String text = DatasetSummary.of(dataset).toText();
        assertThat(text).contains("samples: 4", "2×2×1", "classes: 2", "min 0", "max 255");
        assertThat(text.lines()).anySatisfy(line -> assertThat(line).matches("\\s+0\\s+3\\s+75\\.0%"));
        assertThat(text.lines()).anySatisfy(line -> assertThat(line).matches("\\s+1\\s+1\\s+25\\.0%"));
    }

    @Test
    void summarisesNormalisedFloatPixels() {
        Dataset scaled = Normalization.scale(255).apply(SyntheticDatasets.withClassCounts(2, 2));
        DatasetSummary summary = DatasetSummary.of(scaled);
        assertThat(summary.pixelMax()).isEqualTo(1.0);
        assertThat(summary.pixelMin()).isEqualTo(0.0);
    }

    @Test
    void emptyDatasetHasNoPixelStatistics() {
        Dataset empty = SyntheticDatasets.withClassCounts(2, 2).subset(new int[0]);
        DatasetSummary summary = DatasetSummary.of(empty);
        assertThat(summary.samples()).isZero();
        assertThat(summary.classCounts()).containsExactly(0, 0);
        assertThat(summary.pixelMean()).isNaN();
        assertThat(summary.toText()).contains("samples: 0", "n/a");
    }
}
