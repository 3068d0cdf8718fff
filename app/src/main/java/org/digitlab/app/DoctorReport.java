package org.digitlab.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Properties;
import org.digitlab.training.runtime.CudaRuntime;
import org.digitlab.training.runtime.Diagnosis;
import org.digitlab.training.runtime.NvidiaDriver;

/** A {@link Diagnosis} as {@code digitlab doctor} prints it: one screen of text, or one JSON object. */
final class DoctorReport {
    private static final String ROW = "%-16s%s%n";
    private final Diagnosis d;
    private final String digitlab;
    private final String tensorflowJava;

    DoctorReport(Diagnosis diagnosis, Properties versions) {
        this.d = diagnosis;
        this.digitlab = versions.getProperty("digitlab.version", "unknown");
        this.tensorflowJava = versions.getProperty("tensorflow.version", "unknown");
    }

    /** The report as aligned text lines, the verdict last. */
    String text() {
        StringBuilder s = new StringBuilder();
        row(s, "DigitLab", digitlab + " (TensorFlow Java " + tensorflowJava + ", TensorFlow " + d.tensorflow() + ")");
        row(s, "Java", d.java() + " on " + d.os());
        row(s, "CPU", (d.cpuModel() == null ? "unknown" : d.cpuModel()) + ", " + d.cpus() + " processors");
        row(s, "", "instruction sets TensorFlow uses: "
                + (d.instructionSets().isEmpty() ? "none listed" : String.join(" ", d.instructionSets())));
        row(s, "Natives", d.natives().gpu()
                ? "gpu (TensorFlow's CUDA build, for CUDA " + d.natives().builtForCuda() + " and cuDNN "
                        + d.natives().builtForCudnn() + ")"
                : d.natives().kind() + " (TensorFlow's CPU build: it uses no GPU)");
        row(s, "NVIDIA driver", driver(d.driver()));
        CudaRuntime.Result cuda = d.cuda();
        if (cuda == null) {
            row(s, "CUDA libraries", "none needed by the CPU natives");
        } else {
            row(s, "CUDA libraries", cuda.bundleVersion() == null ? "no bundle in this build: system copies only"
                    : "bundle " + cuda.bundleVersion() + " (extracted to " + cuda.cacheDir() + "); system copies "
                            + "are used where new enough");
            for (CudaRuntime.Library l : cuda.libraries()) {
                s.append(String.format("  %-40s %-8s %s%s", l.library().soname(),
                        l.source().name().toLowerCase(Locale.ROOT),
                        l.path() == null ? "" : l.path() + (l.version() == null ? "" : " (" + l.version() + ")"),
                        l.error() != null ? "  LOAD FAILED: " + l.error() : l.note() != null ? "  (" + l.note() + ")"
                                : "").stripTrailing()).append(System.lineSeparator());
            }
        }
        row(s, "Devices", String.join(", ", d.devices()));
        row(s, "Verdict", d.verdict());
        return s.toString();
    }

    /** The report as one JSON object (keys in snake_case). */
    String json() throws JsonProcessingException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("digitlab", digitlab);
        root.put("tensorflow", d.tensorflow());
        root.put("tensorflow_java", tensorflowJava);
        root.put("java", d.java());
        root.put("os", d.os());
        ObjectNode cpu = root.putObject("cpu");
        cpu.put("model", d.cpuModel());
        cpu.put("processors", d.cpus());
        d.instructionSets().forEach(cpu.putArray("instruction_sets")::add);
        root.put("natives", d.natives().kind());
        root.put("natives_cuda", d.natives().builtForCuda());
        root.put("natives_cudnn", d.natives().builtForCudnn());
        root.put("driver", d.driver().version());
        root.put("driver_cuda", d.driver().cudaVersion());
        d.driver().gpus().forEach(root.putArray("driver_gpus")::add);
        root.put("driver_error", d.driver().error());
        root.put("cuda_bundle", d.cuda() == null ? null : d.cuda().bundleVersion());
        root.put("cuda_cache", d.cuda() == null || d.cuda().cacheDir() == null ? null
                : d.cuda().cacheDir().toString());
        ArrayNode libraries = root.putArray("cuda_libraries");
        if (d.cuda() != null) {
            for (CudaRuntime.Library l : d.cuda().libraries()) {
                ObjectNode library = libraries.addObject();
                library.put("name", l.library().soname());
                library.put("needed_by", l.library().neededBy());
                library.put("found", l.found());
                library.put("source", l.source().name().toLowerCase(Locale.ROOT));
                library.put("path", l.path() == null ? null : l.path().toString());
                library.put("version", l.version() == null ? null : l.version().toString());
                library.put("loaded", l.loaded());
                library.put("error", l.error());
                library.put("note", l.note());
            }
        }
        d.devices().forEach(root.putArray("devices")::add);
        root.put("gpu_usable", d.gpuUsable());
        root.put("verdict", d.verdict());
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }

    private static String driver(NvidiaDriver driver) {
        if (!driver.present()) {
            return "none";
        }
        return (driver.version() == null ? "version unknown" : driver.version())
                + (driver.cudaVersion() == null ? "" : " (runs CUDA " + driver.cudaVersion() + " and older)")
                + (driver.gpus().isEmpty() ? "" : "; GPUs: " + String.join(", ", driver.gpus()))
                + (driver.error() == null ? "" : "; " + driver.error());
    }

    private static void row(StringBuilder s, String label, String value) {
        s.append(String.format(ROW, label, value));
    }
}
