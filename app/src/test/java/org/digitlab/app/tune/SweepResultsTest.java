package org.digitlab.app.tune;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.digitlab.app.train.Experiments;
import org.digitlab.training.EpochMetrics;
import org.junit.jupiter.api.Test;

class SweepResultsTest {

    @Test
    void aTrialsScoreIsItsBestValidationEpochSoFarWithTiesToTheLowerLoss() {
        List<EpochMetrics> history = List.of(epoch(1, 0.50, 0.9), epoch(2, 0.80, 0.7), epoch(3, 0.80, 0.6),
                epoch(4, 0.95, 0.2));
        assertThat(Score.of(5, history, 3, Metric.VAL_ACCURACY)).isEqualTo(new Score(5, 3, 0.80, 0.6, 3));
        assertThat(Score.of(5, history, 9, Metric.VAL_ACCURACY).bestEpoch()).isEqualTo(4);
        assertThat(Score.of(5, history, 2, Metric.VAL_LOSS)).isEqualTo(new Score(5, 2, 0.80, 0.7, 2));
        assertThat(Score.of(5, List.of(epoch(1, Double.NaN, Double.NaN)), 1, Metric.VAL_ACCURACY))
                .isEqualTo(Score.failed(5, 1));
    }

    @Test
    void ranksByTheMetricThenTheOtherMetricThenTheTrialWithFailedTrialsLast() {
        SweepSpec spec = spec("random", Map.of("lr", "0.001..0.1:log"), 5);
        Map<Integer, SweepFiles.TrialFiles> trials = new TreeMap<>();
        trials.put(0, files(result(0, 0, 0.90, 0.5, true)));
        trials.put(1, files(result(1, 0, 0.95, 0.4, true)));
        trials.put(2, files(result(2, 0, 0.95, 0.3, true)));
        trials.put(3, files(new RungResult(3, 0, 1, Double.NaN, Double.NaN, 0, true, "failed: loss is NaN, at step 3",
                "w", 0, 0)));
        trials.put(4, files(result(4, 0, 0.95, 0.3, true)));
        SweepResults results = new SweepResults(spec, trials);
        assertThat(results.ranked()).extracting(r -> r.result().trial()).containsExactly(2, 4, 1, 0, 3);
        assertThat(results.chosen().result().trial()).isEqualTo(2);
        assertThat(results.chosen().params()).isEqualTo(spec.params(2));

        List<String> csv = results.toCsv(0.93).lines().toList();
        assertThat(csv.get(0)).isEqualTo("rank,trial,rung,epochs,val_accuracy,val_loss,best_epoch,lr,status,"
                + "train_seconds,test_accuracy,chosen");
        assertThat(csv.get(1)).startsWith("1,0002,0,3,0.9500,0.3000,3,").endsWith(",completed,1.5,0.9300,yes");
        assertThat(csv.get(2)).startsWith("2,0004,").endsWith(",,");
        assertThat(csv.get(5)).as("a cell with a comma is quoted")
                .isEqualTo("5,0003,0,1,,,0," + SweepResults.plain(spec.params(3).get("lr"))
                        + ",\"failed: loss is NaN, at step 3\",0.0,,");
        assertThat(results.toMarkdown(0.93).lines().skip(2).findFirst()).hasValueSatisfying(
                row -> assertThat(row).startsWith("| 1 | 0002 | 0 | 3 |").endsWith("| 0.9300 | yes |"));

        SweepResults onLoss = new SweepResults(new SweepSpec("random", spec.base(), spec.space(), 5, false,
                "val_loss", 0, 0), trials);
        assertThat(onLoss.ranked()).extracting(r -> r.result().trial()).containsExactly(2, 4, 1, 0, 3);
    }

    @Test
    void ashaRowsSayWhereATrialStoppedAndASearchedEpochCountIsTheMaximum() {
        SweepSpec asha = spec("asha", Map.of("optimizer", "adam,sgd"), 3);
        Map<Integer, SweepFiles.TrialFiles> trials = new TreeMap<>();
        trials.put(0, files(result(0, 0, 0.5, 1, false)));
        trials.put(1, files(result(1, 0, 0.7, 1, false), result(1, 1, 0.8, 0.9, true)));
        assertThat(new SweepResults(asha, trials).toMarkdown(Double.NaN))
                .contains("| 1 | 0001 | 1 | 3 |").contains("| stopped at rung 0 |");
        SweepSpec grid = spec("grid", Map.of("epochs", "1,2"), 2);
        assertThat(new SweepResults(grid, trials).toCsv(Double.NaN)).startsWith(
                "rank,trial,rung,epochs,val_accuracy,val_loss,best_epoch,max_epochs,status,");
        assertThat(new SweepResults(grid, Map.of()).chosen()).isNull();
    }

    private static SweepSpec spec(String search, Map<String, String> space, int trials) {
        return new SweepSpec(search, Experiments.preset("base"), space, trials, search.equals("grid"), "val_accuracy",
                search.equals("asha") ? 1 : 0, search.equals("asha") ? 3 : 0);
    }

    private static SweepFiles.TrialFiles files(RungResult... results) {
        return new SweepFiles.TrialFiles(results[0].trial(), List.of(results), false);
    }

    private static RungResult result(int trial, int rung, double accuracy, double loss, boolean last) {
        return new RungResult(trial, rung, 3, accuracy, loss, 3, last, last ? "completed" : "paused", "w", 0, 1.5);
    }

    private static EpochMetrics epoch(int epoch, double valAccuracy, double valLoss) {
        return new EpochMetrics(epoch, 1, 0.5, valLoss, valAccuracy, 0.01, 0.1);
    }
}
