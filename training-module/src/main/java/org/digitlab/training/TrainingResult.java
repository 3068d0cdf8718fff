package org.digitlab.training;

/**
 * The outcome of {@link Trainer#fit}.
 *
 * @param history      every epoch of the run, including epochs run before a resume
 * @param bestEpoch    1-based epoch with the best monitored value (early stopping's monitor, else val_loss; the last
 *                     epoch without validation)
 * @param stopReason   why training ended, e.g. {@code "completed 10 epochs"}
 * @param device       the device the graph ran on, e.g. {@code "CPU"} or {@code "GPU:0"}
 * @param trainSeconds training wall time summed over all epochs (resumed runs included)
 */
public record TrainingResult(History history, int bestEpoch, String stopReason, String device, double trainSeconds) {

    /** Number of epochs run in all. */
    public int epochsRun() {
        return history.size();
    }
}
