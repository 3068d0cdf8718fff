package org.digitlab.app.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.digitlab.app.CliRun;
import org.digitlab.data.Dataset;
import org.digitlab.data.ImageShape;
import org.digitlab.data.InvalidDataException;
import org.digitlab.data.image.Polarity;
import org.digitlab.evaluation.ClassificationReport;
import org.digitlab.evaluation.EpochRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelDirectoryTest {
    static Path tenClass;
    static Path binary;

    @TempDir
    Path temp;

    @BeforeAll
    static void trainModels() {
        tenClass = TrainedModels.tenClass();
        binary = TrainedModels.sixVersusEight();
    }

    @Test
    void datasetInfoDescribesTheTrainingData() throws IOException {
        JsonNode json = ModelDirectory.JSON.readTree(tenClass.resolve(ModelDirectory.DATASET).toFile());
        assertThat(json.get("height").asInt()).isEqualTo(28);
        assertThat(json.get("width").asInt()).isEqualTo(28);
        assertThat(json.get("channels").asInt()).isEqualTo(1);
        assertThat(json.get("pixel_max").asDouble()).isEqualTo(255.0);
        assertThat(json.get("polarity").asText()).isEqualTo("LIGHT_ON_DARK");
        assertThat(json.get("class_names")).hasSize(10);
        try (ModelDirectory model = ModelDirectory.open(binary)) {
            assertThat(model.classNames()).containsExactly("6", "8");
            assertThat(model.dataset().polarity()).isEqualTo(Polarity.LIGHT_ON_DARK);
            assertThat(model.dataset().shape()).isEqualTo(ImageShape.grey(28, 28));
        }
    }

    @Test
    void openingADirectoryWithoutDatasetJsonNamesTheDirectoryAndTheFile() throws IOException {
        Path copy = Files.createDirectories(temp.resolve("incomplete"));
        Files.copy(tenClass.resolve(ModelDirectory.MODEL_SPEC), copy.resolve(ModelDirectory.MODEL_SPEC));
        Files.copy(tenClass.resolve(ModelDirectory.NORMALIZATION), copy.resolve(ModelDirectory.NORMALIZATION));
        assertThatThrownBy(() -> ModelDirectory.open(copy))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(copy.toString()).hasMessageContaining("dataset.json is missing");
        assertThatThrownBy(() -> ModelDirectory.open(temp.resolve("nowhere")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist");
    }

    @Test
    void opensTheRunDirectoryFromItsSavedModelSubfolder() {
        try (ModelDirectory model = ModelDirectory.open(tenClass.resolve(ModelDirectory.SAVED_MODEL))) {
            assertThat(model.dir()).isEqualTo(tenClass);
            assertThat(model.classNames()).hasSize(10);
        }
    }

    @Test
    void corruptNormalizationIsReportedWithItsPath() throws IOException {
        Path copy = copyOf(tenClass, temp.resolve("corrupt"));
        Files.writeString(copy.resolve(ModelDirectory.NORMALIZATION), "{\"kind\": \"SCALE\", \"pixelMax\": -1}");
        assertThatThrownBy(() -> ModelDirectory.open(copy))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining(copy.resolve(ModelDirectory.NORMALIZATION).toString())
                .hasMessageContaining("pixelMax");
    }

    @Test
    void damagedMetadataMakesEvaluateExitTwoWithOneLineNamingTheFileAndLine() throws IOException {
        Path copy = copyOf(tenClass, temp.resolve("damaged"));
        Path normalization = copy.resolve(ModelDirectory.NORMALIZATION);
        String saved = Files.readString(normalization);

        // Two runs' files pasted together: the second object used to be ignored.
        Files.writeString(normalization, saved + saved);
        assertEvaluateRefuses(copy, normalization + ": line " + (saved.split("\n").length + 1)
                + ", column 1: unexpected content after the end of the JSON value; expected one value per file");

        Files.writeString(normalization, saved.substring(0, saved.length() / 2));
        assertEvaluateRefuses(copy, normalization + ": line ");

        Files.delete(normalization);
        Files.createDirectory(normalization);
        assertEvaluateRefuses(copy, normalization + ": is a directory; expected a normalization file");
        Files.delete(normalization);
        Files.writeString(normalization, saved);

        // A fractional image size used to be truncated to 28.
        Path dataset = copy.resolve(ModelDirectory.DATASET);
        String info = Files.readString(dataset);
        int at = info.indexOf("\"height\" : 28,");
        Files.writeString(dataset, info.replace("\"height\" : 28,", "\"height\" : 28.5,"));
        assertEvaluateRefuses(copy, dataset + ": line " + info.substring(0, at).split("\n").length
                + ": height must be a whole number, found 28.5");
    }

    private void assertEvaluateRefuses(Path model, String messageStart) {
        CliRun run = CliRun.of("evaluate", "--model", model.toString(), "--dataset", "mnist-sample",
                "--out", temp.resolve("eval").toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: " + messageStart).hasLineCount(1);
    }

    @Test
    void predictsHeldOutDigitsWellWithProbabilitiesSummingToOne() {
        Dataset heldOut = TrainedModels.range(TrainedModels.TRAIN_SIZE, TrainedModels.TRAIN_SIZE + 1000);
        try (ModelDirectory model = ModelDirectory.open(tenClass)) {
            float[][] probabilities = model.predict(heldOut);
            assertThat(probabilities).hasNumberOfRows(1000);
            for (float[] row : probabilities) {
                assertThat(row).hasSize(10);
                double sum = 0;
                for (float p : row) {
                    sum += p;
                }
                assertThat(sum).isCloseTo(1.0, within(1e-4));
            }
            int[] predicted = TestReportWriter.predictedLabels(probabilities);
            long correct = IntStream.range(0, 1000)
                    .filter(i -> predicted[i] == heldOut.label(i)).count();
            assertThat(correct).isGreaterThan(800);
        }
    }

    @Test
    void rejectsDataOfAnotherShapeOrPixelRange() {
        Dataset small = Dataset.ofFloats(ImageShape.grey(8, 8), new float[2 * 64], new int[] {0, 1},
                Dataset.numericClassNames(10), 16f);
        Dataset wrongRange = Dataset.ofFloats(ImageShape.grey(28, 28), new float[784], new int[] {0},
                Dataset.numericClassNames(10), 1f);
        try (ModelDirectory model = ModelDirectory.open(tenClass)) {
            assertThatThrownBy(() -> model.predict(small)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("28×28").hasMessageContaining("8×8");
            assertThatThrownBy(() -> model.compatible(small, "digits.csv"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("digits.csv");
            assertThatThrownBy(() -> model.predict(wrongRange)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("pixel max is 1.0");
        }
    }

    @Test
    void binaryModelKeepsItsClassesOfTenClassDataAndGivesTwoColumns() {
        try (ModelDirectory model = ModelDirectory.open(binary)) {
            Dataset sixesAndEights = model.compatible(TrainedModels.range(2000, 3000), "mnist-sample");
            assertThat(sixesAndEights.classNames()).containsExactly("6", "8");
            float[][] probabilities = model.predict(sixesAndEights);
            assertThat(probabilities[0]).hasSize(2);
            assertThat(probabilities[0][0] + probabilities[0][1]).isCloseTo(1f, within(1e-6f));
        }
    }

    @Test
    void reportWriterWritesEveryFileAndTheScikitLearnTextReport() throws IOException {
        Dataset test = TrainedModels.range(2000, 2500);
        float[][] probabilities;
        try (ModelDirectory model = ModelDirectory.open(tenClass)) {
            probabilities = model.predict(test);
        }
        List<EpochRecord> history = List.of(new EpochRecord(1, 0.9, 0.7, Double.NaN, Double.NaN, 0.01),
                new EpochRecord(2, 0.5, 0.85, Double.NaN, Double.NaN, 0.01));
        Path out = temp.resolve("report");
        ClassificationReport report = TestReportWriter.write(out, test, probabilities, history);

        ClassificationReport expected = ClassificationReport.builder(test.labels(),
                TestReportWriter.predictedLabels(probabilities)).numClasses(10).build();
        assertThat(Files.readString(out.resolve("report.txt"))).isEqualTo(expected.toText());
        assertThat(report.accuracy()).isEqualTo(expected.accuracy());
        assertThat(Files.readAllLines(out.resolve("confusion.csv")).get(0))
                .isEqualTo("true\\predicted,0,1,2,3,4,5,6,7,8,9");
        List<String> predictions = Files.readAllLines(out.resolve("predictions.csv"));
        assertThat(predictions).hasSize(501);
        assertThat(predictions.get(0)).startsWith("index,true,predicted,p_0,").endsWith(",p_9");
        assertThat(predictions.get(1)).startsWith("0," + test.label(0) + ",");
        for (String plot : List.of("confusion_matrix.png", "misclassified.png", "training_curves.png")) {
            assertThat(out.resolve("plots").resolve(plot)).isNotEmptyFile();
        }
        assertThat(out.resolve("plots/roc_curve.png")).doesNotExist();
        assertThat(out).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void binaryReportHasARocCurve() {
        try (ModelDirectory model = ModelDirectory.open(binary)) {
            Dataset test = model.compatible(TrainedModels.range(2000, 4000), "mnist-sample");
            ClassificationReport report = TestReportWriter.write(temp, test, model.predict(test), null);
            assertThat(report.binaryMetrics()).isPresent();
            assertThat(report.binaryMetrics().get().rocAuc()).isGreaterThan(0.9);
            assertThat(temp.resolve("plots/roc_curve.png")).isNotEmptyFile();
            assertThat(temp.resolve("plots/training_curves.png")).doesNotExist();
        }
    }

    @Test
    void binaryPredictionIsClassOneFromHalfProbabilityUp() {
        float[][] probabilities = {{0.5f, 0.5f}, {0.51f, 0.49f}, {0.1f, 0.7f, 0.2f}, {0.3f, 0.3f, 0.4f}};
        assertThat(TestReportWriter.predictedLabels(probabilities)).containsExactly(1, 0, 1, 2);
    }

    /** A copy of the model directory {@code model} at {@code target}. */
    static Path copyOf(Path model, Path target) throws IOException {
        try (var walk = Files.walk(model)) {
            for (Path p : walk.toList()) {
                Path to = target.resolve(model.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        return target;
    }
}
