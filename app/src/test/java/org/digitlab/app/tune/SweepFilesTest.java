package org.digitlab.app.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.digitlab.app.train.Experiments;
import org.digitlab.data.InvalidDataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepFilesTest {
    @TempDir
    Path dir;

    @Test
    void resultsRoundTripIncludingAFailedTrialsNaNAndStopAtTheFirstMissingRung() throws Exception {
        SweepFiles files = new SweepFiles(dir);
        files.write(new RungResult(0, 0, 1, 0.5, 1.2, 1, false, "paused after epoch 1 of 9", "w", 0, 0.3));
        files.write(new RungResult(0, 1, 3, Double.NaN, Double.NaN, 0, true, "failed: loss is NaN", "w", 1, 0));
        files.write(new RungResult(1, 2, 9, 0.9, 0.3, 9, true, "completed 9 epochs", "w", 3, 1));
        Files.createDirectories(files.lease(2));

        Map<Integer, SweepFiles.TrialFiles> trials = files.read();
        assertThat(trials).containsOnlyKeys(0, 1, 2);
        assertThat(trials.get(0).results()).hasSize(2);
        assertThat(trials.get(0).latest().valAccuracy()).isNaN();
        assertThat(trials.get(0).latest().failed()).isTrue();
        assertThat(trials.get(1).results()).as("rung 2 without rungs 0 and 1 does not count").isEmpty();
        assertThat(trials.get(2).leased()).isTrue();
        assertThat(SweepFiles.view(trials).get(0).stopped()).isTrue();
        assertThat(SweepFiles.view(trials).get(2).running()).isTrue();
    }

    @Test
    void aDirectoryKeepsItsSweepAndRefusesAnotherNamingWhatDiffers() {
        SweepFiles files = new SweepFiles(dir);
        SweepSpec spec = new SweepSpec("random", Experiments.preset("base"), Map.of("lr", "0.001..0.1:log"), 4,
                false, "val_accuracy", 0, 0);
        files.create(spec);
        files.create(spec);
        assertThat(files.readSpec()).isEqualTo(spec);
        SweepSpec other = new SweepSpec("random", Experiments.preset("base").with(Map.of("seed", 8L)),
                Map.of("lr", "0.001..0.1"), 4, false, "val_accuracy", 0, 0);
        assertThatThrownBy(() -> files.create(other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds a different sweep (seed, lr differ");
        assertThatThrownBy(() -> new SweepFiles(dir.resolve("none")).readSpec())
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("is not a sweep directory");
    }

    @Test
    void damagedSweepAndRungFilesAreOneLineNamingTheFileAndLine() throws Exception {
        SweepFiles files = new SweepFiles(dir);
        files.create(new SweepSpec("grid", Experiments.preset("base"), Map.of("lr", "0.01,0.1"), 2, false,
                "val_accuracy", 0, 0));
        Path spec = dir.resolve("sweep.json");
        String saved = Files.readString(spec);
        // Two sweeps pasted into one file: the second used to be ignored.
        Files.writeString(spec, saved + saved);
        assertThatThrownBy(files::readSpec).isInstanceOf(InvalidDataException.class)
                .hasMessageStartingWith(spec + ": line " + (saved.split("\n").length + 1) + ", column 1: "
                        + "unexpected content after the end of the JSON value");

        files.write(new RungResult(0, 0, 1, 0.5, 1.2, 1, false, "paused after epoch 1 of 9", "w", 0, 0.3));
        Path rung = files.trialDir(0).resolve("rung-0.json");
        Files.writeString(rung, Files.readString(rung).replace("\"epochs\" : 1,", "\"epochs\" : 1.5,"));
        assertThatThrownBy(files::read).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(rung + ": line ")
                .hasMessageEndingWith("epochs must be a whole number, found 1.5 (delete it to rerun that rung)");
    }
}
