package org.digitlab.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {
    @TempDir
    Path dir;

    private BufferedImage roundTrip(BufferedImage image, String name) throws IOException {
        Path file = dir.resolve("plots").resolve(name);
        Plots.writePng(image, file);
        BufferedImage decoded = ImageIO.read(file.toFile());
        assertThat(decoded).as("decoded %s", name).isNotNull();
        return decoded;
    }

    @Test
    void aMachineThatCannotDrawTextIsNamedByTheRootCause() {
        // What a headless JVM without fontconfig throws on its first drawString.
        Runnable noFonts = () -> {
            throw new InternalError(new InvocationTargetException(
                    new RuntimeException("Fontconfig head is null, check your fonts or fonts configuration")));
        };
        Runnable noFreetype = () -> {
            throw new UnsatisfiedLinkError("libfreetype.so.6: cannot open shared object file");
        };
        assertThat(Plots.textProblem(noFonts)).contains("Fontconfig head is null, check your fonts or fonts "
                + "configuration");
        assertThat(Plots.textProblem(noFreetype)).contains("libfreetype.so.6: cannot open shared object file");
        assertThat(Plots.textProblem(() -> { })).isEmpty();
        assertThat(Plots.canDrawText()).as("this machine has fonts: the plot tests below need them").isTrue();
    }

    @Test
    void trainingCurvesStackLossAccuracyAndLearningRatePanels() throws IOException {
        List<EpochRecord> history = new ArrayList<>();
        for (int e = 1; e <= 6; e++) {
            history.add(new EpochRecord(e, 1.0 / e, 0.5 + 0.07 * e, 1.2 / e, 0.45 + 0.07 * e, 0.1 * Math.pow(0.5, e)));
        }
        BufferedImage png = roundTrip(Plots.trainingCurves(history), "curves.png");
        assertThat(png.getWidth()).isEqualTo(900);
        assertThat(png.getHeight()).isEqualTo(320 + 320 + 240);
    }

    @Test
    void trainingCurvesWithoutValidationStillRender() throws IOException {
        List<EpochRecord> history = List.of(new EpochRecord(1, 0.9, 0.6, Double.NaN, Double.NaN, 1e-3),
                new EpochRecord(2, 0.5, 0.8, Double.NaN, Double.NaN, 1e-3));
        assertThat(roundTrip(Plots.trainingCurves(history), "curves.png").getHeight()).isEqualTo(880);
    }

    @Test
    void confusionHeatmapGrowsWithTheNumberOfClassesAndColoursTheDiagonal() throws IOException {
        int[] y = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1};
        ClassificationReport report = ClassificationReport.of(y, y, 10);
        BufferedImage png = roundTrip(Plots.confusionMatrix(report), "confusion.png");
        assertThat(png.getWidth()).isGreaterThan(10 * 26);
        assertThat(png.getHeight()).isGreaterThan(10 * 26);
        // Top-left cell is the full-row diagonal: dark blue, not white.
        BufferedImage direct = Plots.confusionMatrix(report);
        int rgb = direct.getRGB(60 + 10 + 5, 75);
        assertThat(rgb & 0xff).as("blue channel").isGreaterThan((rgb >> 16) & 0xff);
    }

    @Test
    void misclassifiedGridShowsOneScaledTilePerWrongPrediction() throws IOException {
        int n = 5;
        float[] pixels = new float[n * 8 * 8];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (i * 7 % 17) / 16f;
        }
        int[] yTrue = {0, 1, 2, 3, 4};
        int[] yPred = {0, 2, 2, 1, 4};
        BufferedImage png = roundTrip(Plots.misclassifiedGrid(pixels, 8, 8, 1, yTrue, yPred,
                List.of("0", "1", "2", "3", "4"), null, 16), "grid.png");
        // Two wrong predictions side by side, 8x8 enlarged 14 times to 112 pixels, 8 pixels padding.
        assertThat(png.getWidth()).isEqualTo(2 * (112 + 8) + 8);
        assertThat(png.getHeight()).isEqualTo(36 + 112 + 36 + 8);
    }

    @Test
    void misclassifiedGridShowsColourImagesInColourWithTheirFileNames() throws IOException {
        // Two 2x2 RGB images: the first all red, the second all blue; only the first is wrong.
        float[] pixels = {255, 0, 0, 255, 0, 0, 255, 0, 0, 255, 0, 0, 0, 0, 255, 0, 0, 255, 0, 0, 255, 0, 0, 255};
        BufferedImage png = roundTrip(Plots.misclassifiedGrid(pixels, 2, 2, 3, new int[] {0, 1}, new int[] {1, 1},
                List.of("cat", "dog"), List.of("photos/cat/red.png", "photos/dog/blue.png"), 16), "colour.png");
        // One tile, 2x2 enlarged 56 times, three caption lines.
        assertThat(png.getHeight()).isEqualTo(36 + 112 + 54 + 8);
        int centre = png.getRGB(8 + 48, 36 + 56);
        assertThat((centre >> 16) & 0xff).as("red").isGreaterThan(200);
        assertThat(centre & 0xff).as("blue").isLessThan(50);
    }

    @Test
    void misclassifiedImagesAreTakenFromEveryClassInTurn() {
        // Sorted by class as an image folder is: five mistakes of class 0 first, then one of class 1 and of class 2.
        int[] yTrue = {0, 0, 0, 0, 0, 1, 1, 2};
        int[] yPred = {1, 1, 1, 1, 1, 0, 1, 0};
        assertThat(Plots.spreadOverClasses(yTrue, yPred, 3)).containsExactly(0, 5, 7);
        assertThat(Plots.spreadOverClasses(yTrue, yPred, 4)).containsExactly(0, 1, 5, 7);
        assertThat(Plots.spreadOverClasses(yTrue, yPred, 20)).containsExactly(0, 1, 2, 3, 4, 5, 7);
    }

    @Test
    void misclassifiedGridRejectsPixelsThatAreNotWholeImages() {
        assertThatThrownBy(() -> Plots.misclassifiedGrid(new float[100], 28, 28, 1, new int[1], new int[1],
                List.of("0"), null, 4)).isInstanceOf(EvaluationInputException.class).hasMessageContaining("28x28");
    }

    @Test
    void rocCurvePlotDecodes() throws IOException {
        ClassificationReport report = ClassificationReport.builder(new int[] {0, 1, 1, 0}, new int[] {0, 1, 0, 1})
                .probabilities(new double[][] {{0.9, 0.1}, {0.2, 0.8}, {0.6, 0.4}, {0.3, 0.7}}).build();
        BufferedImage png = roundTrip(Plots.rocCurve(report.binaryMetrics().orElseThrow()), "roc.png");
        assertThat(png.getWidth()).isEqualTo(600);
        assertThat(png.getHeight()).isEqualTo(560);
    }

    @Test
    void trialCurvesDrawTheChosenTrialThickInItsOwnColour() throws IOException {
        List<TrialCurve> curves = List.of(
                new TrialCurve("0000", new int[] {1}, new double[] {0.60}),
                new TrialCurve("0001", new int[] {1, 2, 3}, new double[] {0.70, 0.80, 0.85}),
                new TrialCurve("0002", new int[] {1, 2, 3}, new double[] {0.75, Double.NaN, 0.82}),
                new TrialCurve("0003", new int[] {}, new double[] {}));
        BufferedImage withChosen = roundTrip(Plots.trialCurves("val_accuracy", curves, List.of(1, 3), "0001"),
                "sweep.png");
        assertThat(withChosen.getWidth()).isEqualTo(900);
        assertThat(withChosen.getHeight()).isEqualTo(560);
        assertThat(pixelsOf(withChosen, Plots.CHOSEN)).isGreaterThan(100);
        BufferedImage without = Plots.trialCurves("val_accuracy", curves, List.of(), null);
        assertThat(pixelsOf(without, Plots.CHOSEN)).isZero();
    }

    @Test
    void trialCurvesNeedAnEpoch() {
        assertThatThrownBy(() -> Plots.trialCurves("val_loss",
                List.of(new TrialCurve("0000", new int[0], new double[0])), List.of(), null))
                .isInstanceOf(EvaluationInputException.class).hasMessageContaining("no trial");
        assertThatThrownBy(() -> new TrialCurve("7", new int[] {1, 2}, new double[] {0.5}))
                .isInstanceOf(EvaluationInputException.class).hasMessageContaining("trial 7 has 2 epochs");
    }

    private static int pixelsOf(BufferedImage image, java.awt.Color color) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == (color.getRGB() & 0xFFFFFF)) {
                    count++;
                }
            }
        }
        return count;
    }

    @Test
    void learningRateAxisIsLogarithmicForDecaysButNotForRatesThatReachAboutZero() {
        assertThat(Plots.logRateAxis(1e-6, 1e-3)).as("step decay ×0.1 three times").isTrue();
        assertThat(Plots.logRateAxis(1e-3, 1e-3)).as("constant").isFalse();
        assertThat(Plots.logRateAxis(2e-4, 1e-3)).as("a fivefold change").isFalse();
        assertThat(Plots.logRateAxis(3.9e-12, 1e-3)).as("cosine down to about zero").isFalse();
        assertThat(Plots.logRateAxis(0, 1e-3)).as("a zero rate").isFalse();
    }
}
