package org.digitlab.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.digitlab.app.model.ModelDirectory;
import org.digitlab.app.model.TestReportWriter;
import org.digitlab.app.model.TrainedModels;
import org.digitlab.data.Dataset;
import org.digitlab.data.image.ImageFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictCommandTest {
    /** Held-out digits (not trained on) written out as PNG files. */
    private static final int FIRST = TrainedModels.TRAIN_SIZE;
    private static final int COUNT = 8;

    static Path model;
    static Dataset heldOut;
    static float[][] direct;

    @TempDir
    Path temp;

    @BeforeAll
    static void trainModel() {
        model = TrainedModels.tenClass();
        heldOut = TrainedModels.range(FIRST, FIRST + 200);
        try (ModelDirectory trained = ModelDirectory.open(model)) {
            direct = trained.predict(heldOut);
        }
    }

    @Test
    void pngsWrittenFromTestDataGetTheSameTopClassesAsTheDatasetRows() throws IOException {
        List<String> args = new ArrayList<>(List.of("predict", "--model", model.toString(), "--json"));
        for (int i = 0; i < COUNT; i++) {
            Path png = temp.resolve("digit-" + i + ".png");
            ImageFiles.writePng(heldOut, i, png);
            args.add(png.toString());
        }
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();

        JsonNode array = new ObjectMapper().readTree(run.out());
        assertThat(array.isArray()).isTrue();
        assertThat(array).hasSize(COUNT);
        int[] expected = TestReportWriter.predictedLabels(direct);
        for (int i = 0; i < COUNT; i++) {
            JsonNode image = array.get(i);
            assertThat(image.get("file").asText()).endsWith("digit-" + i + ".png");
            assertThat(image.get("predicted").asText()).isEqualTo(Integer.toString(expected[i]));
            assertThat(image.get("inverted").asBoolean()).isFalse();
            JsonNode top = image.get("top");
            assertThat(top).hasSize(3);
            assertThat(top.get(0).get("label").asText()).isEqualTo(Integer.toString(expected[i]));
            assertThat(top.get(0).get("probability").asDouble())
                    .isCloseTo(direct[i][expected[i]], within(1e-6));
            assertThat(top.get(0).get("probability").asDouble())
                    .isGreaterThanOrEqualTo(top.get(1).get("probability").asDouble());
            assertThat(top.get(1).get("probability").asDouble())
                    .isGreaterThanOrEqualTo(top.get(2).get("probability").asDouble());
        }
    }

    @Test
    void darkOnLightLargerDrawingIsInvertedSaidSoAndRecognised() throws IOException {
        int index = confidentlyRight();
        Path drawing = temp.resolve("drawing.png");
        ImageIO.write(handDrawn(heldOut, index), "png", drawing.toFile());
        String label = heldOut.classNames().get(heldOut.label(index));

        CliRun text = CliRun.of("predict", "--model", model.toString(), drawing.toString());
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.err()).startsWith("preparation: mnist (as the model's run recorded)")
                .contains("note: " + drawing).contains("dark-on-light image inverted");
        assertThat(text.out().lines().toList()).hasSize(1).first().asString()
                .startsWith(drawing + ": " + label + " ").contains("top:");

        CliRun json = CliRun.of("predict", "--model", model.toString(), "--json", "--top", "5",
                drawing.toString());
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode image = new ObjectMapper().readTree(json.out()).get(0);
        assertThat(image.get("inverted").asBoolean()).isTrue();
        assertThat(image.get("preparation").asText()).isEqualTo("mnist");
        assertThat(image.get("note").asText()).contains("inverted");
        assertThat(image.get("predicted").asText()).isEqualTo(label);
        assertThat(image.get("top")).hasSize(5);
    }

    @Test
    void csvSourceNamesRowsBySourceAndIndexWithTheirTrueClass() throws IOException {
        Path csv = temp.resolve("few.csv");
        StringBuilder rows = new StringBuilder();
        float[] pixels = new float[784];
        for (int i = 0; i < 3; i++) {
            heldOut.copyImage(i, pixels, 0);
            rows.append(heldOut.label(i));
            for (float p : pixels) {
                rows.append(',').append((int) p);
            }
            rows.append('\n');
        }
        Files.writeString(csv, rows);
        CliRun run = CliRun.of("predict", "--model", model.toString(), "--csv", csv.toString(), "--json",
                "--top", "1");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode array = new ObjectMapper().readTree(run.out());
        assertThat(array).hasSize(3);
        int[] expected = TestReportWriter.predictedLabels(direct);
        for (int i = 0; i < 3; i++) {
            assertThat(array.get(i).get("file").asText()).isEqualTo("few.csv#" + i);
            assertThat(array.get(i).get("true").asText()).isEqualTo(Integer.toString(heldOut.label(i)));
            assertThat(array.get(i).get("predicted").asText()).isEqualTo(Integer.toString(expected[i]));
            assertThat(array.get(i).get("top")).hasSize(1);
        }
    }

    @Test
    void nothingToPredictOrTwoKindsOfInputExitTwo() throws IOException {
        CliRun none = CliRun.of("predict", "--model", model.toString());
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).startsWith("error: nothing to predict");

        Path png = temp.resolve("digit.png");
        ImageFiles.writePng(heldOut, 0, png);
        CliRun both = CliRun.of("predict", "--model", model.toString(), "--dataset", "mnist-sample",
                png.toString());
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).startsWith("error: ").contains("not both");

        CliRun notImage = CliRun.of("predict", "--model", model.toString(), temp.resolve("missing.png").toString());
        assertThat(notImage.exitCode()).isEqualTo(2);
        assertThat(notImage.err()).startsWith("error: ").contains("missing.png").contains("not found");
    }

    @Test
    void aTruncatedJpegIsAnErrorNamingItOrSkippedWhenAskedAndFoldersAreSearched() throws IOException {
        Path folder = Files.createDirectories(temp.resolve("photos/nested"));
        ImageFiles.writePng(heldOut, 0, folder.resolve("a.png"));
        BufferedImage digit = ImageIO.read(folder.resolve("a.png").toFile());
        Path full = folder.resolve("b.jpg");
        ImageIO.write(digit, "jpg", full.toFile());
        byte[] bytes = Files.readAllBytes(full);
        Path cut = folder.resolve("cut.jpg");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 3));

        CliRun refused = CliRun.of("predict", "--model", model.toString(), temp.resolve("photos").toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err().lines().toList()).hasSize(1).first().asString().startsWith("error: ")
                .contains("cut.jpg").contains("--skip-bad-images");

        CliRun skipped = CliRun.of("predict", "--model", model.toString(), "--skip-bad-images",
                temp.resolve("photos").toString());
        assertThat(skipped.exitCode()).as(skipped.err()).isZero();
        assertThat(skipped.err()).contains("warning: skipped bad image").contains("cut.jpg");
        assertThat(skipped.out().lines().toList()).hasSize(2).anyMatch(line -> line.contains("a.png"))
                .anyMatch(line -> line.contains("b.jpg"));
    }

    /** A held-out digit the model gets right with probability above 0.95. */
    private static int confidentlyRight() {
        return IntStream.range(0, heldOut.size())
                .filter(i -> direct[i][heldOut.label(i)] > 0.95f && heldOut.label(i) != 1)
                .findFirst().orElseThrow();
    }

    /**
     * The digit as if drawn with a pen: dark ink on white paper, enlarged five times with smooth scaling,
     * off-centre on a larger RGB canvas.
     */
    static BufferedImage handDrawn(Dataset data, int index) {
        float[] pixels = new float[784];
        data.copyImage(index, pixels, 0);
        BufferedImage digit = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int ink = 255 - Math.round(pixels[y * 28 + x]);
                digit.setRGB(x, y, new Color(ink, ink, ink).getRGB());
            }
        }
        BufferedImage canvas = new BufferedImage(240, 200, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 240, 200);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(digit, 30, 20, 140, 140, null);
        g.dispose();
        return canvas;
    }
}
