package org.digitlab.app.tune;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.digitlab.app.train.DataSplits;
import org.digitlab.app.train.TrainingRun;

/**
 * A sweep as the process that created it sees it: its spec, its directory and the loaded data; runs workers in
 * this process and prints the summary. Shared by {@code tune} and {@code grid}.
 */
record LocalSweep(SweepSpec spec, SweepFiles files, DataSplits data) {

    /**
     * Validates {@code spec} (every trial's experiment and model against the data), then writes {@code sweep.json}
     * into {@code dir} or checks that it holds this same sweep, and prints one line about it.
     */
    static LocalSweep create(SweepSpec spec, Path dir, PrintWriter out) {
        spec.validateTrials();
        DataSplits splits = DataSplits.load(spec.base());
        if (splits.validation() == null) {
            throw new IllegalArgumentException("a sweep selects on validation data: preset " + spec.base().preset()
                    + " has val_fraction 0; give --val-fraction, e.g. 0.1");
        }
        for (int t = 0; t < spec.trials(); t++) {
            TrainingRun.model(spec.config(t), splits.train());
        }
        SweepFiles files = new SweepFiles(dir);
        // Written once the data loaded, so a typo in a data flag leaves no sweep behind to conflict with.
        files.create(spec);
        out.printf(Locale.ROOT, "sweep %s: %s on %s (%d train, %d validation samples)%n", dir, spec.describe(),
                splits.name(), splits.train().size(), splits.validation().size());
        out.flush();
        return new LocalSweep(spec, files, splits);
    }

    /** Runs {@code threads} workers in this process until the sweep is done and its summary written. */
    void run(int threads, double leaseSeconds, PrintWriter out) {
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            workers.add(new Worker(spec, files, data, leaseSeconds, out));
        }
        if (threads == 1) {
            workers.get(0).run();
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Boolean>> done = new ArrayList<>();
            workers.forEach(w -> done.add(pool.submit(w::run)));
            for (Future<Boolean> f : done) {
                f.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("sweep interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Prints the summary table and the chosen trial. */
    void print(PrintWriter out) {
        try {
            out.println();
            out.print(Files.readString(files.dir().resolve(SweepFinish.MARKDOWN)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the summary: " + e.getMessage(), e);
        }
        SweepResults results = new SweepResults(spec, files.read());
        SweepResults.Row chosen = results.chosen();
        if (chosen == null) {
            out.println("every trial failed: nothing chosen, nothing tested");
        } else {
            double test = new SweepFinish(spec, files).savedTestAccuracy(results);
            out.printf(Locale.ROOT, "%nchosen on %s: trial %s %s (%s %.4f after %d epochs; test accuracy %.4f on"
                            + " %d samples, %s)%n", spec.metric().replace('_', ' '),
                    SweepFiles.name(chosen.result().trial()), chosen.params(), spec.metric(),
                    spec.rankBy().of(chosen.result().score()), chosen.result().epochs(), test, data.test().size(),
                    data.testSource());
        }
        out.printf("written to %s (summary.csv, summary.md, summary.png, sweep.json, trials/, test/)%n", files.dir());
        out.flush();
    }
}
