package org.digitlab.evaluation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** Writes a {@link ClassificationReport} to files; every write goes through a temp file and an atomic rename. */
public final class ReportFiles {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportFiles() {
    }

    /** The report's {@link ClassificationReport#toMap()} as indented JSON. */
    public static String toJson(ClassificationReport report) {
        try {
            return JSON.writeValueAsString(report.toMap());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the scikit-learn style text report with {@code digits} decimals. */
    public static void writeText(ClassificationReport report, Path file, int digits) throws IOException {
        AtomicFiles.writeString(file, report.toText(digits));
    }

    /** Writes {@link #toJson(ClassificationReport)}. */
    public static void writeJson(ClassificationReport report, Path file) throws IOException {
        AtomicFiles.writeString(file, toJson(report) + "\n");
    }

    /** Writes the per-class CSV table ({@link ClassificationReport#toCsv()}). */
    public static void writePerClassCsv(ClassificationReport report, Path file) throws IOException {
        AtomicFiles.writeString(file, report.toCsv());
    }

    /** Writes the confusion matrix CSV ({@link ClassificationReport#confusionCsv()}). */
    public static void writeConfusionCsv(ClassificationReport report, Path file) throws IOException {
        AtomicFiles.writeString(file, report.confusionCsv());
    }

    /** Writes the Markdown table with {@code digits} decimals. */
    public static void writeMarkdown(ClassificationReport report, Path file, int digits) throws IOException {
        AtomicFiles.writeString(file, report.toMarkdown(digits));
    }

    /**
     * Writes one row per sample, {@code index[,file],true,predicted[,p_NAME…]}: the true and predicted classes by
     * name (a label set with gaps keeps its own values), the file each image came from when known, and one
     * probability column per class, so any report can be recomputed outside DigitLab
     * ({@code golden/check_predictions.py} does so with scikit-learn). Probabilities are written as their exact
     * double widening so the recomputation sees the same numbers. Cells holding a comma, quote or line break are
     * quoted as RFC 4180 says.
     *
     * @param classNames    one name per class, index = label
     * @param yTrue         true labels, or null when unknown (prediction on new files: no {@code true} column)
     * @param probabilities one row per sample, or null
     * @param files         the file of each sample, or null (no {@code file} column)
     */
    public static void writePredictionsCsv(Path file, List<String> classNames, int[] yTrue, int[] yPred,
                                           float[][] probabilities, List<String> files) throws IOException {
        if ((yTrue != null && yTrue.length != yPred.length)
                || (probabilities != null && probabilities.length != yPred.length)
                || (files != null && files.size() != yPred.length)) {
            throw new EvaluationInputException("predictions CSV needs equal lengths, found yPred " + yPred.length
                    + (yTrue == null ? "" : ", yTrue " + yTrue.length)
                    + (probabilities == null ? "" : ", probabilities " + probabilities.length)
                    + (files == null ? "" : ", files " + files.size()));
        }
        StringBuilder sb = new StringBuilder("index");
        sb.append(files == null ? "" : ",file").append(yTrue == null ? "" : ",true").append(",predicted");
        int k = probabilities == null || probabilities.length == 0 ? 0 : probabilities[0].length;
        for (int c = 0; c < k; c++) {
            sb.append(',').append(csvCell("p_" + classNames.get(c)));
        }
        sb.append('\n');
        for (int i = 0; i < yPred.length; i++) {
            sb.append(i);
            if (files != null) {
                sb.append(',').append(csvCell(files.get(i)));
            }
            if (yTrue != null) {
                sb.append(',').append(csvCell(classNames.get(yTrue[i])));
            }
            sb.append(',').append(csvCell(classNames.get(yPred[i])));
            for (int c = 0; c < k; c++) {
                sb.append(',').append((double) probabilities[i][c]);
            }
            sb.append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    /** A CSV cell, quoted (with quotes doubled) when it holds a delimiter, quote or line break. */
    static String csvCell(String text) {
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    /**
     * Writes the standard set into {@code dir}: {@code report.txt}, {@code report.md}, {@code report.json},
     * {@code per_class.csv}, {@code confusion.csv}, {@code plots/confusion_matrix.png} and, for binary reports with
     * probabilities, {@code plots/roc_curve.png}. The plots are skipped, with one warning, where Java cannot draw
     * text ({@link Plots#canDrawText()}), so the other files are not lost to a machine without fonts.
     */
    public static void writeAll(ClassificationReport report, Path dir) throws IOException {
        writeText(report, dir.resolve("report.txt"), 2);
        writeMarkdown(report, dir.resolve("report.md"), 2);
        writeJson(report, dir.resolve("report.json"));
        writePerClassCsv(report, dir.resolve("per_class.csv"));
        writeConfusionCsv(report, dir.resolve("confusion.csv"));
        if (!Plots.canDrawText()) {
            return;
        }
        Path plots = dir.resolve("plots");
        Plots.writePng(Plots.confusionMatrix(report), plots.resolve("confusion_matrix.png"));
        if (report.binaryMetrics().isPresent()) {
            Plots.writePng(Plots.rocCurve(report.binaryMetrics().get()), plots.resolve("roc_curve.png"));
        }
    }
}
