package org.digitlab.training;

import java.util.Locale;

/** A validation metric watched by early stopping and reduce-on-plateau, with the direction that counts as better. */
public enum Monitor {
    /** Validation loss; lower is better. */
    VAL_LOSS("val_loss", true),
    /** Validation accuracy; higher is better. */
    VAL_ACCURACY("val_accuracy", false);

    private final String key;
    private final boolean lowerIsBetter;

    Monitor(String key, boolean lowerIsBetter) {
        this.key = key;
        this.lowerIsBetter = lowerIsBetter;
    }

    /** The Keras name, e.g. {@code val_loss}. */
    public String key() {
        return key;
    }

    /** Whether a smaller value is an improvement (as for {@link #VAL_LOSS}). */
    public boolean lowerIsBetter() {
        return lowerIsBetter;
    }

    /** The monitored value in {@code metrics}. */
    public double value(EpochMetrics metrics) {
        return this == VAL_LOSS ? metrics.valLoss() : metrics.valAccuracy();
    }

    /**
     * Whether {@code current} beats {@code best} by more than {@code minDelta} in this monitor's direction
     * (Keras: {@code current < best − minDelta} for a minimised metric). Any finite value beats a null best.
     */
    public boolean improves(double current, Double best, double minDelta) {
        if (best == null) {
            return !Double.isNaN(current);
        }
        return lowerIsBetter ? current < best - minDelta : current > best + minDelta;
    }

    /** Parses {@code val_loss} or {@code val_accuracy} (also {@code loss}/{@code accuracy}, case-insensitive). */
    public static Monitor parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "val_loss", "loss" -> VAL_LOSS;
            case "val_accuracy", "accuracy", "val_acc", "acc" -> VAL_ACCURACY;
            default -> throw new IllegalArgumentException("unknown monitor '" + text
                    + "'; expected val_loss or val_accuracy");
        };
    }
}
