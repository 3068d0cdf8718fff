package org.digitlab.app.tune;

import java.nio.file.Files;
import java.nio.file.Path;
import org.digitlab.app.AppFiles;
import org.digitlab.app.model.ModelDirectory;
import org.digitlab.app.train.DataSplits;
import org.digitlab.app.train.ExperimentConfig;
import org.digitlab.app.train.TrainingRun;
import org.digitlab.data.Normalization;
import org.digitlab.model.ModelSpec;
import org.digitlab.model.ModelSpecs;
import org.digitlab.training.NonFiniteLossException;
import org.digitlab.training.Trainer;
import org.digitlab.training.TrainingListener;
import org.digitlab.training.TrainingResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one trial of a sweep up to one rung in the trial's directory, never touching the test set. The directory
 * holds what {@code train} writes except the test report ({@code config.json}, {@code model.json},
 * {@code normalization.json}, {@code dataset.json}, {@code checkpoints/}, {@code history.csv}, {@code model/},
 * {@code manifest.json}); a trial with checkpoints is continued from its last one ({@link Trainer#resume(Path)}),
 * whether it paused at a rung or its worker died. The trainer's schedule spans the trial's whole epoch count (R
 * for ASHA), and {@link Trainer#fit(org.digitlab.data.Dataset, org.digitlab.data.Dataset, int)} pauses it at the
 * rung, so a trial trained rung by rung gets exactly the rates of one trained straight through.
 */
final class TrialJob {
    private static final Logger LOG = LoggerFactory.getLogger(TrialJob.class);
    private final SweepSpec spec;
    private final SweepFiles files;
    private final DataSplits data;

    TrialJob(SweepSpec spec, SweepFiles files, DataSplits data) {
        this.spec = spec;
        this.files = files;
        this.data = data;
    }

    /**
     * Trains {@code trial} up to rung {@code rung} while holding {@code lease}, writes the rung's result and
     * returns it. A trial whose loss becomes NaN or infinite ends there, as failed.
     *
     * @throws Lease.Lost when the lease was taken over meanwhile (then nothing more is written)
     */
    RungResult run(int trial, int rung, Lease lease, String worker) {
        Path dir = files.trialDir(trial);
        ExperimentConfig config = spec.config(trial);
        int target = spec.epochsAt(trial, rung);
        boolean begun = Files.isRegularFile(dir.resolve("checkpoints").resolve("run.json"));
        RungResult result;
        try (Trainer trainer = begun ? Trainer.resume(dir) : start(config, dir)) {
            int resumedAfter = trainer.epochsCompleted();
            trainer.addListener(new Fence(lease));
            try {
                TrainingResult fitted = TrainingRun.fitAndRecord(trainer, config, data, dir, target);
                Score score = Score.of(trial, fitted.history().epochs(), target, spec.rankBy());
                boolean last = fitted.epochsRun() < target || fitted.epochsRun() >= config.epochs();
                result = new RungResult(trial, rung, fitted.epochsRun(), score.valAccuracy(), score.valLoss(),
                        score.bestEpoch(), last, fitted.stopReason(), worker, resumedAfter, fitted.trainSeconds());
            } catch (NonFiniteLossException e) {
                result = new RungResult(trial, rung, trainer.epochsCompleted(), Double.NaN, Double.NaN, 0, true,
                        "failed: " + e.getMessage(), worker, resumedAfter, 0);
            }
        }
        lease.check(true);
        files.write(result);
        return result;
    }

    /** A new trainer, with the files that let the trial's model be opened as a model directory later. */
    private Trainer start(ExperimentConfig experiment, Path dir) {
        ModelSpec model = TrainingRun.model(experiment, data.train());
        Normalization normalization = TrainingRun.normalization(experiment, data.train(), LOG::warn);
        Trainer trainer = new Trainer(model, normalization, experiment.training(), dir);
        AppFiles.writeJson(dir.resolve("config.json"), experiment);
        AppFiles.writeJson(dir.resolve(ModelDirectory.NORMALIZATION), normalization);
        AppFiles.writeString(dir.resolve(ModelDirectory.MODEL_SPEC), ModelSpecs.toJson(model));
        ModelDirectory.writeDatasetInfo(dir, data.train(), data.kind(), data.selectedFrom());
        return trainer;
    }

    /** Stops training as soon as the lease turns out to be lost: re-read at each epoch, the flag at each step. */
    private record Fence(Lease lease) implements TrainingListener {
        @Override
        public void onEpochBegin(int epoch, double learningRate) {
            lease.check(true);
        }

        @Override
        public void onBatchEnd(int epoch, int step, int stepsPerEpoch, double loss, double accuracy) {
            lease.check(false);
        }
    }
}
