package org.digitlab.app;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.digitlab.training.Device;
import org.digitlab.training.runtime.Diagnosis;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code digitlab doctor}: whether TensorFlow can use a GPU here, and if not, why and what to do. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Say whether TensorFlow can use a GPU on this machine, and if not why: Java, CPU, the "
                + "natives this build carries, the NVIDIA driver, each CUDA library TensorFlow needs (found where, "
                + "or missing), the devices TensorFlow lists, and a verdict.",
            "Exit code 0 when the --device asked for is usable (cpu always is, auto always runs), else 1."})
final class DoctorCommand implements Callable<Integer>, UsesTensorFlow {
    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--device", paramLabel = "cpu|gpu|auto", defaultValue = "auto",
            description = "The device that must be usable for exit code 0. Default: ${DEFAULT-VALUE}.")
    String device;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Device requested = Device.parse(device);
        Diagnosis diagnosis = Diagnosis.collect();
        DoctorReport report = new DoctorReport(diagnosis, DigitLab.versions());
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? report.json() + "\n" : report.text());
        out.flush();
        return requested == Device.GPU && !diagnosis.gpuUsable() ? DigitLab.EXIT_FAILURE : 0;
    }
}
