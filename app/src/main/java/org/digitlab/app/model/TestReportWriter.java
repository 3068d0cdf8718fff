package org.digitlab.app.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.digitlab.app.AppFiles;
import org.digitlab.data.CannotWriteException;
import org.digitlab.data.Dataset;
import org.digitlab.data.ImageShape;
import org.digitlab.evaluation.BinaryMetrics;
import org.digitlab.evaluation.ClassificationReport;
import org.digitlab.evaluation.EpochRecord;
import org.digitlab.evaluation.Plots;
import org.digitlab.evaluation.ReportFiles;
import org.digitlab.training.EpochMetrics;
import org.digitlab.training.History;

/**
 * Writes the test-set report of a model, the same files for {@code train} and {@code evaluate}: {@code report.txt}
 * (scikit-learn's layout, two decimals), {@code confusion.csv}, {@code predictions.csv}
 * ({@code index[,file],true,predicted,p_NAME,…}, classes by name) and {@code plots/}: {@code confusion_matrix.png}, {@code misclassified.png},
 * {@code roc_curve.png} (binary models) and {@code training_curves.png} (when a history is given).
 *
 * <p>The predicted label is the most probable class; for two classes it is class 1 exactly when
 * {@code p1 ≥ 0.5} ({@link BinaryMetrics#DEFAULT_THRESHOLD}), which differs from an argmax only at
 * {@code p1 = 0.5}, where an argmax would pick class 0.
 */
public final class TestReportWriter {
    /** The text report in scikit-learn's {@code classification_report} layout, two decimals. */
    public static final String REPORT = "report.txt";
    /** The confusion matrix as CSV, one row per true class ({@link ClassificationReport#confusionCsv()}). */
    public static final String CONFUSION = "confusion.csv";
    /** One CSV row per test image: {@code index[,file],true,predicted,p_NAME,…}. */
    public static final String PREDICTIONS = "predictions.csv";
    /** The JSON metrics file written by {@link #writeMetrics}; the test report goes in as its {@code test} object. */
    public static final String METRICS = "metrics.json";
    /** The subdirectory that holds the PNG plots. */
    public static final String PLOTS = "plots";
    /** Misclassified images shown in {@code plots/misclassified.png}. */
    static final int MAX_MISCLASSIFIED = 36;

    private TestReportWriter() {
    }

    /**
     * Writes the report files for {@code test} (raw pixels, true labels, class names) and its {@code probabilities}
     * into {@code dir}, and returns the report; put its {@link ClassificationReport#toMap()} into the caller's
     * {@code metrics.json} as the {@code test} object.
     *
     * @param history epochs of the training run for {@code plots/training_curves.png}, or null or empty for none
     */
    public static ClassificationReport write(Path dir, Dataset test, float[][] probabilities,
                                             List<EpochRecord> history) {
        if (probabilities.length != test.size()) {
            throw new IllegalArgumentException("expected " + test.size() + " rows of probabilities, got "
                    + probabilities.length);
        }
        int[] labels = test.labels();
        int[] predicted = predictedLabels(probabilities);
        ClassificationReport report = ClassificationReport.builder(labels, predicted).numClasses(test.numClasses())
                .classNames(test.classNames()).probabilities(probabilities).build();
        writing(dir.resolve(REPORT), file -> ReportFiles.writeText(report, file, 2));
        writing(dir.resolve(CONFUSION), file -> ReportFiles.writeConfusionCsv(report, file));
        writing(dir.resolve(PREDICTIONS), file -> ReportFiles.writePredictionsCsv(file, test.classNames(), labels,
                predicted, probabilities, files(test)));
        if (Plots.canDrawText()) {
            writePlots(dir.resolve(PLOTS), test, report, labels, predicted, history);
        }
        return report;
    }

    private static void writePlots(Path plots, Dataset test, ClassificationReport report, int[] labels,
                                   int[] predicted, List<EpochRecord> history) {
        writing(plots.resolve("confusion_matrix.png"), file -> Plots.writePng(Plots.confusionMatrix(report), file));
        ImageShape shape = test.shape();
        writing(plots.resolve("misclassified.png"), file -> Plots.writePng(Plots.misclassifiedGrid(
                test.pixelsAsFloats(), shape.height(), shape.width(), shape.channels(), labels, predicted,
                test.classNames(), files(test), MAX_MISCLASSIFIED), file));
        if (report.binaryMetrics().isPresent()) {
            writing(plots.resolve("roc_curve.png"), file -> Plots.writePng(Plots.rocCurve(
                    report.binaryMetrics().get()), file));
        }
        if (history != null && !history.isEmpty()) {
            writing(plots.resolve("training_curves.png"), file -> Plots.writePng(Plots.trainingCurves(history), file));
        }
    }

    /** Writes one report file. */
    private interface Writer {
        void write(Path file) throws IOException;
    }

    /** Runs {@code writer} on {@code file}; a failure is one line naming that file (the disk is full, …). */
    private static void writing(Path file, Writer writer) {
        try {
            writer.write(file);
        } catch (IOException e) {
            throw CannotWriteException.of(file, e);
        }
    }

    /** Writes {@code metrics} as indented JSON to {@code dir/metrics.json}, atomically. */
    public static void writeMetrics(Path dir, Map<String, Object> metrics) {
        AppFiles.writeJson(dir.resolve(METRICS), metrics);
    }

    /** A training history as the training-curve plot reads it. */
    public static List<EpochRecord> epochRecords(History history) {
        return history.epochs().stream().map(TestReportWriter::record).toList();
    }

    /** The most probable class per row; for two classes, class 1 when {@code p1 ≥ 0.5}. */
    public static int[] predictedLabels(float[][] probabilities) {
        int[] predicted = new int[probabilities.length];
        for (int i = 0; i < probabilities.length; i++) {
            float[] row = probabilities[i];
            if (row.length == 2) {
                predicted[i] = row[1] >= BinaryMetrics.DEFAULT_THRESHOLD ? 1 : 0;
                continue;
            }
            int best = 0;
            for (int c = 1; c < row.length; c++) {
                if (row[c] > row[best]) {
                    best = c;
                }
            }
            predicted[i] = best;
        }
        return predicted;
    }

    private static EpochRecord record(EpochMetrics m) {
        return new EpochRecord(m.epoch(), m.trainLoss(), m.trainAccuracy(), m.valLoss(), m.valAccuracy(), m.lr());
    }

    /** The file of each image, or null when the images did not come from files of their own. */
    public static List<String> files(Dataset data) {
        if (!data.hasFiles()) {
            return null;
        }
        List<String> files = new java.util.ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            files.add(data.file(i));
        }
        return files;
    }
}
