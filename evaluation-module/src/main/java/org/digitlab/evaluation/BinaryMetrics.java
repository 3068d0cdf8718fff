package org.digitlab.evaluation;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Threshold-free metrics of a binary problem, scored on p(class 1); the numbers follow scikit-learn 1.2's
 * {@code roc_curve}, {@code roc_auc_score} and {@code average_precision_score}.
 *
 * @param rocAuc area under the ROC curve; NaN when the true labels hold one class only
 * @param prAuc average precision (area under the step-wise precision-recall curve)
 * @param threshold the p(class 1) threshold the predicted labels correspond to
 * @param rocCurve the ROC curve points
 */
public record BinaryMetrics(double rocAuc, double prAuc, double threshold, RocCurve rocCurve) {

    /** The decision threshold on p(class 1) that an argmax over two classes amounts to. */
    public static final double DEFAULT_THRESHOLD = 0.5;

    /** Computes the metrics for true labels in {0, 1} and scores p(class 1). */
    static BinaryMetrics compute(int[] yTrue, double[] scores) {
        Integer[] order = new Integer[scores.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());

        // Cumulative counts at the last index of every group of tied scores, highest score first.
        int n = scores.length;
        double[] tps = new double[n];
        double[] fps = new double[n];
        double[] thr = new double[n];
        int m = 0;
        long tp = 0;
        for (int j = 0; j < n; j++) {
            int i = order[j];
            tp += yTrue[i];
            if (j == n - 1 || scores[order[j + 1]] != scores[i]) {
                tps[m] = tp;
                fps[m] = j + 1 - tp;
                thr[m] = scores[i];
                m++;
            }
        }
        double positives = tps[m - 1];
        Roc roc = roc(tps, fps, thr, m);
        return new BinaryMetrics(roc.area, averagePrecision(tps, fps, m, positives), DEFAULT_THRESHOLD, roc.curve);
    }

    private record Roc(RocCurve curve, double area) {
    }

    private static Roc roc(double[] tps, double[] fps, double[] thr, int m) {
        // drop_intermediate=True: keep end points and points where the curve changes direction.
        double[] keptTps = new double[m + 1];
        double[] keptFps = new double[m + 1];
        double[] keptThr = new double[m + 1];
        int k = 1;
        for (int i = 0; i < m; i++) {
            boolean keep = m <= 2 || i == 0 || i == m - 1
                    || fps[i + 1] - 2 * fps[i] + fps[i - 1] != 0 || tps[i + 1] - 2 * tps[i] + tps[i - 1] != 0;
            if (keep) {
                keptTps[k] = tps[i];
                keptFps[k] = fps[i];
                keptThr[k] = thr[i];
                k++;
            }
        }
        keptThr[0] = keptThr[1] + 1;
        double[] fpr = new double[k];
        double[] tpr = new double[k];
        double[] thresholds = Arrays.copyOf(keptThr, k);
        double negatives = keptFps[k - 1];
        double positives = keptTps[k - 1];
        for (int i = 0; i < k; i++) {
            fpr[i] = negatives > 0 ? keptFps[i] / negatives : Double.NaN;
            tpr[i] = positives > 0 ? keptTps[i] / positives : Double.NaN;
        }
        double area = 0;
        if (negatives > 0 && positives > 0) {
            for (int i = 0; i + 1 < k; i++) {
                area += (fpr[i + 1] - fpr[i]) * (tpr[i + 1] + tpr[i]) / 2.0;
            }
        } else {
            area = Double.NaN;
        }
        return new Roc(new RocCurve(fpr, tpr, thresholds), area);
    }

    private static double averagePrecision(double[] tps, double[] fps, int m, double positives) {
        // Sum over thresholds of (recall_i - recall_{i-1}) * precision_i, lowest threshold first as sklearn sums.
        double sum = 0;
        for (int i = m - 1; i >= 0; i--) {
            double recall = positives > 0 ? tps[i] / positives : 1;
            double previousRecall = i == 0 ? 0 : positives > 0 ? tps[i - 1] / positives : 1;
            double precision = tps[i] / (tps[i] + fps[i]);
            sum += (previousRecall - recall) * precision;
        }
        return -sum;
    }
}
