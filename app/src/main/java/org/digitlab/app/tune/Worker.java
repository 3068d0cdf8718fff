package org.digitlab.app.tune;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.digitlab.app.train.DataSplits;
import org.digitlab.app.tune.AshaScheduler.Decision;
import org.digitlab.app.tune.AshaScheduler.TrialView;

/**
 * One worker of a sweep: reads the sweep directory, asks the scheduler what to do, takes that job's lease, trains,
 * writes the result, and again, until the sweep is done; then, if no other worker has, tests the chosen trial and
 * writes the summary. Workers are interchangeable and share nothing but the directory, so any number can run, in
 * threads, processes or on other machines, and join or die at any time: a dead worker's lease stops beating and
 * another worker takes its job over, resuming from the trial's last checkpoint.
 */
final class Worker {
    private static final AtomicInteger NEXT = new AtomicInteger();

    private final SweepSpec spec;
    private final SweepFiles files;
    private final DataSplits data;
    private final double leaseSeconds;
    private final PrintWriter out;
    private final String id;
    private final AshaScheduler scheduler;
    private final LeaseWatch watch = new LeaseWatch(System::nanoTime);
    /** The lease of the job in hand, let go when the JVM is asked to stop (Ctrl-C, scancel, pod eviction). */
    private volatile Lease current;

    /**
     * @param leaseSeconds how long this worker's leases last without a beat before others take them over
     * @param out          one line per job and event
     */
    Worker(SweepSpec spec, SweepFiles files, DataSplits data, double leaseSeconds, PrintWriter out) {
        if (!(leaseSeconds > 0)) {
            throw new IllegalArgumentException("--lease-seconds must be > 0, got " + leaseSeconds);
        }
        this.spec = spec;
        this.files = files;
        this.data = data;
        this.leaseSeconds = leaseSeconds;
        this.out = out;
        this.id = host() + "-" + ProcessHandle.current().pid() + "-" + NEXT.getAndIncrement();
        this.scheduler = spec.scheduler();
    }

    /** This worker's id: {@code host-pid-n}. */
    String id() {
        return id;
    }

