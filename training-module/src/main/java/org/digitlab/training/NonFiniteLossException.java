package org.digitlab.training;

/** Training diverged: a step's loss was NaN or infinite. The message names the epoch and step. */
public final class NonFiniteLossException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** The 1-based epoch of the failing step. */
    private final int epoch;
    /** The 1-based step within that epoch. */
    private final int step;

    NonFiniteLossException(int epoch, int step, int stepsPerEpoch, double loss, double rate) {
        super("training diverged: loss is " + loss + " at epoch " + epoch + ", step " + step + " of "
                + stepsPerEpoch + " (learning rate " + rate + "); try a smaller learning rate or gradient clipping");
        this.epoch = epoch;
        this.step = step;
    }

    /** The 1-based epoch of the failing step. */
    public int epoch() {
        return epoch;
    }

    /** The 1-based step within that epoch. */
    public int step() {
        return step;
    }
}
