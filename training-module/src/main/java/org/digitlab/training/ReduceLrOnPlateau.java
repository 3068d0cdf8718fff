package org.digitlab.training;

/**
 * Keras' {@code ReduceLROnPlateau}: after {@code patience} epochs whose monitored value did not beat the best by
 * more than {@code minDelta}, the rate is multiplied by {@code factor} (never below {@code minRate}), then
 * {@code cooldown} epochs pass before waiting starts again. Its whole state is a {@link State} so a checkpoint can
 * carry it.
 */
public final class ReduceLrOnPlateau {

    /**
     * Everything the schedule remembers.
     *
     * @param rate         the current rate
     * @param best         best monitored value so far (null before the first epoch)
     * @param epochsWithoutImprovement epochs since the last improvement
     * @param cooldownLeft epochs of cooldown still to go
     */
    public record State(double rate, Double best, int epochsWithoutImprovement, int cooldownLeft) {
    }

    private final ScheduleConfig config;
    private State state;

    /** Starts at {@code initialRate}. */
    public ReduceLrOnPlateau(ScheduleConfig config, double initialRate) {
        if (!config.isPlateau()) {
            throw new IllegalArgumentException("not a plateau schedule: " + config.kind());
        }
        this.config = config;
        this.state = new State(initialRate, null, 0, 0);
    }

    /** The rate to use for the next epoch. */
    public double rate() {
        return state.rate();
    }

    /** The whole current state, for a checkpoint; {@link #restore(State)} continues from it. */
    public State state() {
        return state;
    }

    /** Continues from a saved state. */
    public void restore(State saved) {
        state = saved;
    }

    /**
     * Records the monitored value of a finished epoch.
     *
     * @return true if the rate was reduced
     */
    public boolean onEpochEnd(double monitored) {
        double rate = state.rate();
        Double best = state.best();
        int wait = state.epochsWithoutImprovement();
        int cooldownLeft = state.cooldownLeft();
        boolean reduced = false;
        if (cooldownLeft > 0) {
            cooldownLeft--;
            wait = 0;
        }
        if (config.monitor().improves(monitored, best, config.minDelta())) {
            best = monitored;
            wait = 0;
        } else if (cooldownLeft == 0) {
            wait++;
            if (wait >= config.patience() && rate > config.minRate()) {
                rate = Math.max(rate * config.factor(), config.minRate());
                cooldownLeft = config.cooldown();
                wait = 0;
                reduced = true;
            }
        }
        state = new State(rate, best, wait, cooldownLeft);
        return reduced;
    }
}
