package org.digitlab.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassificationReportTest {
    private static final int[] Y_TRUE = {0, 0, 1, 1, 2, 2, 2};
    private static final int[] Y_PRED = {0, 1, 1, 1, 2, 0, 1};

    @Test
    void formatsNumbersLikePythonRoundingExactBinaryTiesToEven() {
        assertThat(ClassificationReport.fixed(0.625, 2)).isEqualTo("0.62");
        assertThat(ClassificationReport.fixed(0.375, 2)).isEqualTo("0.38");
        assertThat(ClassificationReport.fixed(0.345, 2)).isEqualTo("0.34"); // binary value lies below 0.345
        assertThat(ClassificationReport.fixed(1.0, 4)).isEqualTo("1.0000");
    }

    @Test
    void rejectsLabelArraysOfDifferentLength() {
        assertThatThrownBy(() -> ClassificationReport.of(new int[] {0, 1}, new int[] {0}, 2))
                .isInstanceOf(EvaluationInputException.class)
                .hasMessage("yTrue has 2 labels but yPred has 1");
    }

    @Test
    void rejectsLabelOutsideClassRangeNamingItsIndex() {
        assertThatThrownBy(() -> ClassificationReport.of(new int[] {0, 1, 2}, new int[] {0, 3, 1}, 3))
                .isInstanceOf(EvaluationInputException.class)
                .hasMessage("yPred[1] = 3 is outside the label range [0, 3)");
    }

    @Test
    void rejectsProbabilityRowOfWrongWidth() {
        ClassificationReport.Builder builder = ClassificationReport.builder(new int[] {0, 1}, new int[] {0, 1})
                .numClasses(3).probabilities(new double[][] {{0.5, 0.3, 0.2}, {0.5, 0.5}});
        assertThatThrownBy(builder::build).isInstanceOf(EvaluationInputException.class)
                .hasMessage("probabilities row 1 has 2 values, expected 3");
    }

    @Test
    void rejectsClassNameCountDifferentFromNumClasses() {
        ClassificationReport.Builder builder = ClassificationReport.builder(Y_TRUE, Y_PRED).numClasses(3)
                .classNames(List.of("a", "b"));
        assertThatThrownBy(builder::build).isInstanceOf(EvaluationInputException.class)
                .hasMessage("expected 3 class names, found 2");
    }

    @Test
    void rejectsEmptyInput() {
        assertThatThrownBy(() -> ClassificationReport.of(new int[0], new int[0], 2))
                .isInstanceOf(EvaluationInputException.class).hasMessageContaining("no samples");
    }

    @Test
    void mapHoldsTheMetricsJsonKeysAndNullLossWithoutProbabilities() {
        Map<String, Object> map = ClassificationReport.builder(Y_TRUE, Y_PRED)
                .classNames(List.of("a", "b", "c")).build().toMap();
        assertThat(map).containsKeys("accuracy", "loss", "macro_precision", "macro_recall", "macro_f1",
                "weighted_precision", "weighted_recall", "weighted_f1", "per_class", "confusion_matrix",
                "top_k_accuracy").doesNotContainKeys("roc_auc", "pr_auc", "threshold");
        assertThat(map.get("loss")).isNull();
        assertThat((double) map.get("accuracy")).isCloseTo(4.0 / 7, within(1e-15));
        assertThat((List<?>) map.get("per_class")).first().isEqualTo(Map.of("label", 0, "name", "a",
                "precision", 0.5, "recall", 0.5, "f1", 0.5, "support", 2L));
        assertThat(map.get("confusion_matrix")).isEqualTo(List.of(List.of(1L, 1L, 0L), List.of(0L, 2L, 0L),
                List.of(1L, 1L, 1L)));
    }

    @Test
    void confusionCsvStartsWithTruePredictedHeaderAndQuotesNamesWithCommas() {
        String csv = ClassificationReport.builder(Y_TRUE, Y_PRED).classNames(List.of("a", "b,c", "d")).build()
                .confusionCsv();
        assertThat(csv).isEqualTo("true\\predicted,a,\"b,c\",d\na,1,1,0\n\"b,c\",0,2,0\nd,1,1,1\n");
    }

    @Test
    void perClassCsvHasOneRowPerClassWithFullPrecision() {
        String csv = ClassificationReport.of(Y_TRUE, Y_PRED, 4).toCsv();
        assertThat(csv.lines()).containsExactly("label,name,precision,recall,f1,support",
                "0,0,0.5,0.5,0.5,2", "1,1,0.5,1.0,0.6666666666666666,2",
                "2,2,1.0,0.3333333333333333,0.5,3", "3,3,0.0,0.0,0.0,0");
    }

    @Test
    void markdownTableHasClassRowsAndAccuracyRow() {
        String md = ClassificationReport.builder(Y_TRUE, Y_PRED).classNames(List.of("a|x", "b", "c")).build()
                .toMarkdown(2);
        assertThat(md.lines()).startsWith("| class | precision | recall | f1-score | support |",
                "|---|---:|---:|---:|---:|",
                "| a\\|x | 0.50 | 0.50 | 0.50 | 2 |").contains("| **accuracy** |  |  | 0.57 | 7 |",
                "| **macro avg** | 0.67 | 0.61 | 0.56 | 7 |");
    }

    @Test
    void floatProbabilitiesGiveTheSameResultsAsTheirDoubleWidening() {
        float[][] f = {{0.7f, 0.2f, 0.1f}, {0.1f, 0.3f, 0.6f}, {0.2f, 0.5f, 0.3f}};
        double[][] d = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int c = 0; c < 3; c++) {
                d[i][c] = f[i][c];
            }
        }
        int[] yTrue = {0, 1, 1};
        int[] yPred = {0, 2, 1};
        ClassificationReport fromFloats = ClassificationReport.builder(yTrue, yPred).probabilities(f).build();
        ClassificationReport fromDoubles = ClassificationReport.builder(yTrue, yPred).probabilities(d).build();
        assertThat(fromFloats.toMap()).isEqualTo(fromDoubles.toMap());
        assertThat(fromFloats.topKAccuracy()).containsOnlyKeys(1);
        assertThat(fromFloats.logLoss()).hasValueCloseTo(
                -(Math.log(d[0][0]) + Math.log(d[1][1]) + Math.log(d[2][1])) / 3, within(1e-7));
    }

    @Test
    void topKBreaksTiesTowardsTheHigherLabelLikeScikitLearn() {
        // Row 0: all tied, true label 0 ranks last; row 1: true label 2 ranks first among ties.
        double[][] p = {{0.25, 0.25, 0.25, 0.25}, {0.25, 0.25, 0.25, 0.25}};
        ClassificationReport report = ClassificationReport.builder(new int[] {0, 3}, new int[] {3, 3})
                .probabilities(p).topK(1, 3, 4).build();
        assertThat(report.topKAccuracy()).containsEntry(1, 0.5).containsEntry(3, 0.5).containsEntry(4, 1.0);
    }

    @Test
    void binaryReportWithOneTrueClassHasNullRocAuc() {
        ClassificationReport report = ClassificationReport.builder(new int[] {1, 1, 1}, new int[] {1, 0, 1})
                .probabilities(new double[][] {{0.2, 0.8}, {0.6, 0.4}, {0.1, 0.9}}).build();
        assertThat(report.binaryMetrics()).get().extracting(BinaryMetrics::rocAuc).isEqualTo(Double.NaN);
        assertThat(report.toMap()).containsEntry("roc_auc", null).containsEntry("threshold", 0.5);
    }
}
