package org.digitlab.app.tune;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.digitlab.app.UsesTensorFlow;
import org.digitlab.app.train.DataSplits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code digitlab worker SWEEP}: one more worker for a sweep that {@code digitlab tune} created, on this machine or
 * any other that mounts the directory (a Slurm job-array task, a Kubernetes pod). It works until the sweep is done;
 * the last worker to find it done tests the chosen trial and writes the summary.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Work on a sweep until it is done (see 'digitlab tune').",
            "Any number of workers may run at once, anywhere the sweep directory is",
            "mounted; they claim trials with leases in the directory, and a worker that",
            "dies has its trial taken over and resumed from its last checkpoint.",
            ""})
public final class WorkerCommand implements Callable<Integer>, UsesTensorFlow {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SWEEP", description = "The sweep directory.")
    Path dir;

    @Option(names = "--lease-seconds", paramLabel = "S", defaultValue = "60",
            description = "Others take this worker's trial over after this long without a lease renewal. "
                    + "Default: ${DEFAULT-VALUE}.")
    double leaseSeconds;

    @Override
    public Integer call() {
        SweepFiles files = new SweepFiles(dir);
        SweepSpec sweep = files.readSpec();
        DataSplits splits = DataSplits.load(sweep.base());
        PrintWriter out = spec.commandLine().getOut();
        Worker worker = new Worker(sweep, files, splits, leaseSeconds, out);
        out.printf("worker %s on %s: %s%n", worker.id(), dir, sweep.describe());
        out.flush();
        if (worker.run()) {
            new LocalSweep(sweep, files, splits).print(out);
        } else {
            out.println("sweep done; another worker wrote the summary: " + dir.resolve(SweepFinish.MARKDOWN));
            out.flush();
        }
        return 0;
    }
}
