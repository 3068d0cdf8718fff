package org.digitlab.app.tune;

import java.util.Comparator;
import java.util.Locale;

/**
 * The validation metric a sweep selects on: higher validation accuracy (ties to the lower validation loss), or
 * lower validation loss (ties to the higher accuracy). NaN — a trial that failed — is worse than any number; the
 * last tie-break is the lower trial index, so every ranking is total and the same on every worker.
 */
enum Metric {
    VAL_ACCURACY("val_accuracy"),
    VAL_LOSS("val_loss");

    private final String key;

    Metric(String key) {
        this.key = key;
    }

    /** {@code val_accuracy} or {@code val_loss}. */
    String key() {
        return key;
    }

    /** The metric named {@code text}; the message names the flag. */
    static Metric parse(String text) {
        for (Metric m : values()) {
            if (m.key.equals(text.trim().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("--metric must be val_accuracy or val_loss, got '" + text + "'");
    }

    /** This metric's value of {@code score}. */
    double of(Score score) {
        return this == VAL_ACCURACY ? score.valAccuracy() : score.valLoss();
    }

    /** Compares two (accuracy, loss) pairs: negative when the first is better. */
    int compare(double accuracyA, double lossA, double accuracyB, double lossB) {
        double primaryA = this == VAL_ACCURACY ? -accuracyA : lossA;
        double primaryB = this == VAL_ACCURACY ? -accuracyB : lossB;
        int c = nanLast(primaryA, primaryB);
        if (c == 0) {
            c = nanLast(this == VAL_ACCURACY ? lossA : -accuracyA, this == VAL_ACCURACY ? lossB : -accuracyB);
        }
        return c;
    }

    /** Better scores first; ties to the lower trial index. */
    Comparator<Score> order() {
        return (a, b) -> {
            int c = compare(a.valAccuracy(), a.valLoss(), b.valAccuracy(), b.valLoss());
            return c != 0 ? c : Integer.compare(a.trial(), b.trial());
        };
    }

    private static int nanLast(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return Boolean.compare(Double.isNaN(a), Double.isNaN(b));
        }
        return Double.compare(a, b);
    }
}
