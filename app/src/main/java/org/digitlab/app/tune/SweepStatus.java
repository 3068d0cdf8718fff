package org.digitlab.app.tune;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.digitlab.app.tune.AshaScheduler.TrialView;

/**
 * Where a sweep stands, as {@code tune status} prints it: trials done (for now: finished, or stopped at a rung),
 * running (which worker, since when), pending (not started, or waiting for a worker), and the best so far.
 *
 * @param running        trials a worker holds
 * @param pending        trials not started yet or waiting for a worker (a promotion, or a dead worker's job)
 * @param done           the other started trials: finished or stopped at a rung
 * @param finished       nothing is left to do (the summary is written, or about to be)
 * @param best           the best trial so far, or null before the first result
 * @param runningTrials  the running trials' leases
 */
record SweepStatus(String sweep, String search, String metric, int trials, int done, int running, int pending, boolean finished,
                   @JsonInclude(JsonInclude.Include.ALWAYS) Map<String, Object> best,
                   @JsonProperty("running_trials") List<RunningTrial> runningTrials) {

    /**
     * A running trial: its job and its lease's holder.
     *
     * @param lastBeatSecondsAgo by this machine's clock against the holder's, so only roughly (NaN if unknown)
     */
    record RunningTrial(String trial, String job, String worker, String host, String since,
                        @JsonProperty("last_beat_seconds_ago") double lastBeatSecondsAgo) {
    }

    /** Reads the sweep in {@code files}. */
    static SweepStatus of(SweepSpec spec, SweepFiles files) {
        Map<Integer, SweepFiles.TrialFiles> trials = files.read();
        Map<Integer, TrialView> view = SweepFiles.view(trials);
        AshaScheduler scheduler = spec.scheduler();
        int running = (int) view.values().stream().filter(TrialView::running).count();
        int waiting = scheduler.pendingJobs(view).size();
        int pending = waiting + spec.trials() - view.size();
        boolean finished = scheduler.next(view).kind() == AshaScheduler.Decision.Kind.DONE;
        SweepResults.Row chosen = new SweepResults(spec, trials).chosen();
        Map<String, Object> best = null;
        if (chosen != null) {
            best = new LinkedHashMap<>();
            best.put("trial", SweepFiles.name(chosen.result().trial()));
            best.put(spec.metric(), spec.rankBy().of(chosen.result().score()));
            best.put("epochs", chosen.result().epochs());
            best.put("params", chosen.params());
        }
        List<RunningTrial> leases = new ArrayList<>();
        Instant now = Instant.now();
        for (SweepFiles.TrialFiles t : trials.values()) {
            if (t.leased()) {
                Path lease = files.lease(t.trial());
                Holder holder = Lease.holder(lease);
                Instant beat = Lease.lastBeat(lease);
                leases.add(new RunningTrial(SweepFiles.name(t.trial()), holder == null ? "?" : holder.job(),
                        holder == null ? "?" : holder.worker(), holder == null ? "?" : holder.host(),
                        holder == null ? "?" : holder.since(),
                        beat == null ? Double.NaN : Duration.between(beat, now).toMillis() / 1000.0));
            }
        }
        return new SweepStatus(files.dir().toString(), spec.search(), spec.metric(), spec.trials(),
                view.size() - running - waiting, running, pending, finished, best, leases);
    }

    /** One line of counts, as {@code tune} prints its progress. */
    String counts() {
        String line = String.format(Locale.ROOT, "%d/%d done, %d running, %d pending", done, trials, running,
                pending);
        if (best != null) {
            line += String.format(Locale.ROOT, "; best so far %s: %s %.4f after %s epochs", best.get("trial"),
                    metric, (double) best.get(metric), best.get("epochs"));
        }
        return line;
    }

    /** The text {@code tune status} prints. */
    String toText(SweepSpec spec) {
        StringBuilder out = new StringBuilder();
        out.append("sweep ").append(sweep).append(": ").append(spec.describe()).append('\n');
        out.append(counts()).append(finished ? " (finished)" : "").append('\n');
        for (RunningTrial r : runningTrials) {
            out.append(String.format(Locale.ROOT, "  running %s %s on %s (%s) since %s, last beat %s%n", r.trial(),
                    r.job(), r.worker(), r.host(), r.since(), Double.isNaN(r.lastBeatSecondsAgo()) ? "unknown"
                            : String.format(Locale.ROOT, "%.0f s ago", r.lastBeatSecondsAgo())));
        }
        if (best != null) {
            out.append("best so far: ").append(best.get("trial")).append(' ').append(best.get("params")).append('\n');
        }
        return out.toString();
    }
}
