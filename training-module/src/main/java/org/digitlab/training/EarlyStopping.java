package org.digitlab.training;

import java.util.Locale;

/**
 * Tracks the best epoch of a monitor and, given a config, decides when to stop (Keras semantics: improvement is
 * measured against the best epoch, not the previous one). Its whole state is a {@link State} for checkpoints.
 */
final class EarlyStopping {

    /**
     * @param best      best monitored value so far (null before any)
     * @param bestEpoch 1-based epoch of the best value (0 before any)
     * @param epochsWithoutImprovement epochs since the best
     */
    record State(Double best, int bestEpoch, int epochsWithoutImprovement) {
    }

    private final Monitor monitor;
    private final double minDelta;
    private final int patience;
    private State state = new State(null, 0, 0);

    /** Tracks {@code monitor}; {@code patience} ≤ 0 means never stop. */
    EarlyStopping(Monitor monitor, double minDelta, int patience) {
        this.monitor = monitor;
        this.minDelta = minDelta;
        this.patience = patience;
    }

    State state() {
        return state;
    }

    void restore(State saved) {
        state = saved;
    }

    Monitor monitor() {
        return monitor;
    }

    /** Records a finished epoch; returns true if it is the new best. */
    boolean onEpochEnd(int epoch, double value) {
        if (monitor.improves(value, state.best(), minDelta)) {
            state = new State(value, epoch, 0);
            return true;
        }
        state = new State(state.best(), state.bestEpoch(), state.epochsWithoutImprovement() + 1);
        return false;
    }

    /** Whether patience ran out. */
    boolean shouldStop() {
        return patience > 0 && state.epochsWithoutImprovement() >= patience;
    }

    /** The stop reason recorded in the result. */
    String stopReason() {
        return String.format(Locale.ROOT, "early stopping: %s did not improve by %s for %d epochs (best %.4f at epoch %d)",
                monitor.key(), minDelta, state.epochsWithoutImprovement(), state.best() == null ? Double.NaN : state.best(),
                state.bestEpoch());
    }
}
