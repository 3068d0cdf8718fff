package org.digitlab.evaluation;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * Immutable evaluation of a K-class classifier that agrees with scikit-learn number for number:
 * {@code classification_report(y_true, y_pred, labels=range(K), target_names=names, zero_division=0)}, the confusion
 * matrix, and, when class probabilities are given, {@code log_loss}, {@code top_k_accuracy_score} and for K = 2
 * {@code roc_auc_score} and {@code average_precision_score}.
 *
 * <pre>{@code
 * ClassificationReport report = ClassificationReport.builder(yTrue, yPred)
 *         .numClasses(10).probabilities(probs).build();
 * System.out.println(report.toFormattedString());
 * }</pre>
 */
public final class ClassificationReport {
    /** Clip bound of the log loss: float64 machine epsilon, as scikit-learn 1.2 uses for float64 input. */
    static final double LOG_LOSS_EPS = Math.ulp(1.0);

    private final int size;
    private final List<String> classNames;
    private final ConfusionMatrix confusion;
    private final List<ClassMetrics> perClass;
    private final AverageMetrics micro;
    private final AverageMetrics macro;
    private final AverageMetrics weighted;
    private final boolean everyLabelSeen;
    private final Double logLoss;
    private final SortedMap<Integer, Double> topK;
    private final BinaryMetrics binary;

    private ClassificationReport(Builder b, int k, List<String> names) {
        this.size = b.yTrue.length;
        this.classNames = names;
        this.confusion = ConfusionMatrix.count(b.yTrue, b.yPred, k);

        List<ClassMetrics> rows = new ArrayList<>(k);
        double[] precision = new double[k];
        double[] recall = new double[k];
        double[] f1 = new double[k];
        double[] support = new double[k];
        for (int c = 0; c < k; c++) {
            long tp = confusion.truePositives(c);
            long predicted = confusion.predicted(c);
            long actual = confusion.support(c);
            precision[c] = predicted == 0 ? 0 : (double) tp / predicted;
            recall[c] = actual == 0 ? 0 : (double) tp / actual;
            double denom = precision[c] + recall[c];
            // Same expression and evaluation order as scikit-learn 1.2, so results agree to the last bit.
            f1[c] = denom == 0 ? 0 : 2.0 * precision[c] * recall[c] / denom;
            support[c] = actual;
            rows.add(new ClassMetrics(c, names.get(c), precision[c], recall[c], f1[c], actual));
        }
        this.perClass = Collections.unmodifiableList(rows);
        double accuracy = (double) confusion.correct() / size;
        this.micro = new AverageMetrics(accuracy, accuracy, accuracy, size);
        this.macro = new AverageMetrics(mean(precision, null), mean(recall, null), mean(f1, null), size);
        this.weighted = new AverageMetrics(mean(precision, support), mean(recall, support), mean(f1, support), size);
        this.everyLabelSeen = IntStream.range(0, k).allMatch(c -> confusion.support(c) + confusion.predicted(c) > 0);

        if (b.probabilities == null) {
            this.logLoss = null;
            this.topK = Collections.emptySortedMap();
            this.binary = null;
        } else {
            this.logLoss = logLoss(b.yTrue, b.probabilities);
            TreeMap<Integer, Double> top = new TreeMap<>();
            for (int kk : b.topK != null ? b.topK : defaultTopK(k)) {
                top.put(kk, topKAccuracy(b.yTrue, b.probabilities, kk));
            }
            this.topK = Collections.unmodifiableSortedMap(top);
            this.binary = k == 2 ? BinaryMetrics.compute(b.yTrue, column(b.probabilities, 1)) : null;
        }
    }

    /** Starts a report over true and predicted labels; labels must lie in {@code [0, numClasses)}. */
    public static Builder builder(int[] yTrue, int[] yPred) {
        return new Builder(yTrue, yPred);
    }

    /** A report without probabilities over labels {@code 0..numClasses-1} named "0", "1", …. */
    public static ClassificationReport of(int[] yTrue, int[] yPred, int numClasses) {
        return builder(yTrue, yPred).numClasses(numClasses).build();
    }

