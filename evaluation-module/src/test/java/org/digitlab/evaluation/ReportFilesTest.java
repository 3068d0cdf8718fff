package org.digitlab.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportFilesTest {
    @TempDir
    Path dir;

    private static ClassificationReport binaryReport() {
        return ClassificationReport.builder(new int[] {0, 1, 1, 0}, new int[] {0, 1, 0, 0})
                .classNames(List.of("neg", "pos"))
                .probabilities(new double[][] {{0.9, 0.1}, {0.2, 0.8}, {0.6, 0.4}, {0.7, 0.3}}).build();
    }

    @Test
    void writeAllProducesEveryReportFileAndLeavesNoTempFiles() throws IOException {
        ClassificationReport report = binaryReport();
        ReportFiles.writeAll(report, dir);
        assertThat(Files.readString(dir.resolve("report.txt"))).isEqualTo(report.toText(2));
        assertThat(Files.readString(dir.resolve("confusion.csv"))).startsWith("true\\predicted,neg,pos\n");
        assertThat(Files.readString(dir.resolve("per_class.csv"))).isEqualTo(report.toCsv());
        assertThat(Files.readString(dir.resolve("report.md"))).isEqualTo(report.toMarkdown(2));
        assertThat(dir.resolve("plots/confusion_matrix.png")).isNotEmptyFile();
        assertThat(dir.resolve("plots/roc_curve.png")).isNotEmptyFile();
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void jsonFileParsesBackWithBinaryMetricsAndPerClassRows() throws IOException {
        ReportFiles.writeJson(binaryReport(), dir.resolve("metrics.json"));
        JsonNode json = new ObjectMapper().readTree(dir.resolve("metrics.json").toFile());
        assertThat(json.get("accuracy").asDouble()).isEqualTo(0.75);
        assertThat(json.get("roc_auc").asDouble()).isEqualTo(1.0);
        assertThat(json.get("pr_auc").asDouble()).isEqualTo(1.0);
        assertThat(json.get("threshold").asDouble()).isEqualTo(0.5);
        assertThat(json.get("per_class").get(1).get("name").asText()).isEqualTo("pos");
        assertThat(json.get("per_class").get(1).get("recall").asDouble()).isEqualTo(0.5);
        assertThat(json.get("loss").isNumber()).isTrue();
    }

    @Test
    void overwritingAnExistingReportReplacesItsContent() throws IOException {
        Path file = dir.resolve("report.txt");
        Files.writeString(file, "old content that is longer than the new report ".repeat(40));
        ReportFiles.writeText(binaryReport(), file, 4);
        assertThat(Files.readString(file)).isEqualTo(binaryReport().toText(4));
    }

    @Test
    void predictionsCsvWritesExactDoubleWideningOfFloatProbabilities() throws IOException {
        Path file = dir.resolve("predictions.csv");
        ReportFiles.writePredictionsCsv(file, List.of("0", "1"), new int[] {1, 0}, new int[] {1, 1},
                new float[][] {{0.1f, 0.9f}, {0.4f, 0.6f}}, null);
        assertThat(Files.readAllLines(file)).containsExactly("index,true,predicted,p_0,p_1",
                "0,1,1," + (double) 0.1f + "," + (double) 0.9f, "1,0,1," + (double) 0.4f + "," + (double) 0.6f);
        assertThat(Files.readAllLines(file).get(1)).startsWith("0,1,1,0.10000000149011612,");
    }

    @Test
    void predictionsCsvNamesClassesAndFilesQuotingWhatNeedsIt() throws IOException {
        Path file = dir.resolve("predictions.csv");
        ReportFiles.writePredictionsCsv(file, List.of("T-shirt/top", "a, b", "24"), new int[] {2, 1},
                new int[] {0, 1}, null, List.of("photos/24/x.jpg", "photos/\"odd\", name.png"));
        assertThat(Files.readAllLines(file)).containsExactly("index,file,true,predicted",
                "0,photos/24/x.jpg,24,T-shirt/top", "1,\"photos/\"\"odd\"\", name.png\",\"a, b\",\"a, b\"");
        ReportFiles.writePredictionsCsv(file, List.of("cat", "dog"), null, new int[] {1}, new float[][] {{0.25f,
            0.75f}}, List.of("new.jpg"));
        assertThat(Files.readAllLines(file)).containsExactly("index,file,predicted,p_cat,p_dog",
                "0,new.jpg,dog,0.25,0.75");
    }
}
