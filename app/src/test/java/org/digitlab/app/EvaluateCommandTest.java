package org.digitlab.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.digitlab.app.model.ModelDirectory;
import org.digitlab.app.model.TestReportWriter;
import org.digitlab.app.model.TrainedModels;
import org.digitlab.data.Dataset;
import org.digitlab.data.idx.IdxWriter;
import org.digitlab.evaluation.ClassificationReport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateCommandTest {
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
    void evaluatesOnMnistSampleWritesEveryFileAndPrintsTheReport() throws IOException {
        Path out = temp.resolve("eval");
        CliRun run = CliRun.of("evaluate", "--model", tenClass.toString(), "--dataset", "mnist-sample",
                "--out", out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();

        Dataset all = TrainedModels.mnistSample();
        float[][] probabilities;
        try (ModelDirectory model = ModelDirectory.open(tenClass)) {
            probabilities = model.predict(all);
        }
        ClassificationReport expected = ClassificationReport.builder(all.labels(),
                TestReportWriter.predictedLabels(probabilities)).numClasses(10).build();
        assertThat(Files.readString(out.resolve("report.txt"))).isEqualTo(expected.toText());
        assertThat(run.out()).contains(expected.toText()).contains("10000 images").contains(out.toString());
        for (String file : List.of("confusion.csv", "predictions.csv", "metrics.json", "plots/confusion_matrix.png",
                "plots/misclassified.png")) {
            assertThat(out.resolve(file)).isNotEmptyFile();
        }
        assertThat(Files.readAllLines(out.resolve("predictions.csv"))).hasSize(10_001);
        JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertThat(metrics.at("/test/accuracy").asDouble()).isEqualTo(expected.accuracy());
        assertThat(metrics.at("/test/samples").asInt()).isEqualTo(10_000);
        assertThat(metrics.get("data").asText()).isEqualTo("mnist-sample");
    }

    @Test
    void jsonPrintsOneObjectEqualToMetricsJson() throws IOException {
        Path out = temp.resolve("eval");
        CliRun run = CliRun.of("evaluate", "--model", tenClass.toString(), "--dataset", "mnist-sample",
                "--limit", "300", "--out", out.toString(), "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        ObjectMapper mapper = new ObjectMapper();
        JsonNode printed = mapper.readTree(run.out());
        assertThat(printed).isEqualTo(mapper.readTree(out.resolve("metrics.json").toFile()));
        assertThat(printed.fieldNames()).toIterable().contains("test", "model", "data");
        assertThat(printed.get("test").fieldNames()).toIterable().contains("accuracy", "loss", "macro_precision",
                "macro_recall", "macro_f1", "weighted_precision", "weighted_recall", "weighted_f1", "per_class");
        assertThat(printed.at("/test/per_class")).hasSize(10);
        assertThat(printed.at("/test/per_class/7/name").asText()).isEqualTo("7");
        assertThat(printed.at("/test/samples").asInt()).isEqualTo(300);
        assertThat(printed.get("model").asText()).isEqualTo(tenClass.toString());
    }

    @Test
    void writesIntoTheModelDirectoryByDefault() throws IOException {
        CliRun run = CliRun.of("evaluate", "--model", tenClass.toString(), "--dataset", "mnist-sample",
                "--limit", "100");
        assertThat(run.exitCode()).as(run.err()).isZero();
        try (Stream<Path> dirs = Files.list(tenClass.resolve("evaluations"))) {
            List<Path> written = dirs.filter(d -> Files.exists(d.resolve("report.txt"))).toList();
            assertThat(written).isNotEmpty();
            assertThat(written.get(0).getFileName().toString()).matches("mnist-sample-\\d{8}-\\d{6}");
        }
    }

    @Test
    void binaryModelIsEvaluatedOnItsTwoClassesWithARocCurve() throws IOException {
        Path out = temp.resolve("eval");
        CliRun run = CliRun.of("evaluate", "--model", binary.toString(), "--dataset", "mnist-sample",
                "--out", out.toString(), "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode metrics = new ObjectMapper().readTree(run.out());
        assertThat(metrics.at("/test/per_class")).hasSize(2);
        assertThat(metrics.at("/test/per_class/1/name").asText()).isEqualTo("8");
        assertThat(metrics.at("/test/roc_auc").asDouble()).isGreaterThan(0.95);
        assertThat(out.resolve("plots/roc_curve.png")).isNotEmptyFile();
    }

    @Test
    void notAModelDirectoryExitsTwoNamingTheMissingFile() {
        CliRun run = CliRun.of("evaluate", "--model", temp.toString(), "--dataset", "mnist-sample");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines().toList()).hasSize(1).first().asString()
                .startsWith("error: ").contains(temp.toString()).contains("is missing");
    }

    @Test
    void dataOfAnotherShapeExitsTwo() throws IOException {
        Path csv = temp.resolve("digits.csv");
        StringBuilder rows = new StringBuilder();
        for (int label = 0; label < 10; label++) {
            rows.append(label).append(",0".repeat(64)).append('\n');
        }
        Files.writeString(csv, rows);
        CliRun run = CliRun.of("evaluate", "--model", tenClass.toString(), "--csv", csv.toString(),
                "--out", temp.resolve("eval").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: ").contains("digits.csv").contains("8×8").contains("28×28");
        assertThat(temp.resolve("eval")).doesNotExist();
    }

    @Test
    void imagesOfClassesTheModelDoesNotKnowAreAnErrorUnlessExcludedAndCounted() throws IOException {
        // 500 real digits relabelled 0–24: a ten-class model knows only 0–9.
        Dataset digits = TrainedModels.range(5000, 5500);
        int[] labels = new int[digits.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 25;
        }
        Dataset letters = Dataset.ofBytes(digits.shape(), toBytes(digits), labels, Dataset.numericClassNames(25),
                255f);
        Path images = temp.resolve("letters-images.idx");
        Path labelFile = temp.resolve("letters-labels.idx");
        IdxWriter.write(letters, images, labelFile, false);

        CliRun refused = CliRun.of("evaluate", "--model", tenClass.toString(), "--images", images.toString(),
                "--labels", labelFile.toString(), "--out", temp.resolve("refused").toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err().lines().toList()).hasSize(1).first().asString()
                .contains("holds 300 images of 15 classes the model does not know (10, 11, 12")
                .contains("give --exclude-unknown-classes");

        CliRun excluded = CliRun.of("evaluate", "--model", tenClass.toString(), "--images", images.toString(),
                "--labels", labelFile.toString(), "--exclude-unknown-classes", "--out",
                temp.resolve("excluded").toString(), "--json");
        assertThat(excluded.exitCode()).as(excluded.err()).isZero();
        JsonNode metrics = new ObjectMapper().readTree(excluded.out());
        assertThat(metrics.at("/test/samples").asInt()).isEqualTo(200);
        assertThat(metrics.at("/test/excluded/images").asInt()).isEqualTo(300);
        assertThat(metrics.at("/test/excluded/classes")).hasSize(15);
    }

    private static byte[] toBytes(Dataset data) {
        float[] pixels = data.pixelsAsFloats();
        byte[] bytes = new byte[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            bytes[i] = (byte) pixels[i];
        }
        return bytes;
    }
}