    /** Number of evaluated samples. */
    public int size() {
        return size;
    }

    /** Number of classes K (rows of the report). */
    public int numClasses() {
        return classNames.size();
    }

    /** Class names, one per label. */
    public List<String> classNames() {
        return classNames;
    }

    /** The confusion matrix, rows true, columns predicted. */
    public ConfusionMatrix confusionMatrix() {
        return confusion;
    }

    /** Fraction of samples predicted correctly. */
    public double accuracy() {
        return micro.precision();
    }

    /** One entry per class, in label order, including classes absent from both label arrays. */
    public List<ClassMetrics> perClass() {
        return perClass;
    }

    /** Unweighted mean over all K classes (classes absent from the data count as zeros, as in scikit-learn). */
    public AverageMetrics macroAverage() {
        return macro;
    }

    /** Mean over classes weighted by support. */
    public AverageMetrics weightedAverage() {
        return weighted;
    }

    /** Micro average; equals accuracy for single-label predictions over the full label set. */
    public AverageMetrics microAverage() {
        return micro;
    }

    /** Log loss as {@code sklearn.metrics.log_loss} (clipped, rows renormalised); empty without probabilities. */
    public OptionalDouble logLoss() {
        return logLoss == null ? OptionalDouble.empty() : OptionalDouble.of(logLoss);
    }

    /** Top-k accuracy by k (empty without probabilities). */
    public SortedMap<Integer, Double> topKAccuracy() {
        return topK;
    }

    /** ROC AUC, PR AUC, threshold and ROC curve; present for K = 2 with probabilities. */
    public Optional<BinaryMetrics> binaryMetrics() {
        return Optional.ofNullable(binary);
    }

    /** The text report with two decimals, exactly as scikit-learn's {@code classification_report} prints it. */
    public String toText() {
        return toText(2);
    }

    /**
     * The text report laid out exactly as scikit-learn's {@code classification_report(..., digits=digits)}: one row
     * per class, then accuracy (or "micro avg" when some label occurs in neither array), macro and weighted avg.
     */
    public String toText(int digits) {
        if (digits < 0) {
            throw new EvaluationInputException("digits must be >= 0, found " + digits);
        }
        int width = Math.max("weighted avg".length(), digits);
        for (String name : classNames) {
            width = Math.max(width, name.length());
        }
        StringBuilder sb = new StringBuilder();
        sb.append(pad("", width)).append(' ');
        for (String header : List.of("precision", "recall", "f1-score", "support")) {
            sb.append(' ').append(pad(header, 9));
        }
        sb.append("\n\n");
        for (ClassMetrics m : perClass) {
            appendRow(sb, m.name(), m.precision(), m.recall(), m.f1(), m.support(), width, digits);
        }
        sb.append('\n');
        if (everyLabelSeen) {
            sb.append(pad("accuracy", width)).append(' ').append(' ').append(pad("", 9)).append(' ')
                    .append(pad("", 9)).append(' ').append(pad(fixed(micro.f1(), digits), 9)).append(' ')
                    .append(pad(Long.toString(micro.support()), 9)).append('\n');
        } else {
            appendRow(sb, "micro avg", micro, width, digits);
        }
        appendRow(sb, "macro avg", macro, width, digits);
        appendRow(sb, "weighted avg", weighted, width, digits);
        return sb.toString();
    }

