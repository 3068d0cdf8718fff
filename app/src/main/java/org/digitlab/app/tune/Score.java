package org.digitlab.app.tune;

import java.util.List;
import org.digitlab.training.EpochMetrics;

/**
 * A trial's standing after some epochs: its best validation epoch so far by the sweep's {@link Metric}. Rungs
 * compare trials by it, and the sweep's chosen trial is the one with the best final score.
 *
 * @param trial     the trial's index
 * @param epochs    epochs trained
 * @param bestEpoch the best epoch (1-based), 0 when none has finite metrics
 */
record Score(int trial, int epochs, double valAccuracy, double valLoss, int bestEpoch) {

    /** The best of the first {@code epochs} epochs of {@code history} (earlier epochs win full ties). */
    static Score of(int trial, List<EpochMetrics> history, int epochs, Metric metric) {
        EpochMetrics best = null;
        for (EpochMetrics m : history.subList(0, Math.min(epochs, history.size()))) {
            if (best == null
                    || metric.compare(m.valAccuracy(), m.valLoss(), best.valAccuracy(), best.valLoss()) < 0) {
                best = m;
            }
        }
        if (best == null || Double.isNaN(best.valAccuracy()) && Double.isNaN(best.valLoss())) {
            return failed(trial, Math.min(epochs, history.size()));
        }
        return new Score(trial, Math.min(epochs, history.size()), best.valAccuracy(), best.valLoss(), best.epoch());
    }

    /** The score of a trial without a finite validation result: worse than any other. */
    static Score failed(int trial, int epochs) {
        return new Score(trial, epochs, Double.NaN, Double.NaN, 0);
    }
}
