package org.digitlab.app.grid;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The grid's results, best first by the validation metric ({@link TrialResult#byValidation}); the first trial is
 * the chosen one, the only one with a test accuracy.
 */
record GridSummary(List<TrialResult> ranked, double testAccuracy) {
    private static final List<String> COLUMNS = List.of("rank", "trial", "lr", "batch_size", "epochs", "optimizer",
            "best_val_accuracy", "val_loss", "best_epoch", "epochs_run", "train_seconds", "test_accuracy", "chosen");

    GridSummary {
        ranked = ranked.stream().sorted(TrialResult::byValidation).toList();
        if (ranked.isEmpty()) {
            throw new IllegalArgumentException("a grid summary needs at least one trial");
        }
    }

    TrialResult chosen() {
        return ranked.get(0);
    }

    String toCsv() {
        StringBuilder out = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        for (List<String> row : rows()) {
            out.append(String.join(",", row)).append('\n');
        }
        return out.toString();
    }

    String toMarkdown() {
        StringBuilder out = new StringBuilder("| " + String.join(" | ", COLUMNS) + " |\n|");
        out.append("---|".repeat(COLUMNS.size())).append('\n');
        for (List<String> row : rows()) {
            out.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return out.toString();
    }

    private List<List<String>> rows() {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < ranked.size(); i++) {
            TrialResult r = ranked.get(i);
            boolean chosen = i == 0;
            rows.add(List.of(String.valueOf(i + 1), r.trial(), Trial.plain(r.lr()), String.valueOf(r.batchSize()),
                    String.valueOf(r.epochs()), r.optimizer(), num(r.bestValAccuracy()), num(r.valLoss()),
                    String.valueOf(r.bestEpoch()), String.valueOf(r.epochsRun()),
                    String.format(Locale.ROOT, "%.1f", r.trainSeconds()), chosen ? num(testAccuracy) : "",
                    chosen ? "yes" : ""));
        }
        return rows;
    }

    private static String num(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }
}
