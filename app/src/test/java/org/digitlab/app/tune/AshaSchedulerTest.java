package org.digitlab.app.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.TreeMap;
import org.digitlab.app.tune.AshaScheduler.Decision;
import org.digitlab.app.tune.AshaScheduler.TrialView;
import org.junit.jupiter.api.Test;

class AshaSchedulerTest {
    private static final AshaScheduler.Decision WAIT = new Decision(Decision.Kind.WAIT, -1, -1);
    private static final AshaScheduler.Decision DONE = new Decision(Decision.Kind.DONE, -1, -1);

    @Test
    void rungsGrowByTheReductionFactorAndEndAtTheMaximum() {
        assertThat(AshaScheduler.rungEpochs(1, 9, 3)).containsExactly(1, 3, 9);
        assertThat(AshaScheduler.rungEpochs(1, 10, 3)).containsExactly(1, 3, 10);
        assertThat(AshaScheduler.rungEpochs(1, 4, 3)).containsExactly(1, 4);
        assertThat(AshaScheduler.rungEpochs(1, 27, 3)).containsExactly(1, 3, 9, 27);
        assertThat(AshaScheduler.rungEpochs(2, 8, 2)).containsExactly(2, 4, 8);
        assertThat(AshaScheduler.rungEpochs(5, 5, 3)).containsExactly(5);
        assertThatThrownBy(() -> AshaScheduler.rungEpochs(4, 2, 3)).hasMessageContaining("--min-epochs");
        assertThatThrownBy(() -> AshaScheduler.rungEpochs(1, 9, 1)).hasMessageContaining("--reduction ≥ 2");
    }

    @Test
    void startsTrialsInIndexOrderThenWaitsForRunningOnesThenIsDone() {
        AshaScheduler single = new AshaScheduler(2, 1, 3, Metric.VAL_ACCURACY);
        Map<Integer, TrialView> view = new HashMap<>();
        assertThat(single.next(view)).isEqualTo(Decision.run(0, 0));
        view.put(0, running());
        assertThat(single.next(view)).isEqualTo(Decision.run(1, 0));
        view.put(1, running());
        assertThat(single.next(view)).isEqualTo(WAIT);
        view.put(0, done(0.5));
        view.put(1, done(0.6));
        assertThat(single.next(view)).isEqualTo(DONE);
    }

    @Test
    void promotesTheTopThirdOfARungAndScansTheHighestRungFirst() {
        AshaScheduler asha = new AshaScheduler(9, 3, 3, Metric.VAL_ACCURACY);
        Map<Integer, TrialView> view = new HashMap<>();
        view.put(0, paused(0.50));
        view.put(1, paused(0.90));
        view.put(2, paused(0.70));
        assertThat(asha.next(view)).isEqualTo(Decision.run(1, 1));
        view.put(1, running(0.90));
        assertThat(asha.next(view)).as("nothing else promotable: a new trial").isEqualTo(Decision.run(3, 0));

        for (int t = 3; t < 6; t++) {
            view.put(t, paused(0.60 + t / 100.0));
        }
        view.put(1, paused(0.90, 0.91));
        // Six results on rung 0 promote two: 1 (already) and 2 (0.70 beats 0.63–0.65); rung 1 has one result.
        assertThat(asha.ladder(view).get(1)).containsExactly(1, 2);
        assertThat(asha.next(view)).isEqualTo(Decision.run(2, 1));
        view.put(2, paused(0.70, 0.75));
        view.put(6, paused(0.95));
        view.put(7, paused(0.10));
        view.put(8, paused(0.20));
        // Rung 1 now has 3 results (1, 2, 6 in promotion order: 6 arrives with rung 0's 7th result).
        view.put(6, paused(0.95, 0.99));
        assertThat(asha.ladder(view).get(1)).containsExactly(1, 2, 6);
        assertThat(asha.next(view)).as("rung 2 before anything on rung 1").isEqualTo(Decision.run(6, 2));
    }

    @Test
    void tiesGoToTheLowerValidationLossThenTheLowerTrialIndex() {
        AshaScheduler asha = new AshaScheduler(3, 2, 3, Metric.VAL_ACCURACY);
        Map<Integer, TrialView> view = new HashMap<>();
        view.put(0, new TrialView(List.of(new Score(0, 1, 0.8, 0.5, 1)), false, false));
        view.put(1, new TrialView(List.of(new Score(1, 1, 0.8, 0.4, 1)), false, false));
        view.put(2, new TrialView(List.of(new Score(2, 1, 0.8, 0.4, 1)), false, false));
        assertThat(asha.next(view)).isEqualTo(Decision.run(1, 1));

        AshaScheduler onLoss = new AshaScheduler(3, 2, 3, Metric.VAL_LOSS);
        view.put(0, new TrialView(List.of(new Score(0, 1, 0.9, 0.4, 1)), false, false));
        assertThat(onLoss.next(view)).as("equal loss: higher accuracy").isEqualTo(Decision.run(0, 1));
    }

