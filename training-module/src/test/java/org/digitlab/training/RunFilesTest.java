package org.digitlab.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.digitlab.data.InvalidDataException;
import org.digitlab.data.Normalization;
import org.digitlab.model.Presets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFilesTest {
    @TempDir
    Path dir;

    @Test
    void runAndStateRoundTripThroughJsonIncludingNaNAndPlateauState() {
        RunFiles files = new RunFiles(dir);
        TrainingConfig config = TrainingConfig.defaults().withSchedule(ScheduleConfig.parse("plateau:0.2:3:1e-5"))
                .withEarlyStopping(EarlyStoppingConfig.parse("val_accuracy:4:0.01"))
                .withOptimizer(OptimizerConfig.momentum(0.1, 0.8, true));
        RunFiles.Run run = new RunFiles.Run(Presets.model("cnn", 28, 28, 1, 10),
                Normalization.standardize(0.1307, 0.3081, 255), config);
        files.writeRun(run);
        assertThat(files.readRun()).isEqualTo(run);

        History history = History.empty().plus(new EpochMetrics(1, 0.5, 0.8, Double.NaN, Double.NaN, 0.1, 1.5));
        RunFiles.State state = new RunFiles.State(1, 469, history, new ReduceLrOnPlateau.State(0.02, 0.31, 1, 0),
                new EarlyStopping.State(null, 0, 0), 1.5, null);
        files.writeEpoch(state, prefix -> { }, 0);
        assertThat(files.latestIntact().dir()).contains(dir.resolve("checkpoints/epoch-0001"));
        assertThat(files.readState(files.latestIntact().dir().orElseThrow())).isEqualTo(state);
    }

    @Test
    void keepsTheLatestThePreviousAndTheBestEpoch() throws Exception {
        RunFiles files = new RunFiles(dir);
        for (int epoch = 1; epoch <= 4; epoch++) {
            RunFiles.State state = new RunFiles.State(epoch, epoch * 10L, History.empty(), null,
                    new EarlyStopping.State(0.1, 2, epoch - 2), epoch, null);
            files.writeEpoch(state, prefix -> { }, 2);
        }
        try (var entries = Files.list(dir.resolve("checkpoints"))) {
            assertThat(entries.map(p -> p.getFileName().toString()).sorted().toList())
                    .isEqualTo(List.of("epoch-0002", "epoch-0003", "epoch-0004"));
        }
        assertThat(files.latestIntact().dir()).contains(dir.resolve("checkpoints/epoch-0004"));
    }

    @Test
    void everyEpochDirectoryCarriesTheChecksumsOfItsFilesAndRunJsonHasItsOwn() throws Exception {
        RunFiles files = new RunFiles(dir);
        files.writeRun(new RunFiles.Run(Presets.model("logreg", 28, 28, 1, 10), Normalization.scale(255),
                TrainingConfig.defaults()));
        files.writeEpoch(new RunFiles.State(1, 10, History.empty(), null, new EarlyStopping.State(null, 0, 0), 1,
                null), prefix -> write(Path.of(prefix + ".index"), "index"), 0);
        Path epoch = dir.resolve("checkpoints/epoch-0001");
        assertThat(Files.readAllLines(epoch.resolve(RunFiles.CHECKSUMS))).hasSize(2)
                .anyMatch(line -> line.endsWith("  state.json")).anyMatch(line -> line.endsWith("  weights.index"));
        assertThat(Files.readString(dir.resolve("checkpoints").resolve(RunFiles.CHECKSUMS))).endsWith("  run.json\n");

        Files.writeString(dir.resolve("checkpoints/run.json"), Files.readString(dir.resolve("checkpoints/run.json"))
                .replace("\"epochs\" : 5", "\"epochs\" : 9"));
        assertThatThrownBy(files::readRun).hasMessageContaining("run.json is damaged");
    }

    @Test
    void aDamagedLatestEpochIsSkippedAndNamed() throws Exception {
        RunFiles files = new RunFiles(dir);
        for (int epoch = 1; epoch <= 3; epoch++) {
            files.writeEpoch(new RunFiles.State(epoch, epoch, History.empty(), null,
                    new EarlyStopping.State(null, 0, 0), epoch, null), prefix -> write(Path.of(prefix + ".index"),
                    "weights"), 0);
        }
        write(dir.resolve("checkpoints/epoch-0003/weights.index"), "weightz");
        RunFiles.Latest latest = files.latestIntact();
        assertThat(latest.dir()).contains(dir.resolve("checkpoints/epoch-0002"));
        assertThat(latest.damaged()).singleElement().asString().contains("epoch-0003").contains("weights.index");
    }

    @Test
    void damagedStateFilesAreOneLineNamingTheFileAndWhere() throws Exception {
        RunFiles files = new RunFiles(dir);
        files.writeEpoch(new RunFiles.State(3, 30, History.empty(), null, new EarlyStopping.State(null, 0, 0), 1.5,
                null), prefix -> { }, 0);
        Path epoch = files.latestIntact().dir().orElseThrow();
        Path state = epoch.resolve(RunFiles.STATE_FILE);
        String written = Files.readString(state);

        Files.writeString(state, written.substring(0, written.length() / 2));
        assertThatThrownBy(() -> files.readState(epoch))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageStartingWith(state + ": line ")
                .hasMessageNotContaining("\n");

        Files.writeString(state, written.replace("\"epoch\" : 3", "\"epoch\" : 3.5"));
        assertThatThrownBy(() -> files.readState(epoch))
                .isInstanceOf(InvalidDataException.class)
                .hasMessage(state + ": line 2: epoch must be a whole number, found 3.5");

        Files.writeString(state, written + written);
        assertThatThrownBy(() -> files.readState(epoch))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("unexpected content after the end of the JSON value");
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
