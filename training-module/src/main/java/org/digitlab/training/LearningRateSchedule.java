package org.digitlab.training;

/**
 * A learning rate as a pure function of the position in training (like DJL's {@code Tracker}): no hidden state, so
 * a resumed run gets exactly the rates an uninterrupted one would. Epochs and steps are 0-based here.
 */
@FunctionalInterface
public interface LearningRateSchedule {

    /**
     * The rate for step {@code step} (0-based, within the epoch) of epoch {@code epoch} (0-based), when every epoch
     * has {@code stepsPerEpoch} steps.
     */
    double rate(int epoch, int step, int stepsPerEpoch);

    /** Always {@code rate}. */
    static LearningRateSchedule constant(double rate) {
        return (epoch, step, stepsPerEpoch) -> rate;
    }

    /** {@code base · gamma^⌊epoch / everyEpochs⌋} (PyTorch's StepLR). */
    static LearningRateSchedule step(double base, int everyEpochs, double gamma) {
        return (epoch, step, stepsPerEpoch) -> base * Math.pow(gamma, epoch / everyEpochs);
    }

    /** {@code base · gamma^epoch} (PyTorch's ExponentialLR). */
    static LearningRateSchedule exponential(double base, double gamma) {
        return (epoch, step, stepsPerEpoch) -> base * Math.pow(gamma, epoch);
    }

    /**
     * Per step: a linear warm-up from {@code base / W} to {@code base} over the first {@code W = warmupEpochs ·
     * stepsPerEpoch} steps, then cosine annealing from {@code base} down to {@code minRate} at the end of epoch
     * {@code totalEpochs}.
     */
    static LearningRateSchedule cosine(double base, int totalEpochs, double warmupEpochs, double minRate) {
        return (epoch, step, stepsPerEpoch) -> {
            double t = (double) epoch * stepsPerEpoch + step;
            double warmup = Math.floor(warmupEpochs * stepsPerEpoch);
            if (t < warmup) {
                return base * (t + 1) / warmup;
            }
            double span = Math.max(1, (double) totalEpochs * stepsPerEpoch - warmup);
            double progress = Math.min(1, (t - warmup) / span);
            return minRate + (base - minRate) * (1 + Math.cos(Math.PI * progress)) / 2;
        };
    }

    /**
     * PyTorch's {@code OneCycleLR} with its defaults, per step: cosine from {@code maxRate / 25} up to
     * {@code maxRate} over the first 30% of all steps, then cosine down to {@code maxRate / 25 / 10⁴}.
     */
    static LearningRateSchedule oneCycle(double maxRate, int totalEpochs) {
        double initial = maxRate / 25;
        double last = initial / 1e4;
        return (epoch, step, stepsPerEpoch) -> {
            double total = (double) totalEpochs * stepsPerEpoch;
            double t = (double) epoch * stepsPerEpoch + step;
            double peak = 0.3 * total - 1;
            if (t <= peak) {
                return cosineBetween(initial, maxRate, peak <= 0 ? 1 : t / peak);
            }
            return cosineBetween(maxRate, last, Math.min(1, (t - peak) / (total - 1 - peak)));
        };
    }

    private static double cosineBetween(double from, double to, double fraction) {
        return to + (from - to) * (1 + Math.cos(Math.PI * fraction)) / 2;
    }
}
