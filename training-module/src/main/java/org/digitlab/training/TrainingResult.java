package org.digitlab.training;

/**
 * The outcome of {@link Trainer#fit}.
 *
 * @param history      every epoch of the run, including epochs run before a resume
 * @param bestEpoch    1-based epoch with the best monitored value (early stopping's monitor, else the keep
 *                     monitor, val_loss by default; the last epoch without validation)
 * @param keptEpoch    the epoch whose weights the model holds at the end: those that are tested and exported
 * @param kept         how that epoch was chosen: {@code "best val_loss"}, {@code "best val_accuracy"} or
 *                     {@code "last"}
 * @param stopReason   why training ended, e.g. {@code "completed 10 epochs"}
 * @param device       the device the graph ran on, e.g. {@code "CPU"} or {@code "GPU:0"}
 * @param trainSeconds training wall time summed over all epochs (resumed runs included)
 */
public record TrainingResult(History history, int bestEpoch, int keptEpoch, String kept, String stopReason,
                             String device, double trainSeconds) {

    /** Number of epochs run in all. */
    public int epochsRun() {
        return history.size();
    }
}
