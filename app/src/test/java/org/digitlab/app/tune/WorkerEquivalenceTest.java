package org.digitlab.app.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.digitlab.app.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guarantee, with real processes: a deterministic ASHA sweep run by three {@code digitlab worker}
 * processes, one of them killed with SIGKILL in the middle of a job, trains the same trials to the same rungs with
 * the same metrics and chooses the same trial as one worker alone.
 */
class WorkerEquivalenceTest {
    @TempDir
    Path tmp;

    @Test
    void threeWorkerProcessesWithOneKilledMidTrialGiveWhatOneWorkerGives() throws Exception {
        Path alone = tmp.resolve("alone");
        CliRun one = CliRun.of(args(alone, "1"));
        assertThat(one.exitCode()).as(one.err()).isZero();

        Path shared = tmp.resolve("shared");
        CliRun created = CliRun.of(args(shared, "0"));
        assertThat(created.exitCode()).as(created.err()).isZero();
        SweepFiles files = new SweepFiles(shared);
        WorkerProcesses workers = WorkerProcesses.start(shared, 3, null, 3);
        Holder killed = killMidJob(workers.processes(), files);
        StringWriter progress = new StringWriter();
        assertThat(workers.await(files.readSpec(), files, new PrintWriter(progress))).as(progress.toString())
                .isEqualTo(1);

        assertThat(results(files)).isEqualTo(results(new SweepFiles(alone))).hasSize(6);
        for (int t = 0; t < 6; t++) {
            assertThat(files.trialDir(t).resolve("config.json"))
                    .hasSameTextualContentAs(new SweepFiles(alone).trialDir(t).resolve("config.json"));
        }
        assertThat(column(shared, "chosen")).isEqualTo(column(alone, "chosen"));
        assertThat(column(shared, "trial")).isEqualTo(column(alone, "trial"));
        assertThat(column(shared, "test_accuracy")).isEqualTo(column(alone, "test_accuracy"));
        // The killed worker's job was finished by another worker, from the trial's checkpoint.
        int trial = Integer.parseInt(killed.job().substring(0, 4));
        RungResult finished = files.read().get(trial).results().get(killed.rung());
        assertThat(finished.worker()).isNotEqualTo(killed.worker());
        StringBuilder logs = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            logs.append(Files.readString(shared.resolve("logs/worker-" + i + ".log")));
        }
        assertThat(logs).contains("trial " + SweepFiles.name(trial) + ": its worker stopped renewing its lease");
    }

    /**
     * Freezes (SIGSTOP) the first worker found holding a trial's lease, and kills it (SIGKILL) if that job's result
     * is not written; if it froze between jobs, lets it go on and tries again. Returns the killed job's holder, with
     * the trial's id in front of its job.
     */
    private static Holder killMidJob(List<Process> workers, SweepFiles files) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (int t = 0; t < 6; t++) {
                Holder h = Lease.holder(files.lease(t));
                Process victim = h == null ? null
                        : workers.stream().filter(p -> p.pid() == h.pid()).findFirst().orElse(null);
                if (victim == null) {
                    continue;
                }
                signal("STOP", victim);
                Holder still = Lease.holder(files.lease(t));
                if (still != null && still.pid() == victim.pid()
                        && !Files.exists(files.trialDir(t).resolve("rung-" + still.rung() + ".json"))) {
                    victim.destroyForcibly().waitFor();
                    return new Holder(still.worker(), still.host(), still.pid(), SweepFiles.name(t) + " "
                            + still.job(), still.rung(), still.since(), still.leaseSeconds());
                }
                signal("CONT", victim);
            }
            if (workers.stream().noneMatch(Process::isAlive)) {
                fail("the workers ended before one could be killed mid-job");
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no worker ever held a lease");
    }

    private static void signal(String signal, Process process) throws IOException, InterruptedException {
        int code = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start().waitFor();
        assertThat(code).as("kill -%s", signal).isZero();
    }

    /** Every trial's rung results without the parts that depend on timing or on the worker. */
    private static Map<Integer, List<String>> results(SweepFiles files) {
        Map<Integer, List<String>> results = new TreeMap<>();
        files.read().forEach((t, trial) -> results.put(t, trial.results().stream()
                .map(r -> r.rung() + "/" + r.epochs() + "/" + r.valAccuracy() + "/" + r.valLoss() + "/"
                        + r.bestEpoch() + "/" + r.last() + "/" + r.status())
                .toList()));
        return results;
    }

    private static List<String> column(Path sweep, String name) throws IOException {
        List<String> lines = Files.readAllLines(sweep.resolve("summary.csv"));
        int index = List.of(lines.get(0).split(",")).indexOf(name);
        return lines.stream().skip(1).map(line -> line.split(",", -1)[index]).toList();
    }

    private static String[] args(Path dir, String workers) {
        return new String[] {"tune", "--search", "asha", "--preset", "mnist-mlp", "--dataset", "mnist-sample",
            "--limit", "600", "--trials", "6", "--max-epochs", "3", "--min-epochs", "1", "--reduction", "3",
            "--lr", "1e-3..3e-2:log", "--seed", "5", "--deterministic", "--device", "cpu", "--workers", workers,
            "--dir", dir.toString()};
    }
}
