package org.digitlab.app.grid;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.digitlab.training.EpochMetrics;
import org.digitlab.training.History;
import org.digitlab.training.TrainingResult;
import org.junit.jupiter.api.Test;

class GridSummaryTest {

    @Test
    void trialScoreIsItsBestValidationEpochWithTiesToLowerLoss() {
        Trial trial = new Trial("t", 0.01, 32, 3, "sgd", null);
        History history = new History(List.of(epoch(1, 0.50, 0.9), epoch(2, 0.80, 0.7), epoch(3, 0.80, 0.6)));
        TrialResult result = TrialResult.of(trial,
                new TrainingResult(history, 3, 3, "last", "completed 3 epochs", "CPU", 1));
        assertThat(result.bestValAccuracy()).isEqualTo(0.80);
        assertThat(result.bestEpoch()).isEqualTo(3);
        assertThat(result.valLoss()).isEqualTo(0.6);
    }

    @Test
    void ranksByValidationAccuracyThenLowerValidationLoss() {
        GridSummary summary = new GridSummary(List.of(result("a", 0.90, 0.5), result("b", 0.95, 0.4),
                result("c", 0.95, 0.3)), 0.93);
        assertThat(summary.ranked()).extracting(TrialResult::trial).containsExactly("c", "b", "a");
        assertThat(summary.chosen().trial()).isEqualTo("c");
        List<String> csv = summary.toCsv().lines().toList();
        assertThat(csv.get(1)).startsWith("1,c,").endsWith(",0.9300,yes");
        assertThat(csv.get(2)).startsWith("2,b,").endsWith(",,");
        assertThat(summary.toMarkdown().lines().skip(2).findFirst()).hasValueSatisfying(
                row -> assertThat(row).startsWith("| 1 | c |").endsWith("| 0.9300 | yes |"));
    }

    private static EpochMetrics epoch(int epoch, double valAccuracy, double valLoss) {
        return new EpochMetrics(epoch, 1, 0.5, valLoss, valAccuracy, 0.01, 0.1);
    }

    private static TrialResult result(String name, double valAccuracy, double valLoss) {
        return new TrialResult(name, 0.01, 32, 2, "adam", valAccuracy, valLoss, 2, 2, "completed 2 epochs", 1.0);
    }
}
