package org.digitlab.app.grid;

import java.nio.file.Files;
import java.nio.file.Path;
import org.digitlab.app.AppFiles;
import org.digitlab.app.model.ModelDirectory;
import org.digitlab.app.train.DataSplits;
import org.digitlab.app.train.ExperimentConfig;
import org.digitlab.app.train.TrainingRun;
import org.digitlab.data.InvalidDataException;
import org.digitlab.data.Normalization;
import org.digitlab.model.ModelSpec;
import org.digitlab.model.ModelSpecs;
import org.digitlab.training.Trainer;
import org.digitlab.training.TrainingResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one trial in its own directory, never touching the test set. The directory holds what {@code train}
 * writes except the test report ({@code config.json}, {@code model.json}, {@code normalization.json},
 * {@code dataset.json}, {@code checkpoints/}, {@code history.csv}, {@code model/}, {@code manifest.json})
 * and {@code result.json}, written last: a directory with {@code result.json} is finished and skipped; one with
 * checkpoints but no result was interrupted and continues from its last checkpoint ({@link Trainer#resume(Path)}).
 */
final class TrialRunner {
    private static final Logger LOG = LoggerFactory.getLogger(TrialRunner.class);
    static final String RESULT = "result.json";
    static final String CONFIG = "config.json";

    /** How a trial was obtained. */
    enum Outcome { SKIPPED, RESUMED, TRAINED }

    record Done(TrialResult result, Outcome outcome) {
    }

    private final DataSplits data;

    TrialRunner(DataSplits data) {
        this.data = data;
    }

    Done run(Trial trial, Path dir) {
        Path resultFile = dir.resolve(RESULT);
        if (Files.isRegularFile(resultFile)) {
            return new Done(read(resultFile), Outcome.SKIPPED);
        }
        boolean interrupted = Files.isRegularFile(dir.resolve("checkpoints").resolve("run.json"));
        try (Trainer trainer = interrupted ? Trainer.resume(dir) : start(trial.experiment(), dir)) {
            TrainingResult fitted = TrainingRun.fitAndRecord(trainer, trial.experiment(), data, dir);
            TrialResult result = TrialResult.of(trial, fitted);
            AppFiles.writeJson(resultFile, result);
            return new Done(result, interrupted ? Outcome.RESUMED : Outcome.TRAINED);
        }
    }

    /** A new trainer, with the files that let the trial's model be opened as a model directory later. */
    private Trainer start(ExperimentConfig experiment, Path dir) {
        ModelSpec spec = TrainingRun.model(experiment, data.train());
        Normalization normalization = TrainingRun.normalization(experiment, data.train(), LOG::warn);
        Trainer trainer = new Trainer(spec, normalization, experiment.training(), dir);
        AppFiles.writeJson(dir.resolve(CONFIG), experiment);
        AppFiles.writeJson(dir.resolve(ModelDirectory.NORMALIZATION), normalization);
        AppFiles.writeString(dir.resolve(ModelDirectory.MODEL_SPEC), ModelSpecs.toJson(spec));
        ModelDirectory.writeDatasetInfo(dir, data.train(), data.kind());
        return trainer;
    }

    static TrialResult read(Path file) {
        try {
            return AppFiles.readJson(file, "trial result", TrialResult.class);
        } catch (InvalidDataException e) {
            throw new IllegalArgumentException(e.getMessage() + " (delete it to rerun the trial)", e);
        }
    }
}
