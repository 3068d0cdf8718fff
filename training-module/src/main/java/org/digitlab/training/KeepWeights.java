package org.digitlab.training;

import java.util.Locale;

/**
 * Which weights a run ends with, and therefore which are tested and exported: the best epoch's by a validation
 * monitor (Keras' {@code restore_best_weights}, {@code ModelCheckpoint(save_best_only=True)}) or the last epoch's.
 * Without a validation set a run always ends with the last epoch's weights.
 *
 * @param best    true for the best epoch's weights, false for the last epoch's
 * @param monitor the validation metric that decides "best"; null means early stopping's monitor when early
 *                stopping is on, else {@link Monitor#VAL_LOSS}
 */
public record KeepWeights(boolean best, Monitor monitor) {

    /** The best epoch's weights by early stopping's monitor, or val_loss (the default). */
    public static KeepWeights bestEpoch() {
        return new KeepWeights(true, null);
    }

    /** The last epoch's weights. */
    public static KeepWeights lastEpoch() {
        return new KeepWeights(false, null);
    }

    /** Validates: a monitor goes only with {@code best}. */
    public KeepWeights {
        if (!best && monitor != null) {
            throw new IllegalArgumentException("keep last takes no monitor, got " + monitor.key());
        }
    }

    /** Parses {@code best}, {@code best:val_loss}, {@code best:val_accuracy} or {@code last}. */
    public static KeepWeights parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("best")) {
            return bestEpoch();
        }
        if (t.equals("last")) {
            return lastEpoch();
        }
        if (t.startsWith("best:")) {
            return new KeepWeights(true, Monitor.parse(t.substring("best:".length())));
        }
        throw new IllegalArgumentException("keep '" + text + "': expected best, best:val_loss, best:val_accuracy"
                + " or last");
    }

    /** The monitor deciding the best epoch when early stopping is {@code stopping} (null for none). */
    public Monitor monitor(EarlyStoppingConfig stopping) {
        if (monitor != null) {
            return monitor;
        }
        return stopping != null ? stopping.monitor() : Monitor.VAL_LOSS;
    }

    /** Whether a run ends with its best epoch's weights: when asked to, and given validation data to pick them by. */
    public boolean restoresBest(boolean validated) {
        return best && validated;
    }

    /** The text {@link #parse} reads. */
    @Override
    public String toString() {
        return !best ? "last" : monitor == null ? "best" : "best:" + monitor.key();
    }
}