    @Test
    void aLateResultDelaysPromotionsButNeverChangesThem() {
        AshaScheduler asha = new AshaScheduler(6, 2, 3, Metric.VAL_ACCURACY);
        double[] accuracy = {0.10, 0.90, 0.80, 0.30, 0.20, 0.85};
        Map<Integer, TrialView> view = new HashMap<>();
        view.put(0, running());
        for (int t = 1; t < 6; t++) {
            view.put(t, paused(accuracy[t]));
        }
        // Trial 0 is still running: no prefix of rung 0 is complete, so nothing is promoted yet.
        assertThat(asha.ladder(view).get(1)).isEmpty();
        assertThat(asha.next(view)).isEqualTo(WAIT);
        view.put(0, paused(accuracy[0]));
        List<Integer> inOrder = asha.ladder(view).get(1);
        assertThat(inOrder).containsExactly(1, 5);

        // Every arrival order ends with the same promotions.
        Random random = new Random(3);
        for (int round = 0; round < 50; round++) {
            List<Integer> arrivals = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5));
            Collections.shuffle(arrivals, random);
            Map<Integer, TrialView> partial = new HashMap<>();
            arrivals.forEach(t -> partial.put(t, running()));
            for (int t : arrivals) {
                partial.put(t, paused(accuracy[t]));
                assertThat(inOrder).containsAll(asha.ladder(partial).get(1));
            }
            assertThat(asha.ladder(partial).get(1)).isEqualTo(inOrder);
        }
    }

    @Test
    void failedTrialsRankLastAndTrialsThatStoppedAreNotPromoted() {
        AshaScheduler asha = new AshaScheduler(3, 2, 3, Metric.VAL_ACCURACY);
        Map<Integer, TrialView> view = new HashMap<>();
        view.put(0, new TrialView(List.of(Score.failed(0, 1)), true, false));
        view.put(1, paused(0.2));
        view.put(2, paused(0.1));
        assertThat(asha.next(view)).isEqualTo(Decision.run(1, 1));
        view.put(1, new TrialView(List.of(new Score(1, 1, 0.2, 1, 1)), true, false));
        assertThat(asha.ladder(view).get(1)).as("stopped early at rung 0").isEmpty();
        assertThat(asha.next(view)).isEqualTo(DONE);
    }

    @Test
    void aStartedTrialWhoseWorkerDiedIsResumedBeforeANewOneStarts() {
        AshaScheduler asha = new AshaScheduler(5, 1, 3, Metric.VAL_ACCURACY);
        Map<Integer, TrialView> view = new HashMap<>();
        view.put(0, new TrialView(List.of(), false, false));
        view.put(1, running());
        assertThat(asha.next(view)).isEqualTo(Decision.run(0, 0));
        assertThat(asha.pendingJobs(view)).containsExactly(Decision.run(0, 0));
    }

    @Test
    void anyNumberOfWorkersInAnyTimingTrainsTheSameTrialsToTheSameRungs() {
        for (int seed = 0; seed < 20; seed++) {
            Map<Integer, List<Score>> one = simulate(1, seed);
            assertThat(simulate(3, seed)).as("seed %d, 3 workers", seed).isEqualTo(one);
            assertThat(simulate(7, seed)).as("seed %d, 7 workers", seed).isEqualTo(one);
            assertThat(one).hasSize(27);
            assertThat(one.values().stream().filter(r -> r.size() == 3).count())
                    .as("at least the top 27/9 reach the top rung").isGreaterThanOrEqualTo(3);
        }
    }

    /**
     * Discrete-event run of 27 trials on rungs 1, 3, 9 with {@code workers} workers and random job durations; a
     * trial's score at a rung depends on the trial and the rung only, as with deterministic training.
     */
    private static Map<Integer, List<Score>> simulate(int workers, int seed) {
        AshaScheduler asha = new AshaScheduler(27, 3, 3, Metric.VAL_ACCURACY);
        Random timing = new Random(seed * 31L + workers);
        Map<Integer, TrialView> view = new TreeMap<>();
        record Finish(double time, int trial, int rung) {
        }
        PriorityQueue<Finish> running = new PriorityQueue<>((a, b) -> Double.compare(a.time(), b.time()));
        double now = 0;
        int idle = workers;
        while (true) {
            boolean waiting = false;
            while (idle > 0 && !waiting) {
                Decision d = asha.next(view);
                if (d.kind() == Decision.Kind.RUN) {
                    List<Score> results = view.containsKey(d.trial()) ? view.get(d.trial()).results() : List.of();
                    view.put(d.trial(), new TrialView(results, false, true));
                    running.add(new Finish(now + timing.nextDouble() * (d.rung() + 1), d.trial(), d.rung()));
                    idle--;
                } else {
                    waiting = true;
                }
            }
            if (running.isEmpty()) {
                return results(view);
            }
            Finish f = running.poll();
            now = f.time();
            List<Score> results = new ArrayList<>(view.get(f.trial()).results());
            double accuracy = new Random(f.trial() * 7919L).nextDouble() * 0.5 + 0.1 * f.rung();
            results.add(new Score(f.trial(), 1, accuracy, 1 - accuracy, 1));
            view.put(f.trial(), new TrialView(results, f.rung() == 2, false));
            idle++;
        }
    }

    private static Map<Integer, List<Score>> results(Map<Integer, TrialView> view) {
        Map<Integer, List<Score>> results = new TreeMap<>();
        view.forEach((t, v) -> results.put(t, v.results()));
        return results;
    }

    private static TrialView running(double... accuracies) {
        return new TrialView(scores(accuracies), false, true);
    }

    private static TrialView paused(double... accuracies) {
        return new TrialView(scores(accuracies), false, false);
    }

    private static TrialView done(double accuracy) {
        return new TrialView(scores(accuracy), true, false);
    }

    private static List<Score> scores(double... accuracies) {
        List<Score> scores = new ArrayList<>();
        for (double a : accuracies) {
            scores.add(new Score(-1, 1, a, 1 - a, 1));
        }
        return scores;
    }
}