    /** The text report followed by log loss, top-k accuracy and the binary metrics when available. */
    public String toFormattedString() {
        StringBuilder sb = new StringBuilder(toText(2));
        if (logLoss != null) {
            sb.append("\nlog loss: ").append(fixed(logLoss, 4)).append('\n');
            topK.forEach((k, v) -> sb.append("top-").append(k).append(" accuracy: ").append(fixed(v, 4)).append('\n'));
        }
        if (binary != null) {
            sb.append("ROC AUC: ").append(fixed(binary.rocAuc(), 4)).append('\n');
            sb.append("PR AUC (average precision): ").append(fixed(binary.prAuc(), 4)).append('\n');
            sb.append("threshold on p(").append(classNames.get(1)).append("): ").append(binary.threshold())
                    .append('\n');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return toFormattedString();
    }

    /**
     * A tree of maps, lists and numbers for JSON (Jackson serialises it as is): {@code accuracy}, {@code loss},
     * {@code macro_*}, {@code weighted_*}, {@code per_class}, {@code confusion_matrix}, {@code top_k_accuracy}
     * and, for binary problems, {@code roc_auc}, {@code pr_auc}, {@code threshold}. Undefined numbers are null.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("accuracy", accuracy());
        map.put("loss", logLoss);
        map.put("macro_precision", macro.precision());
        map.put("macro_recall", macro.recall());
        map.put("macro_f1", macro.f1());
        map.put("weighted_precision", weighted.precision());
        map.put("weighted_recall", weighted.recall());
        map.put("weighted_f1", weighted.f1());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ClassMetrics m : perClass) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("label", m.label());
            row.put("name", m.name());
            row.put("precision", m.precision());
            row.put("recall", m.recall());
            row.put("f1", m.f1());
            row.put("support", m.support());
            rows.add(row);
        }
        map.put("per_class", rows);
        List<List<Long>> matrix = new ArrayList<>();
        for (long[] row : confusion.counts()) {
            matrix.add(Arrays.stream(row).boxed().toList());
        }
        map.put("confusion_matrix", matrix);
        Map<String, Double> top = new LinkedHashMap<>();
        topK.forEach((k, v) -> top.put(Integer.toString(k), v));
        map.put("top_k_accuracy", logLoss == null ? null : top);
        if (binary != null) {
            map.put("roc_auc", finiteOrNull(binary.rocAuc()));
            map.put("pr_auc", finiteOrNull(binary.prAuc()));
            map.put("threshold", binary.threshold());
        }
        return map;
    }

    /** The per-class table as CSV: header {@code label,name,precision,recall,f1,support}, full precision numbers. */
    public String toCsv() {
        StringBuilder sb = new StringBuilder("label,name,precision,recall,f1,support\n");
        for (ClassMetrics m : perClass) {
            sb.append(m.label()).append(',').append(Escapes.csv(m.name())).append(',').append(m.precision()).append(',')
                    .append(m.recall()).append(',').append(m.f1()).append(',').append(m.support()).append('\n');
        }
        return sb.toString();
    }

    /**
     * The confusion matrix as CSV: first row {@code true\predicted,<name>,…}, then one row per true class, its name
     * followed by the counts.
     */
    public String confusionCsv() {
        StringBuilder sb = new StringBuilder("true\\predicted");
        classNames.forEach(n -> sb.append(',').append(Escapes.csv(n)));
        sb.append('\n');
        long[][] counts = confusion.counts();
        for (int t = 0; t < counts.length; t++) {
            sb.append(Escapes.csv(classNames.get(t)));
            for (long c : counts[t]) {
                sb.append(',').append(c);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** The report as a Markdown table (same rows and rounding as {@link #toText(int)}), plus probability metrics. */
    public String toMarkdown(int digits) {
        StringBuilder sb = new StringBuilder("| class | precision | recall | f1-score | support |\n");
        sb.append("|---|---:|---:|---:|---:|\n");
        for (ClassMetrics m : perClass) {
            markdownRow(sb, Escapes.markdown(m.name()), fixed(m.precision(), digits), fixed(m.recall(), digits),
                    fixed(m.f1(), digits), m.support());
        }
        if (everyLabelSeen) {
            markdownRow(sb, "**accuracy**", "", "", fixed(micro.f1(), digits), micro.support());
        } else {
            markdownAverage(sb, "**micro avg**", micro, digits);
        }
        markdownAverage(sb, "**macro avg**", macro, digits);
        markdownAverage(sb, "**weighted avg**", weighted, digits);
        if (logLoss != null) {
            sb.append('\n').append("- log loss: ").append(fixed(logLoss, 4)).append('\n');
            topK.forEach((k, v) -> sb.append("- top-").append(k).append(" accuracy: ").append(fixed(v, 4))
                    .append('\n'));
        }
        if (binary != null) {
            sb.append("- ROC AUC: ").append(fixed(binary.rocAuc(), 4)).append('\n');
            sb.append("- PR AUC (average precision): ").append(fixed(binary.prAuc(), 4)).append('\n');
            sb.append("- threshold on p(").append(Escapes.markdown(classNames.get(1))).append("): ")
                    .append(binary.threshold()).append('\n');
        }
        return sb.toString();
    }

    private static void markdownAverage(StringBuilder sb, String name, AverageMetrics a, int digits) {
        markdownRow(sb, name, fixed(a.precision(), digits), fixed(a.recall(), digits), fixed(a.f1(), digits),
                a.support());
    }

    private static void markdownRow(StringBuilder sb, String name, String p, String r, String f, long support) {
        sb.append("| ").append(name).append(" | ").append(p).append(" | ").append(r).append(" | ").append(f)
                .append(" | ").append(support).append(" |\n");
    }

    private static void appendRow(StringBuilder sb, String name, AverageMetrics a, int width, int digits) {
        appendRow(sb, name, a.precision(), a.recall(), a.f1(), a.support(), width, digits);
    }

    private static void appendRow(StringBuilder sb, String name, double p, double r, double f, long support,
                                  int width, int digits) {
        sb.append(pad(name, width)).append(' ');
        for (double v : new double[] {p, r, f}) {
            sb.append(' ').append(pad(fixed(v, digits), 9));
        }
        sb.append(' ').append(pad(Long.toString(support), 9)).append('\n');
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }

    /** Python's {@code format(v, ".{digits}f")}: the exact binary value rounded half-to-even. */
    static String fixed(double v, int digits) {
        if (!Double.isFinite(v)) {
            return Double.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
        }
        return new BigDecimal(v).setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
    }

    private static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static double mean(double[] values, double[] weights) {
        double sum = 0;
        double total = 0;
        for (int i = 0; i < values.length; i++) {
            double w = weights == null ? 1 : weights[i];
            sum += values[i] * w;
            total += w;
        }
        return total == 0 ? 0 : sum / total;
    }

    private static double logLoss(int[] yTrue, double[][] probabilities) {
        double total = 0;
        for (int i = 0; i < yTrue.length; i++) {
            double rowSum = 0;
            for (double p : probabilities[i]) {
                rowSum += clip(p);
            }
            total += -Math.log(clip(probabilities[i][yTrue[i]]) / rowSum);
        }
        return total / yTrue.length;
    }

    private static double clip(double p) {
        return Math.min(Math.max(p, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);
    }

    /**
     * scikit-learn's tie rule: a stable ascending sort read backwards, so among equal scores the higher label
     * ranks first; for K = 2 and k = 1 it thresholds p(class 1) > 0.5 instead.
     */
    private static double topKAccuracy(int[] yTrue, double[][] probabilities, int k) {
        int hits = 0;
        for (int i = 0; i < yTrue.length; i++) {
            double[] row = probabilities[i];
            int t = yTrue[i];
            boolean hit;
            if (row.length == 2 && k == 1) {
                hit = (row[1] > BinaryMetrics.DEFAULT_THRESHOLD ? 1 : 0) == t;
            } else {
                int rank = 0;
                for (int c = 0; c < row.length; c++) {
                    if (row[c] > row[t] || (row[c] == row[t] && c > t)) {
                        rank++;
                    }
                }
                hit = rank < k;
            }
            hits += hit ? 1 : 0;
        }
        return (double) hits / yTrue.length;
    }

    private static int[] defaultTopK(int k) {
        return IntStream.of(1, 3, 5).filter(x -> x == 1 || x < k).toArray();
    }

    private static double[] column(double[][] m, int c) {
        double[] out = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i][c];
        }
        return out;
    }

    /** Collects the optional inputs of a report; {@link #build()} validates everything at once. */
    public static final class Builder {
        private final int[] yTrue;
        private final int[] yPred;
        private Integer numClasses;
        private List<String> classNames;
        private double[][] probabilities;
        private int[] topK;

        private Builder(int[] yTrue, int[] yPred) {
            if (yTrue == null || yPred == null) {
                throw new EvaluationInputException("yTrue and yPred must not be null");
            }
            this.yTrue = yTrue.clone();
            this.yPred = yPred.clone();
        }

        /** Number of classes K; defaults to the class-name count, the probability width, or max label + 1. */
        public Builder numClasses(int numClasses) {
            this.numClasses = numClasses;
            return this;
        }

        /** One name per label; defaults to "0", "1", …. */
        public Builder classNames(List<String> classNames) {
            this.classNames = List.copyOf(classNames);
            return this;
        }

        /** Class probabilities, one row of K values per sample (rows need not sum exactly to one). */
        public Builder probabilities(double[][] probabilities) {
            this.probabilities = new double[probabilities.length][];
            for (int i = 0; i < probabilities.length; i++) {
                this.probabilities[i] = probabilities[i].clone();
            }
            return this;
        }

        /** Class probabilities in single precision, widened exactly to double. */
        public Builder probabilities(float[][] probabilities) {
            this.probabilities = new double[probabilities.length][];
            for (int i = 0; i < probabilities.length; i++) {
                this.probabilities[i] = new double[probabilities[i].length];
                for (int c = 0; c < probabilities[i].length; c++) {
                    this.probabilities[i][c] = probabilities[i][c];
                }
            }
            return this;
        }

        /** The k values of top-k accuracy; defaults to 1, and 3 and 5 where smaller than K. */
        public Builder topK(int... ks) {
            this.topK = ks.clone();
            return this;
        }

        /** Validates the inputs and computes the report. */
        public ClassificationReport build() {
            if (yTrue.length != yPred.length) {
                throw new EvaluationInputException("yTrue has " + yTrue.length + " labels but yPred has "
                        + yPred.length);
            }
            if (yTrue.length == 0) {
                throw new EvaluationInputException("no samples to evaluate (yTrue and yPred are empty)");
            }
            int k = resolveNumClasses();
            checkLabels("yTrue", yTrue, k);
            checkLabels("yPred", yPred, k);
            List<String> names = classNames != null ? classNames
                    : IntStream.range(0, k).mapToObj(Integer::toString).toList();
            if (names.size() != k) {
                throw new EvaluationInputException("expected " + k + " class names, found " + names.size());
            }
            if (probabilities != null) {
                checkProbabilities(k);
            }
            if (topK != null) {
                for (int kk : topK) {
                    if (kk < 1 || kk > k) {
                        throw new EvaluationInputException("top-k needs 1 <= k <= " + k + ", found k = " + kk);
                    }
                }
            }
            return new ClassificationReport(this, k, names);
        }

        private int resolveNumClasses() {
            int k;
            if (numClasses != null) {
                k = numClasses;
            } else if (classNames != null) {
                k = classNames.size();
            } else if (probabilities != null && probabilities.length > 0) {
                k = probabilities[0].length;
            } else {
                k = Math.max(Arrays.stream(yTrue).max().orElse(0), Arrays.stream(yPred).max().orElse(0)) + 1;
            }
            if (k < 1) {
                throw new EvaluationInputException("numClasses must be >= 1, found " + k);
            }
            return k;
        }

        private static void checkLabels(String what, int[] labels, int k) {
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] < 0 || labels[i] >= k) {
                    throw new EvaluationInputException(what + "[" + i + "] = " + labels[i]
                            + " is outside the label range [0, " + k + ")");
                }
            }
        }

        private void checkProbabilities(int k) {
            if (probabilities.length != yTrue.length) {
                throw new EvaluationInputException("probabilities have " + probabilities.length
                        + " rows but there are " + yTrue.length + " labels");
            }
            for (int i = 0; i < probabilities.length; i++) {
                if (probabilities[i].length != k) {
                    throw new EvaluationInputException("probabilities row " + i + " has " + probabilities[i].length
                            + " values, expected " + k);
                }
                for (int c = 0; c < k; c++) {
                    double p = probabilities[i][c];
                    if (!(p >= 0) || Double.isInfinite(p)) {
                        throw new EvaluationInputException("probabilities[" + i + "][" + c + "] = " + p
                                + " is not a finite non-negative number");
                    }
                }
            }
        }
    }
}
