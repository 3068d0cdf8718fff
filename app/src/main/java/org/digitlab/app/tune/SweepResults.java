package org.digitlab.app.tune;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A sweep's trials ranked by their final validation score, best first (the sweep's {@link Metric}, ties to the
 * other validation metric, then the lower trial index); the first trial with a finite score is the chosen one, the
 * only one with a test accuracy. Renders {@code summary.csv} and {@code summary.md}.
 */
final class SweepResults {
    private static final List<String> HEAD = List.of("rank", "trial", "rung", "epochs", "val_accuracy", "val_loss",
            "best_epoch");
    private static final List<String> TAIL = List.of("status", "train_seconds", "test_accuracy", "chosen");

    /** One trial: its latest rung result and its hyper-parameters. */
    record Row(RungResult result, Map<String, Object> params) {
    }

    private final SweepSpec spec;
    private final List<Row> ranked;

    /** Ranks the trials of {@code trials} that have a result. */
    SweepResults(SweepSpec spec, Map<Integer, SweepFiles.TrialFiles> trials) {
        this.spec = spec;
        List<Row> rows = new ArrayList<>();
        trials.forEach((t, files) -> {
            if (files.latest() != null) {
                rows.add(new Row(files.latest(), spec.params(t)));
            }
        });
        rows.sort((a, b) -> spec.rankBy().order().compare(a.result().score(), b.result().score()));
        this.ranked = List.copyOf(rows);
    }

    /** Best first. */
    List<Row> ranked() {
        return ranked;
    }

    /** The best trial with a finite score, or null when every trial failed. */
    Row chosen() {
        return ranked.isEmpty() || Double.isNaN(spec.rankBy().of(ranked.get(0).result().score())) ? null
                : ranked.get(0);
    }

    /** {@code summary.csv}: one row per trial, best first; {@code testAccuracy} goes on the chosen trial's row. */
    String toCsv(double testAccuracy) {
        StringBuilder out = new StringBuilder(String.join(",", columns())).append('\n');
        for (List<String> row : rows(testAccuracy)) {
            out.append(String.join(",", row.stream().map(SweepResults::csvCell).toList())).append('\n');
        }
        return out.toString();
    }

    /** {@code summary.md}: the same table in Markdown. */
    String toMarkdown(double testAccuracy) {
        List<String> columns = columns();
        StringBuilder out = new StringBuilder("| " + String.join(" | ", columns) + " |\n|");
        out.append("---|".repeat(columns.size())).append('\n');
        for (List<String> row : rows(testAccuracy)) {
            out.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return out.toString();
    }

    /** The columns: rank, trial, rung, epochs trained, the validation metrics, the hyper-parameters, the rest. */
    private List<String> columns() {
        List<String> columns = new ArrayList<>(HEAD);
        // "epochs" is the epochs trained; a searched epoch count is the trial's maximum.
        spec.space().keySet().forEach(key -> columns.add(key.equals("epochs") ? "max_epochs" : key));
        columns.addAll(TAIL);
        return columns;
    }

    private List<List<String>> rows(double testAccuracy) {
        Row chosen = chosen();
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < ranked.size(); i++) {
            Row row = ranked.get(i);
            RungResult r = row.result();
            List<String> cells = new ArrayList<>(List.of(String.valueOf(i + 1), SweepFiles.name(r.trial()),
                    String.valueOf(r.rung()), String.valueOf(r.epochs()), num(r.valAccuracy()), num(r.valLoss()),
                    String.valueOf(r.bestEpoch())));
            spec.space().keySet().forEach(key -> cells.add(plain(row.params().get(key))));
            boolean isChosen = row == chosen;
            cells.add(r.last() || r.failed() ? r.status() : "stopped at rung " + r.rung());
            cells.add(String.format(Locale.ROOT, "%.1f", r.trainSeconds()));
            cells.add(isChosen ? num(testAccuracy) : "");
            cells.add(isChosen ? "yes" : "");
            rows.add(cells);
        }
        return rows;
    }

    /** {@code 0.001} rather than {@code 1.0E-3}, so values read like the command line. */
    static String plain(Object value) {
        if (value instanceof Double d) {
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        return String.valueOf(value);
    }

    private static String num(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.4f", value);
    }

    private static String csvCell(String cell) {
        return cell.contains(",") || cell.contains("\"") ? "\"" + cell.replace("\"", "\"\"") + "\"" : cell;
    }
}
