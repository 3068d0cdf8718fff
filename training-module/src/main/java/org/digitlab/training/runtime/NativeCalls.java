package org.digitlab.training.runtime;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The few C functions Java cannot reach otherwise, called through JNA: {@code setenv} (TensorFlow reads
 * {@code TF_CPP_MIN_LOG_LEVEL} from the process environment, which Java cannot change), two TensorFlow 2.18
 * functions that Python calls and the C API does not offer, and the CUDA driver's version and device queries.
 * Each returns whether (or what) it could do, and never throws.
 */
final class NativeCalls {
    /** TensorFlow's framework library, found by its soname once JavaCPP has loaded it. */
    static final String TENSORFLOW_FRAMEWORK = "libtensorflow_framework.so.2";
    /** {@code absl::SetMinLogLevel(absl::LogSeverityAtLeast)} of the Abseil TensorFlow 2.18 is built with. */
    static final String ABSL_SET_MIN_LOG_LEVEL = "_ZN4absl12lts_2023080214SetMinLogLevelENS0_18LogSeverityAtLeastE";
    /** {@code tsl::EnableOpDeterminism(bool)}: what {@code tf.config.experimental.enable_op_determinism} calls. */
    static final String ENABLE_OP_DETERMINISM = "_ZN3tsl19EnableOpDeterminismEb";
    private static final String LIBCUDA = "libcuda.so.1";
    private static final Logger LOG = LoggerFactory.getLogger(NativeCalls.class);

    private NativeCalls() {
    }

    /** What the CUDA driver library says: the CUDA version it supports and the GPUs it sees. */
    record DriverQuery(String cudaVersion, List<String> gpus, String error) {
    }

    /** libc's {@code setenv(name, value, 0)}: sets the variable unless it is set already. */
    static boolean setenvUnlessSet(String name, String value) {
        Function setenv = function("c", "setenv");
        return setenv != null && setenv.invokeInt(new Object[] {name, value, 0}) == 0;
    }

    /** Calls {@code void symbol(int)} of {@code library}; false when the library or the symbol is not there. */
    static boolean callWithInt(String library, String symbol, int argument) {
        Function function = function(library, symbol);
        if (function != null) {
            function.invokeVoid(new Object[] {argument});
        }
        return function != null;
    }

    /**
     * Asks {@code libcuda.so.1} for the CUDA version the driver supports and the names of the GPUs it sees; empty
     * when there is no driver library.
     */
    static Optional<DriverQuery> queryDriver() {
        NativeLibrary cuda = library(LIBCUDA);
        if (cuda == null) {
            return Optional.empty();
        }
        try {
            int[] version = new int[1];
            String cudaVersion = invoke(cuda, "cuDriverGetVersion", (Object) version) == 0
                    ? version[0] / 1000 + "." + version[0] % 1000 / 10 : null;
            int status = invoke(cuda, "cuInit", 0);
            if (status != 0) {
                return Optional.of(new DriverQuery(cudaVersion, List.of(), "cuInit: " + errorName(cuda, status)));
            }
            int[] count = new int[1];
            List<String> gpus = new ArrayList<>();
            if (invoke(cuda, "cuDeviceGetCount", (Object) count) == 0) {
                for (int device = 0; device < count[0]; device++) {
                    byte[] name = new byte[256];
                    if (invoke(cuda, "cuDeviceGetName", name, name.length, device) == 0) {
                        gpus.add(cString(name));
                    }
                }
            }
            return Optional.of(new DriverQuery(cudaVersion, gpus, null));
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return Optional.of(new DriverQuery(null, List.of(), e.getMessage()));
        }
    }

    private static String errorName(NativeLibrary cuda, int status) {
        PointerByReference name = new PointerByReference();
        if (invoke(cuda, "cuGetErrorName", status, name) == 0 && name.getValue() != null) {
            return name.getValue().getString(0) + " (" + status + ")";
        }
        return "error " + status;
    }

    private static Function function(String library, String symbol) {
        NativeLibrary lib = library(library);
        try {
            return lib == null ? null : lib.getFunction(symbol, Function.C_CONVENTION);
        } catch (UnsatisfiedLinkError e) {
            LOG.debug("{} has no {}: {}", library, symbol, e.getMessage());
            return null;
        }
    }

    private static int invoke(NativeLibrary library, String symbol, Object... arguments) {
        return library.getFunction(symbol, Function.C_CONVENTION).invokeInt(arguments);
    }

    private static NativeLibrary library(String name) {
        try {
            return NativeLibrary.getInstance(name);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            LOG.debug("cannot open {}: {}", name, e.getMessage());
            return null;
        }
    }

    private static String cString(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }
}
