package org.digitlab.app.tune;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.digitlab.app.AppFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code digitlab tune status SWEEP}: trials done, running (where, since when), pending, and the best so far. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Where a sweep stands: trials done, running (which worker, since when), pending, best so far.")
public final class TuneStatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SWEEP", description = "The sweep directory.")
    Path dir;

    @Option(names = "--json", description = "Print JSON (keys done, running, pending, best, running_trials, …).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        SweepFiles files = new SweepFiles(dir);
        SweepSpec sweep = files.readSpec();
        SweepStatus status = SweepStatus.of(sweep, files);
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? AppFiles.JSON.writeValueAsString(status) + "\n" : status.toText(sweep));
        out.flush();
        return 0;
    }
}
