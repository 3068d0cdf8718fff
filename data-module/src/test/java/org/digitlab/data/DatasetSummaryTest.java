package org.digitlab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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

    @Test
    void byteDatasetsAreSummarisedFromHistogramsExactlyAsFromFloats() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        byte[] bytes = new byte[50 * 4 * 4 * 3];
        float[] floats = new float[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) random.nextInt(20, 240);
            floats[i] = bytes[i] & 0xFF;
        }
        int[] labels = new int[50];
        ImageShape rgb = new ImageShape(4, 4, 3);
        DatasetSummary fromBytes = DatasetSummary.of(Dataset.ofBytes(rgb, bytes, labels, List.of("a"), 255f));
        DatasetSummary fromFloats = DatasetSummary.of(Dataset.ofFloats(rgb, floats, labels, List.of("a"), 255f));
        assertThat(fromBytes.pixelMin()).isEqualTo(fromFloats.pixelMin());
        assertThat(fromBytes.pixelMax()).isEqualTo(fromFloats.pixelMax());
        assertThat(fromBytes.pixelMean()).isCloseTo(fromFloats.pixelMean(), within(1e-9));
        for (int c = 0; c < 3; c++) {
            assertThat(fromBytes.channelMean().get(c)).isCloseTo(fromFloats.channelMean().get(c), within(1e-9));
            assertThat(fromBytes.channelStd().get(c)).isCloseTo(fromFloats.channelStd().get(c), within(1e-9));
        }
    }
}
