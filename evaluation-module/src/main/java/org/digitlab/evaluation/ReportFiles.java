package org.digitlab.evaluation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

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
     * Writes one row per sample, {@code index,true,predicted[,p0,…,p{K-1}]}, so any report can be recomputed outside
     * DigitLab ({@code golden/check_predictions.py} does so with scikit-learn). Probabilities may be null; they are
     * written as their exact double widening so the recomputation sees the same numbers.
     */
    public static void writePredictionsCsv(Path file, int[] yTrue, int[] yPred, float[][] probabilities)
            throws IOException {
        if (yTrue.length != yPred.length || (probabilities != null && probabilities.length != yTrue.length)) {
            throw new EvaluationInputException("predictions CSV needs equal lengths, found yTrue " + yTrue.length
                    + ", yPred " + yPred.length
                    + (probabilities == null ? "" : ", probabilities " + probabilities.length));
        }
        StringBuilder sb = new StringBuilder("index,true,predicted");
        int k = probabilities == null || probabilities.length == 0 ? 0 : probabilities[0].length;
        for (int c = 0; c < k; c++) {
            sb.append(",p").append(c);
        }
        sb.append('\n');
        for (int i = 0; i < yTrue.length; i++) {
            sb.append(i).append(',').append(yTrue[i]).append(',').append(yPred[i]);
            for (int c = 0; c < k; c++) {
                sb.append(',').append((double) probabilities[i][c]);
            }
            sb.append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    /**
     * Writes the standard set into {@code dir}: {@code report.txt}, {@code report.md}, {@code report.json},
     * {@code per_class.csv}, {@code confusion.csv}, {@code plots/confusion_matrix.png} and, for binary reports with
     * probabilities, {@code plots/roc_curve.png}.
     */
    public static void writeAll(ClassificationReport report, Path dir) throws IOException {
        writeText(report, dir.resolve("report.txt"), 2);
        writeMarkdown(report, dir.resolve("report.md"), 2);
        writeJson(report, dir.resolve("report.json"));
        writePerClassCsv(report, dir.resolve("per_class.csv"));
        writeConfusionCsv(report, dir.resolve("confusion.csv"));
        Path plots = dir.resolve("plots");
        Plots.writePng(Plots.confusionMatrix(report), plots.resolve("confusion_matrix.png"));
        if (report.binaryMetrics().isPresent()) {
            Plots.writePng(Plots.rocCurve(report.binaryMetrics().get()), plots.resolve("roc_curve.png"));
        }
    }
}
