package org.digitlab.training;

/**
 * What one epoch produced. Train metrics are averaged over the epoch's batches weighted by batch size, measured
 * during training (dropout on), as Keras reports them; validation metrics are NaN when no validation set was given.
 *
 * @param epoch         1-based epoch number
 * @param trainLoss     mean training loss (including L2 penalties)
 * @param trainAccuracy training accuracy in [0, 1]
 * @param valLoss       validation loss (NaN without validation)
 * @param valAccuracy   validation accuracy (NaN without validation)
 * @param lr            learning rate used (the last step's, for per-step schedules)
 * @param seconds       wall time of the epoch's training steps
 */
public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double valLoss, double valAccuracy,
                           double lr, double seconds) {

    /** Whether the epoch was validated. */
    public boolean validated() {
        return !Double.isNaN(valLoss);
    }
}
