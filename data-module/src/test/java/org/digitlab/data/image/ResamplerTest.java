package org.digitlab.data.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ResamplerTest {
    /** Resamples a grey plane given as rows and returns the rows of the result. */
    private static int[][] resample(int[][] rows, int outHeight, int outWidth) {
        int height = rows.length;
        int width = rows[0].length;
        float[] plane = new float[height * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                plane[y * width + x] = rows[y][x];
            }
        }
        byte[] out = new byte[outHeight * outWidth];
        Resampler.of(height, width, outHeight, outWidth).resample(plane, width, out, 0, 1);
        int[][] result = new int[outHeight][outWidth];
        for (int y = 0; y < outHeight; y++) {
            for (int x = 0; x < outWidth; x++) {
                result[y][x] = out[y * outWidth + x] & 0xFF;
            }
        }
        return result;
    }

    @Test
    void halvingAveragesEachTwoByTwoBlockRoundingHalvesUp() {
        int[][] in = {
            {10, 20, 30, 40},
            {50, 60, 70, 80},
            {1, 2, 3, 4},
            {5, 6, 7, 9}};

        // (10+20+50+60)/4 = 35, (30+40+70+80)/4 = 55, (1+2+5+6)/4 = 3.5 → 4, (3+4+7+9)/4 = 5.75 → 6
        assertThat(resample(in, 2, 2)).isEqualTo(new int[][] {{35, 55}, {4, 6}});
    }

    @Test
    void shrinkingByAFractionWeightsPartlyCoveredPixelsByTheirShare() {
        // 3 → 2: output 0 covers source [0, 1.5): 2/3 of pixel 0 and 1/3 of pixel 1; output 1 the mirror image.
        int[][] in = {
            {0, 90, 180},
            {9, 99, 189},
            {18, 108, 198}};

        // rows: [30, 150], [39, 159], [48, 168]; then columns: 2/3·30 + 1/3·39 = 33, 1/3·39 + 2/3·48 = 45, …
        assertThat(resample(in, 2, 2)).isEqualTo(new int[][] {{33, 153}, {45, 165}});
    }

    @Test
    void shrinkingFiveToTwoSharesTheMiddlePixel() {
        int[] row = {10, 20, 30, 40, 50};
        int[][] in = {row, row, row, row, row};

        // Output 0 covers [0, 2.5): 0.4·10 + 0.4·20 + 0.2·30 = 18; output 1 covers [2.5, 5): 0.2·30 + 0.4·40 + 0.4·50
        assertThat(resample(in, 2, 2)).isEqualTo(new int[][] {{18, 42}, {18, 42}});
    }

    @Test
    void doublingInterpolatesBilinearlyWithHalfPixelCentres() {
        int[][] in = {
            {0, 100},
            {200, 40}};

        // Output centres map to source −0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1) on each axis.
        assertThat(resample(in, 4, 4)).isEqualTo(new int[][] {
            {0, 25, 75, 100},
            {50, 59, 76, 85},
            {150, 126, 79, 55},
            {200, 160, 80, 40}});
    }

    @Test
    void growingByAFractionPutsTheMiddleOutputBetweenTwoSources() {
        // 2 → 3: centres at −1/6 (clamped to 0), 0.5 and 7/6 (clamped to 1).
        assertThat(resample(new int[][] {{10, 30}, {10, 30}}, 3, 3))
                .isEqualTo(new int[][] {{10, 20, 30}, {10, 20, 30}, {10, 20, 30}});
    }

    @Test
    void widerImageIsCroppedToTheCentreColumnsOfTheTargetAspect() {
        int[][] in = {
            {0, 1, 2, 3, 4, 5},
            {10, 11, 12, 13, 14, 15},
            {20, 21, 22, 23, 24, 25}};

        // 3×6 → 3×3: crop width 3 at offset (6 − 3) / 2 = 1, then nothing to resize.
        assertThat(resample(in, 3, 3)).isEqualTo(new int[][] {{1, 2, 3}, {11, 12, 13}, {21, 22, 23}});
    }

    @Test
    void tallerImageIsCroppedToTheCentreRowsRoundingTheOffsetDown() {
        int[][] in = {{0, 0}, {10, 10}, {20, 20}, {30, 30}, {40, 40}};

        // 5×2 → 2×2: crop height 2 at offset (5 − 2) / 2 = 1.
        assertThat(resample(in, 2, 2)).isEqualTo(new int[][] {{10, 10}, {20, 20}});
    }

    @Test
    void cropThenShrinkKeepsTheAspectRatio() {
        int[][] in = {
            {9, 0, 10, 20, 30, 40, 9},
            {9, 50, 60, 70, 80, 90, 9},
            {9, 100, 110, 120, 130, 140, 9},
            {9, 150, 160, 170, 180, 190, 9}};

        // 4×7 → 2×3: crop width ⌊4·3/2⌋ = 6 at offset ⌊1/2⌋ = 0 (columns 0–5), then 2×2 blocks averaged:
        // (9+0+9+50)/4 = 17, (10+20+60+70)/4 = 40, … (9+100+9+150)/4 = 67, …
        assertThat(resample(in, 2, 3)).isEqualTo(new int[][] {{17, 40, 60}, {67, 140, 160}});
    }

    @Test
    void imageOfTheTargetSizeIsUnchangedBitForBit() {
        Random random = new Random(7);
        int[][] in = new int[5][7];
        for (int[] row : in) {
            for (int x = 0; x < row.length; x++) {
                row[x] = random.nextInt(256);
            }
        }

        assertThat(resample(in, 5, 7)).isEqualTo(in);
    }

    @Test
    void onePixelGrowsToAFlatImage() {
        assertThat(resample(new int[][] {{77}}, 3, 3))
                .isEqualTo(new int[][] {{77, 77, 77}, {77, 77, 77}, {77, 77, 77}});
    }
}
