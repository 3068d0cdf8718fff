package org.digitlab.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Per-epoch metrics of a run, oldest first (Keras' {@code History}); immutable. */
public record History(List<EpochMetrics> epochs) {

    /** The CSV header written by {@link #toCsv()}. */
    public static final String CSV_HEADER = "epoch,train_loss,train_accuracy,val_loss,val_accuracy,lr,seconds";

    /** Copies {@code epochs} so the history stays immutable. */
    public History {
        epochs = List.copyOf(epochs);
    }

    /** An empty history. */
    public static History empty() {
        return new History(List.of());
    }

    /** This history with {@code metrics} appended. */
    public History plus(EpochMetrics metrics) {
        List<EpochMetrics> all = new ArrayList<>(epochs);
        all.add(metrics);
        return new History(all);
    }

    /** Number of epochs recorded. */
    public int size() {
        return epochs.size();
    }

    /** The last epoch's metrics. */
    public EpochMetrics last() {
        if (epochs.isEmpty()) {
            throw new IllegalStateException("history is empty");
        }
        return epochs.get(epochs.size() - 1);
    }

    /** The whole history as CSV with header {@link #CSV_HEADER} (NaN for missing validation). */
    public String toCsv() {
        StringBuilder out = new StringBuilder(CSV_HEADER).append('\n');
        for (EpochMetrics m : epochs) {
            out.append(String.format(Locale.ROOT, "%d,%s,%s,%s,%s,%s,%.3f%n", m.epoch(), num(m.trainLoss()),
                    num(m.trainAccuracy()), num(m.valLoss()), num(m.valAccuracy()), num(m.lr()), m.seconds()));
        }
        return out.toString();
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }
}
