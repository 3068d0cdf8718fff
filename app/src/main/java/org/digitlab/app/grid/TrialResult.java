package org.digitlab.app.grid;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.digitlab.training.EpochMetrics;
import org.digitlab.training.TrainingResult;

/**
 * What a finished trial reports, saved as its {@code result.json} (written last, so its presence marks the trial
 * finished). Selection uses only the validation metrics: the best epoch by validation accuracy, ties going to the
 * lower validation loss.
 *
 * @param bestValAccuracy highest validation accuracy over the trial's epochs
 * @param valLoss         validation loss of that epoch
 * @param bestEpoch       that epoch (1-based)
 */
record TrialResult(
        String trial,
        double lr,
        @JsonProperty("batch_size") int batchSize,
        int epochs,
        String optimizer,
        @JsonProperty("best_val_accuracy") double bestValAccuracy,
        @JsonProperty("val_loss") double valLoss,
        @JsonProperty("best_epoch") int bestEpoch,
        @JsonProperty("epochs_run") int epochsRun,
        @JsonProperty("stop_reason") String stopReason,
        @JsonProperty("train_seconds") double trainSeconds) {

    static TrialResult of(Trial trial, TrainingResult result) {
        EpochMetrics best = null;
        for (EpochMetrics m : result.history().epochs()) {
            if (best == null || m.valAccuracy() > best.valAccuracy()
                    || (m.valAccuracy() == best.valAccuracy() && m.valLoss() < best.valLoss())) {
                best = m;
            }
        }
        if (best == null || Double.isNaN(best.valAccuracy())) {
            throw new IllegalStateException("trial " + trial.name() + " has no validation metrics");
        }
        return new TrialResult(trial.name(), trial.lr(), trial.batchSize(), trial.epochs(), trial.optimizer(),
                best.valAccuracy(), best.valLoss(), best.epoch(), result.epochsRun(), result.stopReason(),
                result.trainSeconds());
    }

    /** Orders better trials first: higher validation accuracy, then lower validation loss, then by name. */
    static int byValidation(TrialResult a, TrialResult b) {
        int c = Double.compare(b.bestValAccuracy, a.bestValAccuracy);
        if (c == 0) {
            c = Double.compare(a.valLoss, b.valLoss);
        }
        return c != 0 ? c : a.trial.compareTo(b.trial);
    }
}
