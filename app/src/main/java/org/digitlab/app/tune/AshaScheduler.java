package org.digitlab.app.tune;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Asynchronous successive halving (ASHA, Li et al. 2018, "A System for Massively Parallel Hyperparameter Tuning")
 * as a pure function from the trials' results to a free worker's next job. Rungs sit at r, r·η, r·η², …, R epochs;
 * a free worker promotes a trial that is in the top 1/η of its rung and not yet promoted (the highest rung first),
 * else starts a new trial while fewer than {@code trials} have started, else waits for the running ones (their
 * results may promote another), else the sweep is done. A trial that is not promoted stops at its rung; a later
 * promotion continues it from its checkpoint. With one rung this is plain grid or random search.
 *
 * <p>Unlike the paper, whose promotions depend on the order in which results happen to arrive, a rung's results
 * are read in a fixed order — trial index on the first rung, promotion order above — and a result counts only once
 * every result before it in that order is in (a complete prefix). A trial is promoted once it is in the top
 * ⌊n/η⌋ of some complete prefix of n results. So the decisions are a function of the metrics alone: a late result
 * delays the promotions after it but never changes them, and any number of workers, in any timing, promotes
 * exactly the trials one worker would. Ties rank by the other validation metric, then the lower trial index.
 */
final class AshaScheduler {
    private final int trials;
    private final int rungs;
    private final int reduction;
    private final Metric metric;

    /** What a free worker does next: train {@code trial} up to rung {@code rung}, wait, or finish the sweep. */
    record Decision(Kind kind, int trial, int rung) {
        /** The three things a worker can do. */
        enum Kind { RUN, WAIT, DONE }

        static Decision run(int trial, int rung) {
            return new Decision(Kind.RUN, trial, rung);
        }
    }

    /**
     * What the scheduler knows of a started trial.
     *
     * @param results its score at each rung it completed, rung 0 first
     * @param stopped its last result is final: it trained all its epochs, stopped early or failed
     * @param running a worker holds its lease
     */
    record TrialView(List<Score> results, boolean stopped, boolean running) {
        /** Copies {@code results}. */
        TrialView {
            results = List.copyOf(results);
        }
    }

    /**
     * @param trials    how many trials the sweep starts in all
     * @param rungs     number of rungs (1: every trial runs to its end)
     * @param reduction η ≥ 2: the top 1/η of a rung is promoted
     */
    AshaScheduler(int trials, int rungs, int reduction, Metric metric) {
        if (trials < 1 || rungs < 1 || reduction < 2) {
            throw new IllegalArgumentException("need trials ≥ 1, rungs ≥ 1 and reduction ≥ 2, got " + trials
                    + ", " + rungs + ", " + reduction);
        }
        this.trials = trials;
        this.rungs = rungs;
        this.reduction = reduction;
        this.metric = metric;
    }

    /**
     * The rungs' epoch counts: {@code min·η^k} for every k with {@code min·η^(k+1) ≤ max}, then {@code max}, so
     * each rung has at least η times the epochs of the one below: 1, 3, 9 for (1, 9, 3), 1, 3, 10 for (1, 10, 3)
     * and 1, 4 for (1, 4, 3).
     */
    static List<Integer> rungEpochs(int min, int max, int reduction) {
        if (min < 1 || max < min || reduction < 2) {
            throw new IllegalArgumentException("need 1 ≤ --min-epochs ≤ --max-epochs and --reduction ≥ 2, got "
                    + min + ", " + max + ", " + reduction);
        }
        List<Integer> epochs = new ArrayList<>();
        for (long e = min; e * reduction <= max; e *= reduction) {
            epochs.add((int) e);
        }
        if (epochs.isEmpty() || epochs.get(epochs.size() - 1) != max) {
            epochs.add(max);
        }
        return List.copyOf(epochs);
    }

    /**
     * Each rung's members in the rung's fixed order: rung 0 holds every trial by index; rung k + 1 the trials
     * promoted from rung k (those whose result there was final excepted), in the order they were promoted.
     */
    List<List<Integer>> ladder(Map<Integer, TrialView> view) {
        List<List<Integer>> ladder = new ArrayList<>();
        List<Integer> members = IntStream.range(0, trials).boxed().toList();
        ladder.add(members);
        for (int k = 0; k + 1 < rungs; k++) {
            int rung = k;
            members = promoted(members, k, view).stream()
                    .filter(t -> !(view.get(t).stopped() && view.get(t).results().size() == rung + 1))
                    .toList();
            ladder.add(members);
        }
        return ladder;
    }

    /** The trials of rung {@code k} that are promoted, in promotion order. */
    private List<Integer> promoted(List<Integer> members, int k, Map<Integer, TrialView> view) {
        Comparator<Integer> better = (a, b) -> {
            Score x = view.get(a).results().get(k);
            Score y = view.get(b).results().get(k);
            int c = metric.compare(x.valAccuracy(), x.valLoss(), y.valAccuracy(), y.valLoss());
            return c != 0 ? c : Integer.compare(a, b);
        };
        List<Integer> ranked = new ArrayList<>();
        List<Integer> promoted = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (int t : members) {
            TrialView v = view.get(t);
            if (v == null || v.results().size() <= k) {
                break;
            }
            int at = Collections.binarySearch(ranked, t, better);
            ranked.add(-at - 1, t);
            for (int j = 0; j < ranked.size() / reduction; j++) {
                if (seen.add(ranked.get(j))) {
                    promoted.add(ranked.get(j));
                }
            }
        }
        return promoted;
    }

    /**
     * The jobs no worker holds, in the order workers take them: promotions from the highest rung down (each
     * rung in its order), then started trials that have no result and no worker (theirs died); each as (trial,
     * rung to reach).
     */
    List<Decision> pendingJobs(Map<Integer, TrialView> view) {
        List<List<Integer>> ladder = ladder(view);
        List<Decision> jobs = new ArrayList<>();
        for (int k = rungs - 1; k >= 0; k--) {
            for (int t : ladder.get(k)) {
                TrialView v = view.get(t);
                if (v != null && v.results().size() == k && !v.running()) {
                    jobs.add(Decision.run(t, k));
                }
            }
        }
        return jobs;
    }

    /** What a free worker does next (see the class comment). */
    Decision next(Map<Integer, TrialView> view) {
        List<Decision> pending = pendingJobs(view);
        if (!pending.isEmpty()) {
            return pending.get(0);
        }
        for (int t = 0; t < trials; t++) {
            if (!view.containsKey(t)) {
                return Decision.run(t, 0);
            }
        }
        boolean running = view.values().stream().anyMatch(TrialView::running);
        return new Decision(running ? Decision.Kind.WAIT : Decision.Kind.DONE, -1, -1);
    }
}
