package org.digitlab.app.tune;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.digitlab.app.AppFiles;
import org.digitlab.app.model.ModelDirectory;
import org.digitlab.app.model.TestReportWriter;
import org.digitlab.app.train.DataSplits;
import org.digitlab.data.Dataset;
import org.digitlab.evaluation.ClassificationReport;
import org.digitlab.evaluation.Plots;
import org.digitlab.evaluation.TrialCurve;
import org.digitlab.training.History;

/**
 * The end of a sweep: tests the chosen trial — the only test-set evaluation of the whole sweep — into {@code test/}
 * and writes {@code summary.csv}, {@code summary.md} and {@code summary.png} (the validation metric of every trial
 * against epochs). Done by whichever worker finds the sweep finished first, under the sweep's finish lease.
 */
final class SweepFinish {
    static final String CSV = "summary.csv";
    static final String MARKDOWN = "summary.md";
    static final String PLOT = "summary.png";

    private final SweepSpec spec;
    private final SweepFiles files;

    SweepFinish(SweepSpec spec, SweepFiles files) {
        this.spec = spec;
        this.files = files;
    }

    /** The chosen trial's saved test accuracy, or NaN when {@code test/} holds no report for it. */
    double savedTestAccuracy(SweepResults results) {
        Path metricsFile = files.dir().resolve(SweepFiles.TEST).resolve(TestReportWriter.METRICS);
        if (results.chosen() == null || !Files.isRegularFile(metricsFile)) {
            return Double.NaN;
        }
        JsonNode saved = AppFiles.readJson(metricsFile, "test metrics file", JsonNode.class);
        return SweepFiles.name(results.chosen().result().trial()).equals(saved.path("trial").asText())
                ? saved.path("test").path("accuracy").asDouble() : Double.NaN;
    }

    /** Whether the summary of {@code results} is written: its test report and {@code summary.csv}. */
    boolean written(SweepResults results) {
        Path csv = files.dir().resolve(CSV);
        if (!Files.isRegularFile(csv)) {
            return false;
        }
        try {
            return Files.readString(csv).equals(results.toCsv(savedTestAccuracy(results)));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Tests the chosen trial (reusing {@code test/} when it already holds that trial's report) and writes the
     * summary files; returns the test accuracy (NaN when every trial failed, then nothing is tested).
     */
    double write(SweepResults results, DataSplits data) {
        double testAccuracy = savedTestAccuracy(results);
        if (results.chosen() != null && Double.isNaN(testAccuracy)) {
            testAccuracy = test(results.chosen(), data);
        }
        writePlot(results);
        AppFiles.writeString(files.dir().resolve(MARKDOWN), results.toMarkdown(testAccuracy));
        // Last: its presence says the summary is complete.
        AppFiles.writeString(files.dir().resolve(CSV), results.toCsv(testAccuracy));
        return testAccuracy;
    }

    private double test(SweepResults.Row chosen, DataSplits splits) {
        String trial = SweepFiles.name(chosen.result().trial());
        double[] accuracy = new double[1];
        AppFiles.replaceDirectory(files.dir().resolve(SweepFiles.TEST), tmp -> {
            try (ModelDirectory model = ModelDirectory.open(files.trialDir(chosen.result().trial()))) {
                Dataset test = model.compatible(splits.test(), splits.testSource());
                ClassificationReport report = TestReportWriter.write(tmp, test, model.predict(test), null);
                Map<String, Object> testMetrics = new LinkedHashMap<>(report.toMap());
                testMetrics.put("samples", test.size());
                testMetrics.put("source", splits.testSource());
                Map<String, Object> metrics = new LinkedHashMap<>();
                metrics.put("trial", trial);
                metrics.put("chosen_by", spec.rankBy() == Metric.VAL_ACCURACY
                        ? "best validation accuracy, ties to lower validation loss"
                        : "lowest validation loss, ties to higher validation accuracy");
                metrics.put("params", chosen.params());
                metrics.put("validation", chosen.result());
                metrics.put("test", testMetrics);
                TestReportWriter.writeMetrics(tmp, metrics);
                accuracy[0] = report.accuracy();
            }
        });
        return accuracy[0];
    }

    private void writePlot(SweepResults results) {
        List<TrialCurve> curves = new ArrayList<>();
        for (SweepResults.Row row : results.ranked()) {
            curves.add(curve(row.result().trial()));
        }
        if (curves.stream().allMatch(c -> c.epochs().length == 0) || !Plots.canDrawText()) {
            return;
        }
        SweepResults.Row chosen = results.chosen();
        try {
            Plots.writePng(Plots.trialCurves(spec.metric(), curves, spec.rungEpochs(),
                    chosen == null ? null : SweepFiles.name(chosen.result().trial())), files.dir().resolve(PLOT));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + files.dir().resolve(PLOT) + ": " + e.getMessage(), e);
        }
    }

    /** A trial's validation metric per epoch, from its {@code history.csv} (none when it has no history yet). */
    private TrialCurve curve(int trial) {
        Path file = files.trialDir(trial).resolve("history.csv");
        List<String> lines;
        try {
            lines = Files.isRegularFile(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<String> header = List.of(History.CSV_HEADER.split(","));
        int column = header.indexOf(spec.metric());
        List<String> rows = lines.size() > 1 && lines.get(0).equals(History.CSV_HEADER)
                ? lines.subList(1, lines.size()) : List.of();
        int[] epochs = new int[rows.size()];
        double[] values = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            String[] cells = rows.get(i).split(",", -1);
            epochs[i] = Integer.parseInt(cells[0]);
            values[i] = cells[column].isEmpty() ? Double.NaN : Double.parseDouble(cells[column]);
        }
        return new TrialCurve(SweepFiles.name(trial), epochs, values);
    }
}
