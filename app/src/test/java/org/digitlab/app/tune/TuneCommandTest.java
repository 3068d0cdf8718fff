package org.digitlab.app.tune;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.digitlab.app.CliRun;
import org.digitlab.app.DigitLab;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** A real random search: 4 trials of the {@code base} logistic regression on 300 MNIST-sample digits. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TuneCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path sweep;
    static CliRun first;

    @BeforeAll
    static void runSweep() {
        sweep = tmp.resolve("sweep");
        first = CliRun.of(randomArgs(sweep));
    }

    @Test
    @Order(1)
    void randomSearchTrainsEveryDrawnTrialAndTestsOnlyTheChosenOne() throws IOException {
        assertThat(first.exitCode()).as(first.err()).isZero();
        List<String> csv = Files.readAllLines(sweep.resolve("summary.csv"));
        assertThat(csv).hasSize(5);
        List<String> header = List.of(csv.get(0).split(","));
        assertThat(header).containsSubsequence("trial", "rung", "epochs", "val_accuracy", "lr", "batch_size",
                "max_epochs", "augment_flip", "test_accuracy", "chosen");
        for (String line : csv.subList(1, csv.size())) {
            String[] cells = line.split(",", -1);
            Path trial = sweep.resolve("trials").resolve(cells[header.indexOf("trial")]);
            JsonNode config = JSON.readTree(trial.resolve("config.json").toFile());
            assertThat(config.get("lr").asText()).isEqualTo(cells[header.indexOf("lr")]);
            assertThat(config.get("lr").asDouble()).isBetween(1e-3, 1e-1);
            assertThat(config.get("batch_size").asInt()).isIn(16, 32, 64)
                    .isEqualTo(Integer.parseInt(cells[header.indexOf("batch_size")]));
            assertThat(config.get("epochs").asInt()).isIn(1, 2)
                    .isEqualTo(Integer.parseInt(cells[header.indexOf("epochs")]));
            assertThat(config.get("augment_flip").asText()).isEqualTo(cells[header.indexOf("augment_flip")]);
            assertThat(trial.resolve("report.txt")).doesNotExist();
        }
        String chosen = csv.get(1).split(",")[1];
        assertThat(csv.get(1)).endsWith(",yes");
        JsonNode metrics = JSON.readTree(sweep.resolve("test/metrics.json").toFile());
        assertThat(metrics.get("trial").asText()).isEqualTo(chosen);
        assertThat(metrics.get("test").get("samples").asInt()).isEqualTo(60);
        assertThat(sweep.resolve("summary.png")).isNotEmptyFile();
        assertThat(first.out()).contains("random search, 4 trials").contains("| rank | trial | rung |")
                .contains("chosen on val accuracy: trial " + chosen);
    }

    @Test
    @Order(2)
    void statusReportsTheCountsAndTheBestTrialAsJson() throws IOException {
        CliRun status = CliRun.of("tune", "status", sweep.toString(), "--json");
        assertThat(status.exitCode()).as(status.err()).isZero();
        JsonNode json = JSON.readTree(status.out());
        assertThat(json.get("done").asInt()).isEqualTo(4);
        assertThat(json.get("running").asInt()).isZero();
        assertThat(json.get("pending").asInt()).isZero();
        assertThat(json.get("finished").asBoolean()).isTrue();
        String[] top = Files.readAllLines(sweep.resolve("summary.csv")).get(1).split(",");
        assertThat(json.get("best").get("trial").asText()).isEqualTo(top[1]);
        assertThat(json.get("best").get("val_accuracy").asDouble())
                .isCloseTo(Double.parseDouble(top[4]), org.assertj.core.data.Offset.offset(1e-4));
        assertThat(CliRun.of("tune", "status", sweep.toString()).out()).contains("4/4 done, 0 running, 0 pending");
    }

    @Test
    @Order(3)
    void rerunningAFinishedSweepTrainsNothingAndKeepsItsSummary() throws IOException {
        String summary = Files.readString(sweep.resolve("summary.csv"));
        CliRun again = CliRun.of(randomArgs(sweep));
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).doesNotContain("] trial ");
        assertThat(Files.readString(sweep.resolve("summary.csv"))).isEqualTo(summary);

        String[] other = randomArgs(sweep);
        other[other.length - 3] = "8";
        CliRun different = CliRun.of(other);
        assertThat(different.exitCode()).isEqualTo(DigitLab.EXIT_USAGE);
        assertThat(different.err()).startsWith("error:").contains("holds a different sweep (seed");
    }

    @Test
    void workersZeroOnlyCreatesTheSweepForWorkersElsewhere() throws IOException {
        Path created = tmp.resolve("created");
        CliRun run = CliRun.of("tune", "--search", "asha", "--preset", "base", "--limit", "300", "--trials", "5",
                "--max-epochs", "9", "--lr", "1e-3..1e-1:log", "--workers", "0", "--dir", created.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("asha search, 5 trials, rungs at 1, 3, 9 epochs (η = 3)")
                .contains("digitlab worker " + created);
        JsonNode spec = JSON.readTree(created.resolve("sweep.json").toFile());
        assertThat(spec.get("base").get("epochs").asInt()).isEqualTo(9);
        assertThat(spec.get("base").get("early_stopping").asText()).isEqualTo("off");
        assertThat(created.resolve("trials")).doesNotExist();
        JsonNode status = JSON.readTree(CliRun.of("tune", "status", created.toString(), "--json").out());
        assertThat(status.get("pending").asInt()).isEqualTo(5);
        assertThat(status.get("done").asInt()).isZero();
        assertThat(status.get("best").isNull()).isTrue();

        Path everyCombination = tmp.resolve("every-combination");
        CliRun lists = CliRun.of("tune", "--search", "asha", "--preset", "base", "--limit", "300", "--max-epochs", "3",
                "--lr", "0.001,0.01", "--batch-size", "32,64", "--classes", "3,5", "--workers", "0", "--dir",
                everyCombination.toString());
        assertThat(lists.exitCode()).as(lists.err()).isZero();
        assertThat(lists.out()).contains("asha search, 4 trials (every combination), rungs at 1, 3 epochs");
        JsonNode listsSpec = JSON.readTree(everyCombination.resolve("sweep.json").toFile());
        assertThat(listsSpec.get("every_combination").asBoolean()).isTrue();
        assertThat(listsSpec.get("base").get("classes").toString()).isEqualTo("[\"3\",\"5\"]");
        assertThat(listsSpec.get("base").get("keep").asText()).isEqualTo("best:val_accuracy");
    }

    @Test
    void badSweepsAreUsageErrorsThatNameTheFlag() {
        assertError("--lr 1e-3..1e-1 is a range; --search grid takes lists", "--search", "grid", "--lr", "1e-3..1e-1");
        assertError("--search random needs --trials N (or only lists", "--search", "random", "--lr", "1e-3..1e-1");
        assertError("give that instead of --epochs", "--search", "asha", "--trials", "3", "--epochs", "1,2");
        assertError("--max-epochs goes with --search asha", "--search", "random", "--trials", "3", "--max-epochs",
                "3");
        assertError("--dropout: expected a number, got 'x'", "--search", "random", "--trials", "3", "--dropout", "0..x");
        assertError("dropout must be in [0, 1)", "--search", "random", "--trials", "3", "--dropout", "0.5..1.5");
        assertError("starts one worker per GPU (2), not --workers 3", "--gpus", "0,1", "--workers", "3");
        assertError("--search must be grid, random or asha", "--search", "hyperband");
        CliRun status = CliRun.of("tune", "status", tmp.resolve("nothing").toString());
        assertThat(status.exitCode()).isEqualTo(DigitLab.EXIT_USAGE);
        assertThat(status.err()).startsWith("error:").contains("sweep.json").contains("is not a sweep directory");
    }

    private static void assertError(String message, String... flags) {
        Path dir = tmp.resolve("bad");
        String[] args = Stream.concat(Stream.of("tune", "--preset", "base", "--limit", "300", "--dir", dir.toString()),
                Stream.of(flags)).toArray(String[]::new);
        CliRun bad = CliRun.of(args);
        assertThat(bad.exitCode()).as(bad.err()).isEqualTo(DigitLab.EXIT_USAGE);
        assertThat(bad.err()).startsWith("error:").contains(message);
        assertThat(dir).doesNotExist();
    }

    private static String[] randomArgs(Path dir) {
        return new String[] {"tune", "--search", "random", "--preset", "base", "--dataset", "mnist-sample",
            "--limit", "300", "--trials", "4", "--lr", "1e-3..1e-1:log", "--batch-size", "16..64:pow2",
            "--epochs", "1..2", "--augment-flip", "true,false", "--device", "cpu", "--seed", "7",
            "--dir", dir.toString()};
    }
}
