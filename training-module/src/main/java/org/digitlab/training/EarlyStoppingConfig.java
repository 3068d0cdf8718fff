package org.digitlab.training;

import java.util.Locale;
import java.util.Objects;

/**
 * Keras' {@code EarlyStopping}: stop once {@code patience} epochs in a row failed to beat the best monitored value
 * by more than {@code minDelta}. Which weights the run ends with is {@link KeepWeights}' business (by default the
 * best epoch's, by this monitor).
 *
 * @param monitor  the watched validation metric
 * @param minDelta improvement over the best epoch that counts, ≥ 0
 * @param patience epochs without improvement before stopping, ≥ 1
 */
public record EarlyStoppingConfig(Monitor monitor, double minDelta, int patience) {

    /** Validates; messages name the field. */
    public EarlyStoppingConfig {
        Objects.requireNonNull(monitor, "early-stopping monitor");
        if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
            throw new IllegalArgumentException("early-stopping min_delta must be ≥ 0 and finite, got " + minDelta);
        }
        if (patience < 1) {
            throw new IllegalArgumentException("early-stopping patience must be ≥ 1, got " + patience);
        }
    }

    /**
     * Parses {@code off} (returns null), or {@code MONITOR[:patience[:min_delta]]} with MONITOR {@code val_loss} or
     * {@code val_accuracy}, patience default 3, min_delta default 0.
     */
    public static EarlyStoppingConfig parse(String text) {
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split(":", -1);
        if (parts.length == 1 && (parts[0].equals("off") || parts[0].equals("none"))) {
            return null;
        }
        if (parts.length > 3) {
            throw new IllegalArgumentException("early stopping '" + text
                    + "': expected off or MONITOR[:patience[:min_delta]]");
        }
        Monitor monitor = Monitor.parse(parts[0]);
        try {
            int patience = parts.length > 1 && !parts[1].isEmpty() ? Integer.parseInt(parts[1]) : 3;
            double minDelta = parts.length > 2 && !parts[2].isEmpty() ? Double.parseDouble(parts[2]) : 0;
            return new EarlyStoppingConfig(monitor, minDelta, patience);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("early stopping '" + text
                    + "': patience must be an integer and min_delta a number", e);
        }
    }
}
