package org.digitlab.app.grid;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.digitlab.app.CliRun;
import org.digitlab.app.DigitLab;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real 4-trial grid: 2 learning rates × 2 optimizers, 2 epochs of the {@code base} logistic regression on 300
 * MNIST-sample digits ({@code tune --search grid} under the old command's flags).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GridCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path grid;
    static CliRun first;

    /** One trial's best epoch by validation accuracy (ties to lower loss), from its history.csv. */
    record Best(String trial, double valAccuracy, double valLoss) {
    }

    @BeforeAll
    static void runGrid() {
        grid = tmp.resolve("grid");
        first = CliRun.of(gridArgs(grid, "0.001,0.01"));
    }

    @Test
    @Order(1)
    void runsEveryCombinationInItsOwnDirectory() throws IOException {
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(trialNames()).containsExactly("0000", "0001", "0002", "0003");
        Map<String, String> combinations = new HashMap<>();
        for (String trial : trialNames()) {
            Path dir = grid.resolve("trials").resolve(trial);
            assertThat(dir.resolve("rung-0.json")).exists();
            assertThat(dir.resolve("model/saved_model.pb")).exists();
            assertThat(Files.readAllLines(dir.resolve("history.csv"))).hasSize(3);
            JsonNode config = JSON.readTree(dir.resolve("config.json").toFile());
            assertThat(config.get("seed").asLong()).isEqualTo(7);
            combinations.put(trial, config.get("lr").asText() + "/" + config.get("optimizer").asText()
                    + "/" + config.get("epochs").asInt() + "/" + config.get("batch_size").asInt());
            JsonNode manifest = JSON.readTree(dir.resolve("manifest.json").toFile());
            assertThat(manifest.get("seed").asLong()).isEqualTo(7);
            assertThat(manifest.get("data_files")).hasSize(2);
        }
        assertThat(combinations).containsOnly(Map.entry("0000", "0.001/adam/2/32"), Map.entry("0001", "0.001/sgd/2/32"),
                Map.entry("0002", "0.01/adam/2/32"), Map.entry("0003", "0.01/sgd/2/32"));
        assertThat(first.out()).contains("| rank | trial |").contains("chosen on val accuracy");
    }

    @Test
    @Order(2)
    void summaryChoosesTheTrialWithTheBestValidationAccuracy() throws IOException {
        Best best = null;
        for (String trial : trialNames()) {
            Best b = bestOf(trial);
            if (best == null || b.valAccuracy() > best.valAccuracy()
                    || (b.valAccuracy() == best.valAccuracy() && b.valLoss() < best.valLoss())) {
                best = b;
            }
        }
        List<String> csv = Files.readAllLines(grid.resolve("summary.csv"));
        assertThat(csv).hasSize(5);
        List<String> header = List.of(csv.get(0).split(","));
        String[] top = csv.get(1).split(",", -1);
        assertThat(top[header.indexOf("trial")]).isEqualTo(best.trial());
        assertThat(Double.parseDouble(top[header.indexOf("val_accuracy")]))
                .isCloseTo(best.valAccuracy(), org.assertj.core.data.Offset.offset(1e-4));
        assertThat(top[header.indexOf("chosen")]).isEqualTo("yes");
        double previous = Double.MAX_VALUE;
        for (String line : csv.subList(1, csv.size())) {
            double accuracy = Double.parseDouble(line.split(",", -1)[header.indexOf("val_accuracy")]);
            assertThat(accuracy).isLessThanOrEqualTo(previous);
            previous = accuracy;
        }
        assertThat(csv.subList(2, csv.size())).allMatch(line -> line.endsWith(",,"));
        assertThat(Files.readString(grid.resolve("summary.md"))).contains(best.trial());
    }

    @Test
    @Order(3)
    void onlyTheChosenTrialIsTested() throws IOException {
        JsonNode metrics = JSON.readTree(grid.resolve("test/metrics.json").toFile());
        String chosen = Files.readAllLines(grid.resolve("summary.csv")).get(1).split(",")[1];
        assertThat(metrics.get("trial").asText()).isEqualTo(chosen);
        assertThat(metrics.get("test").get("samples").asInt()).isEqualTo(60);
        assertThat(grid.resolve("test/report.txt")).exists();
        assertThat(grid.resolve("test/predictions.csv")).exists();
        for (String trial : trialNames()) {
            assertThat(grid.resolve("trials").resolve(trial).resolve("predictions.csv")).doesNotExist();
            assertThat(grid.resolve("trials").resolve(trial).resolve("report.txt")).doesNotExist();
        }
    }

    @Test
    @Order(4)
    void aDifferentGridInTheSameDirectoryIsRefused() {
        CliRun other = CliRun.of(gridArgs(grid, "0.001,0.1"));
        assertThat(other.exitCode()).isEqualTo(DigitLab.EXIT_USAGE);
        assertThat(other.err()).startsWith("error:").contains("holds a different sweep").contains("lr");
    }

    @Test
    @Order(5)
    void interruptedGridResumesOnlyTheUnfinishedTrial() throws IOException {
        String interrupted = "0003";
        Path dir = grid.resolve("trials").resolve(interrupted);
        // What a kill after epoch 2's checkpoint leaves: no history, model or result (and no earlier checkpoint:
        // the trainer keeps only the last and the best epoch's).
        Files.delete(dir.resolve("rung-0.json"));
        Files.delete(dir.resolve("history.csv"));
        deleteTree(dir.resolve("model"));
        Map<String, FileTime> before = new HashMap<>();
        for (String trial : trialNames()) {
            if (!trial.equals(interrupted)) {
                before.put(trial, Files.getLastModifiedTime(grid.resolve("trials").resolve(trial)
                        .resolve("rung-0.json")));
            }
        }

        CliRun again = CliRun.of(gridArgs(grid, "0.001,0.01"));

        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("trial " + interrupted + " 2 epochs: resumed after epoch 2");
        assertThat(again.out().split("\\] trial ", -1)).as("one job line").hasSize(2);
        for (Map.Entry<String, FileTime> e : before.entrySet()) {
            assertThat(Files.getLastModifiedTime(grid.resolve("trials").resolve(e.getKey()).resolve("rung-0.json")))
                    .as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(dir.resolve("rung-0.json")).exists();
        assertThat(Files.readAllLines(dir.resolve("history.csv"))).hasSize(3);
        assertThat(Files.readAllLines(grid.resolve("summary.csv"))).hasSize(5);
    }

    @Test
    void badListValueIsAUsageError() {
        CliRun bad = CliRun.of("grid", "--preset", "base", "--lr", "abc", "--out", tmp.resolve("bad").toString());
        assertThat(bad.exitCode()).isEqualTo(DigitLab.EXIT_USAGE);
        assertThat(bad.err()).startsWith("error:").contains("abc");
        assertThat(tmp.resolve("bad")).doesNotExist();
    }

    @Test
    void repeatedValueIsAUsageError() {
        CliRun bad = CliRun.of("grid", "--preset", "base", "--optimizer", "adam,adam", "--out",
                tmp.resolve("twice").toString());
        assertThat(bad.exitCode()).isEqualTo(DigitLab.EXIT_USAGE);
        assertThat(bad.err()).startsWith("error:").contains("--optimizer lists a value twice");
    }

    @Test
    void presetWithoutValidationNeedsValFraction() {
        CliRun bad = CliRun.of("grid", "--preset", "base", "--val-fraction", "0", "--out",
                tmp.resolve("no-validation").toString());
        assertThat(bad.exitCode()).isEqualTo(DigitLab.EXIT_USAGE);
        assertThat(bad.err()).startsWith("error:").contains("val_fraction 0").contains("give --val-fraction");
        assertThat(tmp.resolve("no-validation")).doesNotExist();
    }

    private static String[] gridArgs(Path out, String lrs) {
        return new String[] {"grid", "--preset", "base", "--dataset", "mnist-sample", "--limit", "300",
            "--epochs", "2", "--lr", lrs, "--optimizer", "adam,sgd", "--seed", "7", "--device", "cpu",
            "--parallel", "2", "--out", out.toString()};
    }

    private static List<String> trialNames() throws IOException {
        try (Stream<Path> dirs = Files.list(grid.resolve("trials"))) {
            return dirs.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    private static Best bestOf(String trial) throws IOException {
        List<String> lines = Files.readAllLines(grid.resolve("trials").resolve(trial).resolve("history.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        Best best = null;
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            Best b = new Best(trial, Double.parseDouble(cells[header.indexOf("val_accuracy")]),
                    Double.parseDouble(cells[header.indexOf("val_loss")]));
            if (best == null || b.valAccuracy() > best.valAccuracy()
                    || (b.valAccuracy() == best.valAccuracy() && b.valLoss() < best.valLoss())) {
                best = b;
            }
        }
        return best;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

}
