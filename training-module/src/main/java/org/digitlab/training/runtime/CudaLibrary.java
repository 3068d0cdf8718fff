package org.digitlab.training.runtime;

import java.util.List;

/**
 * One CUDA library that TensorFlow's GPU natives look up by soname, or that one of those needs.
 *
 * @param soname      the name TensorFlow (or the library needing it) asks the dynamic loader for
 * @param family      libraries that must come from the same place: a system copy of a family is used only when
 *                    every member of it is on the system and new enough, so a system cuBLAS never meets a bundled
 *                    cuBLASLt of another version
 * @param minimum     the oldest version that serves TensorFlow's build (CUDA 12.5.1, cuDNN 9.3.0): the same
 *                    soname (major version) and a minor version at least the one TensorFlow was built with
 * @param neededBy    "tensorflow" for the libraries TensorFlow itself opens, else the library that needs it
 */
public record CudaLibrary(String soname, String family, LibraryVersion minimum, String neededBy) {

    /** What {@link #neededBy()} says of the libraries TensorFlow opens itself. */
    public static final String TENSORFLOW = "tensorflow";

    /**
     * The CUDA 12 and cuDNN 9 libraries of TensorFlow 2.18's GPU natives (TensorFlow Java 1.1.0) in an order in
     * which each one's dependencies come before it.
     */
    public static final List<CudaLibrary> TENSORFLOW_2_18 = List.of(
            tf("libcudart.so.12", "cudart", 12, 5),
            tf("libcublasLt.so.12", "cublas", 12, 5),
            tf("libcublas.so.12", "cublas", 12, 5),
            tf("libcufft.so.11", "cufft", 11, 2),
            dependency("libnvJitLink.so.12", "cusparse", 12, 5, "libcusparse.so.12"),
            tf("libcusparse.so.12", "cusparse", 12, 5),
            tf("libcusolver.so.11", "cusparse", 11, 6),
            // cuDNN opens NVRTC for its runtime-compiled engines, and NVRTC opens the builtins of its own version.
            dependency("libnvrtc.so.12", "nvrtc", 12, 5, "libcudnn_engines_runtime_compiled.so.9"),
            dependency("libnvrtc-builtins.so.12.6", "nvrtc", 12, 6, "libnvrtc.so.12"),
            dependency("libcudnn_graph.so.9", "cudnn", 9, 3, "libcudnn.so.9"),
            dependency("libcudnn_ops.so.9", "cudnn", 9, 3, "libcudnn.so.9"),
            dependency("libcudnn_cnn.so.9", "cudnn", 9, 3, "libcudnn.so.9"),
            dependency("libcudnn_adv.so.9", "cudnn", 9, 3, "libcudnn.so.9"),
            dependency("libcudnn_engines_precompiled.so.9", "cudnn", 9, 3, "libcudnn.so.9"),
            dependency("libcudnn_engines_runtime_compiled.so.9", "cudnn", 9, 3, "libcudnn.so.9"),
            dependency("libcudnn_heuristic.so.9", "cudnn", 9, 3, "libcudnn.so.9"),
            tf("libcudnn.so.9", "cudnn", 9, 3));

    /** Whether TensorFlow opens this library itself (rather than another CUDA library needing it). */
    public boolean tensorflowLoads() {
        return TENSORFLOW.equals(neededBy);
    }

    private static CudaLibrary tf(String soname, String family, int major, int minor) {
        return new CudaLibrary(soname, family, LibraryVersion.of(major, minor), TENSORFLOW);
    }

    private static CudaLibrary dependency(String soname, String family, int major, int minor, String neededBy) {
        return new CudaLibrary(soname, family, LibraryVersion.of(major, minor), neededBy);
    }
}
