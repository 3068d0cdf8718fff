package org.digitlab.training.runtime;

import java.util.List;
import java.util.stream.Collectors;
import org.tensorflow.TensorFlow;

/**
 * Why the GPU is or is not used, as {@code digitlab doctor} prints it: the machine, the natives this build
 * carries, the NVIDIA driver, each CUDA library TensorFlow needs and where it came from, the devices TensorFlow
 * lists, and a verdict.
 *
 * @param java             Java's version and vendor
 * @param os               the operating system's name, version and architecture
 * @param cpuModel         the CPU's model name, or null when {@code /proc/cpuinfo} does not say
 * @param cpus             the processors Java may use
 * @param instructionSets  the instruction sets TensorFlow's kernels use that the CPU has
 * @param tensorflow       TensorFlow's version (the native library's)
 * @param natives          which natives this build carries
 * @param driver           the NVIDIA driver
 * @param cuda             the CUDA libraries loaded, or null with CPU natives (nothing to load)
 * @param devices          the devices TensorFlow lists ({@code /device:CPU:0 (CPU)})
 * @param gpuUsable        whether TensorFlow can run on a GPU
 * @param verdict          one sentence: GPU usable or not, and the one thing to do about it
 */
public record Diagnosis(String java, String os, String cpuModel, int cpus, List<String> instructionSets,
                        String tensorflow, Natives natives, NvidiaDriver driver, CudaRuntime.Result cuda,
                        List<String> devices, boolean gpuUsable, String verdict) {

    /** Copies the lists. */
    public Diagnosis {
        instructionSets = List.copyOf(instructionSets);
        devices = List.copyOf(devices);
    }

    /** Looks at this machine and this process's TensorFlow (preparing it first, so CUDA libraries load). */
    public static Diagnosis collect() {
        TensorFlowRuntime.Setup setup = TensorFlowRuntime.prepare();
        String cpuinfo = ProcFiles.cpuinfo();
        List<String> devices = TensorFlowRuntime.devices();
        NvidiaDriver driver = TensorFlowRuntime.driver();
        String verdict = verdict(setup.natives(), driver, setup.cuda(), devices);
        return new Diagnosis(System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                ProcFiles.cpuModel(cpuinfo).orElse(null), Runtime.getRuntime().availableProcessors(),
                ProcFiles.tensorflowInstructionSets(cpuinfo), TensorFlow.version(), setup.natives(),
                driver, setup.cuda(), devices, gpuListed(devices), verdict);
    }

    /**
     * What stands between this build and a GPU before TensorFlow is even asked, or null when nothing does: no
     * natives, no driver, a driver too old for CUDA 12, CPU natives, or a CUDA library missing or failing to load.
     */
    public static String setupProblem(Natives natives, NvidiaDriver driver, CudaRuntime.Result cuda) {
        if (Natives.NONE.equals(natives.kind())) {
            return "TensorFlow's natives for linux-x86_64 are not on the classpath";
        }
        if (!driver.present()) {
            return "no NVIDIA driver on this machine (no /proc/driver/nvidia/version, no libcuda.so.1): "
                    + "install the NVIDIA driver, or train on the CPU";
        }
        if (!natives.gpu()) {
            return "this build carries TensorFlow's CPU natives: build it with the Maven profile 'gpu' "
                    + "(mvn -B package -DskipTests -Pgpu)";
        }
        if (driver.cudaVersion() != null && LibraryVersion.parse(driver.cudaVersion())
                .map(v -> !v.atLeast(LibraryVersion.of(12))).orElse(false)) {
            return "NVIDIA driver " + driver.version() + " runs CUDA " + driver.cudaVersion()
                    + " at most, and TensorFlow's natives need CUDA 12: update the driver (525.60 or newer)";
        }
        if (driver.error() != null) {
            return "NVIDIA driver " + driver.version() + " sees no usable GPU (" + driver.error() + ")";
        }
        List<CudaRuntime.Library> problems = cuda == null ? List.of() : cuda.problems();
        if (!problems.isEmpty()) {
            return problems.stream().map(l -> l.library().soname() + (l.found() ? " failed to load: " + l.error()
                    : " is missing")).collect(Collectors.joining("; "))
                    + ": build with the Maven profile 'gpu', which bundles CUDA 12 and cuDNN 9";
        }
        return null;
    }

    /** The verdict line: GPU usable or not, and the one thing to do. */
    public static String verdict(Natives natives, NvidiaDriver driver, CudaRuntime.Result cuda,
                                 List<String> devices) {
        if (gpuListed(devices)) {
            String gpu = devices.stream().filter(d -> d.contains(":GPU:")).findFirst().orElseThrow();
            return "GPU usable: TensorFlow lists " + gpu + "; train with --device gpu (or auto)";
        }
        String problem = setupProblem(natives, driver, cuda);
        if (problem != null) {
            return "GPU not usable: " + problem;
        }
        return "GPU not usable: TensorFlow lists no GPU although the driver and every CUDA library are there; "
                + "run 'digitlab doctor --verbose' to see TensorFlow's own messages";
    }

    private static boolean gpuListed(List<String> devices) {
        return devices.stream().anyMatch(d -> d.contains(":GPU:"));
    }
}
