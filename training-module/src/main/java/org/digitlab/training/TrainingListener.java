package org.digitlab.training;

/**
 * Hooks into {@link Trainer#fit} (DJL's {@code TrainingListener}, Keras' callbacks); every method defaults to doing
 * nothing. Epochs and steps are 1-based. Listeners run on the training thread: keep {@link #onBatchEnd} cheap.
 */
public interface TrainingListener {

    /** Before the first epoch of this call ({@code firstEpoch} > 1 when resuming). */
    default void onTrainBegin(int firstEpoch, int epochs, int stepsPerEpoch) {
    }

    /** Before epoch {@code epoch}'s first step, with the rate it starts with. */
    default void onEpochBegin(int epoch, double learningRate) {
    }

    /** After each step, with that batch's loss and accuracy. */
    default void onBatchEnd(int epoch, int step, int stepsPerEpoch, double loss, double accuracy) {
    }

    /** After an epoch's validation. */
    default void onEpochEnd(EpochMetrics metrics) {
    }

    /** When training ends normally. */
    default void onTrainEnd(TrainingResult result) {
    }
}
