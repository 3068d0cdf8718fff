package org.digitlab.app.tune;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A trial's result at a rung, saved as {@code trials/NNNN/rung-K.json} once, when the job that trained it there
 * ends (its presence marks the rung reached). Immutable once written: the scheduler's decisions rest on it.
 *
 * @param epochs            epochs trained in all
 * @param valAccuracy       the best validation epoch's accuracy so far (NaN when the trial failed)
 * @param valLoss           that epoch's validation loss
 * @param bestEpoch         that epoch, 1-based (0 when the trial failed)
 * @param last              the trial cannot go further: it trained all its epochs, stopped early or failed
 * @param status            the trainer's stop reason ({@code completed 9 epochs}, {@code paused after epoch 3 of 9},
 *                          an early stop) or {@code failed: …}
 * @param worker            the worker that finished the job
 * @param resumedAfterEpoch epochs already trained when that worker took the job on (the previous rung's, or more
 *                          when it took over a dead worker's job)
 * @param trainSeconds      training time of the trial so far, all jobs together
 */
record RungResult(
        int trial,
        int rung,
        int epochs,
        @JsonProperty("val_accuracy") double valAccuracy,
        @JsonProperty("val_loss") double valLoss,
        @JsonProperty("best_epoch") int bestEpoch,
        @JsonProperty("final") boolean last,
        String status,
        String worker,
        @JsonProperty("resumed_after_epoch") int resumedAfterEpoch,
        @JsonProperty("train_seconds") double trainSeconds) {

    /** The score this result ranks by. */
    Score score() {
        return new Score(trial, epochs, valAccuracy, valLoss, bestEpoch);
    }

    /** Whether the trial failed (no finite validation metric). */
    boolean failed() {
        return status.startsWith("failed");
    }
}