    /** Works until the sweep is done and its summary written; returns whether this worker wrote the summary. */
    boolean run() {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lease-" + id);
            t.setDaemon(true);
            return t;
        });
        // On SIGTERM/SIGINT the job's lease is let go at once, so another worker (or a rerun) need not wait for
        // it to expire; the training thread then stops at its next step. SIGKILL leaves it to expire.
        Thread release = new Thread(() -> {
            Lease held = current;
            if (held != null) {
                held.close();
            }
        }, "release-" + id);
        Runtime.getRuntime().addShutdownHook(release);
        try {
            while (true) {
                Map<Integer, SweepFiles.TrialFiles> trials = files.read();
                if (breakExpiredLeases(trials)) {
                    continue;
                }
                Decision next = scheduler.next(SweepFiles.view(trials));
                switch (next.kind()) {
                    case RUN -> runJob(next, timer);
                    case WAIT -> pause();
                    case DONE -> {
                        Boolean wrote = finish(trials, timer);
                        if (wrote != null) {
                            return wrote;
                        }
                    }
                    default -> throw new IllegalStateException("unknown decision " + next);
                }
            }
        } finally {
            timer.shutdownNow();
            try {
                Runtime.getRuntime().removeShutdownHook(release);
            } catch (IllegalStateException e) {
                // Already shutting down: the hook runs (or ran).
            }
        }
    }

    private void runJob(Decision job, ScheduledExecutorService timer) {
        int epochs = spec.epochsAt(job.trial(), job.rung());
        String count = epochs + (epochs == 1 ? " epoch" : " epochs");
        String what = spec.rungEpochs().isEmpty() ? count : "rung " + job.rung() + " (" + count + ")";
        Lease lease = Lease.tryAcquire(files.lease(job.trial()), holder(what, job.rung()), timer);
        if (lease == null) {
            return;
        }
        current = lease;
        try (lease) {
            // Decide again with the lease held: another worker may have finished this job since we looked.
            Map<Integer, TrialView> view = new TreeMap<>(SweepFiles.view(files.read()));
            TrialView mine = view.get(job.trial());
            view.put(job.trial(), new TrialView(mine.results(), mine.stopped(), false));
            if (!scheduler.pendingJobs(view).contains(job)) {
                return;
            }
            long start = System.nanoTime();
            RungResult r = new TrialJob(spec, files, data).run(job.trial(), job.rung(), lease, id);
            report(r, what, (System.nanoTime() - start) / 1e9);
        } catch (Lease.Lost e) {
            print(String.format(Locale.ROOT, "trial %s: abandoned, %s", SweepFiles.name(job.trial()),
                    e.getMessage()));
        } finally {
            current = null;
        }
    }

    private void report(RungResult r, String what, double seconds) {
        int before = r.rung() == 0 ? 0 : spec.epochsAt(r.trial(), r.rung() - 1);
        // Continued: promoted from its last rung; resumed: an interrupted job (its worker died) carried on.
        String how = r.resumedAfterEpoch() == 0 ? "trained"
                : r.resumedAfterEpoch() == before ? "continued after epoch " + before
                : "resumed after epoch " + r.resumedAfterEpoch();
        String outcome = r.failed() ? r.status() : String.format(Locale.ROOT,
                "val_accuracy %.4f, val_loss %.4f (best epoch %d)", r.valAccuracy(), r.valLoss(), r.bestEpoch());
        print(String.format(Locale.ROOT, "trial %s %s: %s, %s in %.1f s", SweepFiles.name(r.trial()), what, how,
                outcome, seconds));
    }

    /** Takes over every lease that has not beaten for a whole lease; returns whether it took any. */
    private boolean breakExpiredLeases(Map<Integer, SweepFiles.TrialFiles> trials) {
        boolean broke = false;
        for (SweepFiles.TrialFiles t : trials.values()) {
            if (t.leased() && breakIfExpired(files.lease(t.trial()))) {
                print(String.format(Locale.ROOT, "trial %s: its worker stopped renewing its lease; taking it over",
                        SweepFiles.name(t.trial())));
                broke = true;
            }
        }
        return broke;
    }

    private boolean breakIfExpired(Path lease) {
        String state = Lease.state(lease);
        Holder holder = Lease.holder(lease);
        if (watch.expired(lease, state, holder != null ? holder.leaseSeconds() : leaseSeconds)
                && Lease.breakExpired(lease, state)) {
            watch.forget(lease);
            return true;
        }
        return false;
    }

    /**
     * With the sweep done: writes the summary under the finish lease unless it is written already. Returns
     * whether this worker wrote it, or null to be called again (another worker is writing it).
     */
    private Boolean finish(Map<Integer, SweepFiles.TrialFiles> trials, ScheduledExecutorService timer) {
        SweepResults results = new SweepResults(spec, trials);
        SweepFinish finish = new SweepFinish(spec, files);
        if (finish.written(results)) {
            return false;
        }
        Path leaseDir = files.dir().resolve(SweepFiles.FINISH_LEASE);
        Lease lease = Lease.tryAcquire(leaseDir, holder("summary", -1), timer);
        if (lease == null) {
            if (!breakIfExpired(leaseDir)) {
                pause();
            }
            return null;
        }
        try (lease) {
            if (finish.written(results)) {
                return false;
            }
            finish.write(results, data);
            print("sweep finished: summary written to " + files.dir().resolve(SweepFinish.MARKDOWN));
            return true;
        }
    }

    private Holder holder(String job, int rung) {
        return new Holder(id, host(), ProcessHandle.current().pid(), job, rung, Instant.now().toString(),
                leaseSeconds);
    }

    /** Polls at a tenth of a lease, between 0.2 and 2 seconds. */
    private void pause() {
        try {
            Thread.sleep(Math.round(1000 * Math.max(0.2, Math.min(2, leaseSeconds / 10))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("worker " + id + " interrupted", e);
        }
    }

    private void print(String line) {
        synchronized (out) {
            out.println("[" + id + "] " + line);
            out.flush();
        }
    }

    /** This machine's name, for worker ids and {@code tune status}. */
    static String host() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
