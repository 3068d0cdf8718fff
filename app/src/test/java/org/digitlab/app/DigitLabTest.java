package org.digitlab.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigitLabTest {
    @TempDir
    Path temp;

    @Test
    void helpListsTheInspectCommandAndExitsZero() {
        CliRun run = CliRun.of("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: digitlab").contains("inspect").contains("--verbose");
    }

    @Test
    void versionNamesDigitLabAndTensorFlowVersions() {
        CliRun run = CliRun.of("--version");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).containsPattern("digitlab \\d+\\.\\d+\\.\\d+")
                .containsPattern("TensorFlow Java \\d+\\.\\d+\\.\\d+");
    }

    @Test
    void unknownOptionExitsTwoWithOneErrorLineAndNoStackTrace() {
        CliRun run = CliRun.of("--bogus");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines().toList()).hasSize(1).first().asString()
                .startsWith("error: ").contains("--bogus");
        assertThat(run.err()).doesNotContain("\tat ");
    }

    @Test
    void missingCommandIsBadUsage() {
        CliRun run = CliRun.of();
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: missing command");
    }

    @Test
    void inspectJsonOfMnistSampleHasExactKeysAndKnownClassCounts() throws IOException {
        CliRun run = CliRun.of("inspect", "--dataset", "mnist-sample", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        List<String> keys = new ArrayList<>();
        json.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("samples", "height", "width", "channels", "classes", "class_names",
                "class_counts", "pixel_min", "pixel_max", "pixel_mean", "channel_mean", "channel_std");
        assertThat(json.get("channel_mean").get(0).asDouble()).isCloseTo(0.1307 * 255, within(2.0));
        assertThat(json.get("channel_std").get(0).asDouble()).isCloseTo(0.3081 * 255, within(2.0));
        assertThat(json.get("samples").asInt()).isEqualTo(10_000);
        assertThat(json.get("height").asInt()).isEqualTo(28);
        assertThat(json.get("width").asInt()).isEqualTo(28);
        assertThat(json.get("channels").asInt()).isEqualTo(1);
        assertThat(json.get("classes").asInt()).isEqualTo(10);
        List<Integer> counts = new ArrayList<>();
        json.get("class_counts").forEach(c -> counts.add(c.asInt()));
        assertThat(counts).containsExactly(1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978);
        assertThat(json.get("pixel_min").asDouble()).isZero();
        assertThat(json.get("pixel_max").asDouble()).isEqualTo(255.0);
        assertThat(json.get("pixel_mean").asDouble()).isBetween(1.0, 254.0);
    }

    @Test
    void inspectReadsTheSklearnDigitsCsvWithLabelLastAndPixelMax16() throws IOException {
        Path csv = copyDigits();
        CliRun run = CliRun.of("inspect", "--csv", csv.toString(), "--label-column", "last", "--header", "no",
                "--pixel-max", "16", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("samples").asInt()).isEqualTo(1797);
        assertThat(json.get("height").asInt()).isEqualTo(8);
        assertThat(json.get("width").asInt()).isEqualTo(8);
        assertThat(json.get("pixel_max").asDouble()).isEqualTo(16.0);
    }

    @Test
    void inspectTextNamesTheSourceAndShowsClassCounts() throws IOException {
        Path csv = copyDigits();
        CliRun run = CliRun.of("inspect", "--csv", csv.toString(), "--label-column", "last", "--pixel-max", "16",
                "--shape", "8x8");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("digits.csv.gz").contains("samples: 1797").contains("8×8×1");
    }

    @Test
    void badCsvFileExitsTwoWithAnErrorNamingTheFile() throws IOException {
        Path bad = Files.writeString(temp.resolve("broken.csv"), "label,p1,p2,p3,p4\n1,0,0,0\n");
        CliRun run = CliRun.of("inspect", "--csv", bad.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines().toList()).hasSize(1).first().asString()
                .startsWith("error: ").contains("broken.csv");
        assertThat(run.err()).doesNotContain("\tat ");
    }

    @Test
    void missingFileExitsTwoNamingIt() {
        Path missing = temp.resolve("nowhere.csv");
        CliRun run = CliRun.of("inspect", "--csv", missing.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: ").contains("nowhere.csv");
    }

    @Test
    void verboseAddsTheStackTraceToAnError() {
        CliRun run = CliRun.of("inspect", "--csv", temp.resolve("nowhere.csv").toString(), "--verbose");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: ").contains("\tat ");
    }

    @Test
    void noDataSourceIsBadInput() {
        CliRun run = CliRun.of("inspect");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: no data given");
    }

    @Test
    void twoDataSourcesAreBadInput() {
        CliRun run = CliRun.of("inspect", "--dataset", "mnist-sample", "--csv", "x.csv");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: more than one data source");
    }

    @Test
    void unknownDatasetListsTheKnownNames() {
        CliRun run = CliRun.of("inspect", "--dataset", "cifar");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("cifar").contains("mnist-sample").contains("fashion-mnist");
    }

    @Test
    void badShapeIsBadInput() {
        CliRun run = CliRun.of("inspect", "--csv", "x.csv", "--shape", "8by8");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: --shape");
    }

    @Test
    void shapeParsesHeightWidthAndOptionalChannels() {
        assertThat(DataOptions.parseShape("28x28").channels()).isEqualTo(1);
        assertThat(DataOptions.parseShape("32x16x3")).satisfies(s -> {
            assertThat(s.height()).isEqualTo(32);
            assertThat(s.width()).isEqualTo(16);
            assertThat(s.channels()).isEqualTo(3);
        });
    }

    private Path copyDigits() throws IOException {
        Path csv = temp.resolve("digits.csv.gz");
        try (InputStream in = DigitLabTest.class.getResourceAsStream("digits.csv.gz")) {
            Files.copy(in, csv);
        }
        return csv;
    }
}
