package org.digitlab.training.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.TensorFlow;
import org.tensorflow.internal.c_api.TF_DeviceList;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.global.tensorflow;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;

/**
 * Makes TensorFlow's native runtime ready before its first use, once per process: its INFO lines hidden unless
 * this class's logger is at DEBUG ({@code --verbose}), and with GPU natives the CUDA libraries loaded
 * ({@link CudaRuntime}). Also switches TensorFlow's op determinism and lists its devices.
 */
public final class TensorFlowRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(TensorFlowRuntime.class);
    /** Abseil's {@code kWarning}: what it logs from; TensorFlow's MLIR passes log INFO lines through Abseil. */
    private static final int ABSL_WARNING = 1;
    private static Setup setup;
    private static List<Path> systemDirs;
    private static NvidiaDriver driver;

    private TensorFlowRuntime() {
    }

    /**
     * What {@link #prepare()} found and did.
     *
     * @param cuda  the CUDA libraries loaded, or null with CPU natives
     * @param quiet whether TensorFlow's INFO lines are hidden
     */
    public record Setup(Natives natives, CudaRuntime.Result cuda, boolean quiet) {
    }

    /**
     * Prepares TensorFlow once per process and returns what it found; later calls return the same. Call it
     * before anything touches TensorFlow: TensorFlow reads {@code TF_CPP_MIN_LOG_LEVEL} when its library loads
     * and looks CUDA libraries up when it first lists devices. Sets {@code TF_CPP_MIN_LOG_LEVEL=1} (INFO hidden)
     * unless the variable is set or this class's logger is at DEBUG.
     */
    public static synchronized Setup prepare() {
        if (setup != null) {
            return setup;
        }
        String level = System.getenv("TF_CPP_MIN_LOG_LEVEL");
        boolean quiet = level == null ? !LOG.isDebugEnabled() && NativeCalls.setenvUnlessSet("TF_CPP_MIN_LOG_LEVEL",
                "1") : !level.isBlank() && !level.trim().equals("0");
        ClassLoader loader = TensorFlowRuntime.class.getClassLoader();
        Natives natives = Natives.detect(loader);
        systemDirs = LibrarySearch.systemDirectories();
        CudaRuntime.Result cuda = natives.gpu() ? CudaRuntime.load(CudaLibrary.TENSORFLOW_2_18, loader, systemDirs,
                CudaRuntime.cacheRoot()) : null;
        if (cuda != null) {
            cuda.problems().forEach(l -> LOG.warn("CUDA library {}: {}", l.library().soname(),
                    l.found() ? l.error() : "missing"));
        }
        String version = TensorFlow.version();
        if (quiet) {
            NativeCalls.callWithInt(NativeCalls.TENSORFLOW_FRAMEWORK, NativeCalls.ABSL_SET_MIN_LOG_LEVEL,
                    ABSL_WARNING);
        }
        LOG.debug("TensorFlow {} with {} natives, INFO lines {}", version, natives.kind(), quiet ? "hidden" : "shown");
        setup = new Setup(natives, cuda, quiet);
        return setup;
    }

    /** The NVIDIA driver, asked once per process, and only by what needs it (CPU runs do not). */
    public static synchronized NvidiaDriver driver() {
        prepare();
        if (driver == null) {
            driver = NvidiaDriver.probe(systemDirs);
        }
        return driver;
    }

    /**
     * Switches TensorFlow's op determinism for the whole process (what Python's
     * {@code tf.config.experimental.enable_op_determinism} does): on GPUs, kernels then pick deterministic
     * algorithms or fail rather than vary. Also on when {@code TF_DETERMINISTIC_OPS} is set to 1 or true.
     *
     * @return whether TensorFlow offered the switch
     */
    public static boolean opDeterminism(boolean on) {
        prepare();
        String env = System.getenv("TF_DETERMINISTIC_OPS");
        boolean enabled = on || "1".equals(env) || "true".equalsIgnoreCase(env);
        boolean switched = NativeCalls.callWithInt(NativeCalls.TENSORFLOW_FRAMEWORK,
                NativeCalls.ENABLE_OP_DETERMINISM, enabled ? 1 : 0);
        if (!switched && on) {
            LOG.warn("TensorFlow offers no op determinism switch here; GPU kernels may not be deterministic");
        }
        return switched;
    }

    /**
     * The devices a new session sees, as {@code /device:CPU:0 (CPU)} or {@code /device:GPU:0 (GPU, 79.1 GiB)};
     * GPU memory is claimed as needed (not all at once) while listing.
     */
    public static List<String> devices() {
        prepare();
        List<String> devices = new ArrayList<>();
        byte[] config = ConfigProto.newBuilder()
                .setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true)).build().toByteArray();
        try (PointerScope scope = new PointerScope()) {
            TF_Status status = TF_Status.newStatus();
            TF_SessionOptions options = TF_SessionOptions.newSessionOptions();
            tensorflow.TF_SetConfig(options, new BytePointer(config), config.length, status);
            status.throwExceptionIfNotOK();
            TF_Session session = TF_Session.newSession(TF_Graph.newGraph(), options, status);
            status.throwExceptionIfNotOK();
            TF_DeviceList list = tensorflow.TF_SessionListDevices(session, status);
            status.throwExceptionIfNotOK();
            try {
                for (int i = 0; i < tensorflow.TF_DeviceListCount(list); i++) {
                    devices.add(describe(tensorflow.TF_DeviceListName(list, i, status).getString(),
                            tensorflow.TF_DeviceListType(list, i, status).getString(),
                            tensorflow.TF_DeviceListMemoryBytes(list, i, status)));
                }
            } finally {
                tensorflow.TF_DeleteDeviceList(list);
            }
        }
        return devices;
    }

    private static String describe(String name, String type, long memoryBytes) {
        String shortName = name.replaceFirst("^/job:[^/]*/replica:\\d+/task:\\d+", "");
        return shortName + " (" + type + (type.equals("CPU") ? "" : String.format(Locale.ROOT, ", %.1f GiB",
                memoryBytes / (double) (1L << 30))) + ")";
    }
}
