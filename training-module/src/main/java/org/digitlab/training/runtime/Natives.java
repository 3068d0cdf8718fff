package org.digitlab.training.runtime;

/**
 * Which TensorFlow natives this build carries, read from the classpath (the native jar's resources), and the CUDA
 * and cuDNN versions the GPU natives were built for.
 *
 * @param kind        {@link #CPU}, {@link #GPU} or {@link #NONE}
 * @param builtForCuda the CUDA version of the GPU natives, or null
 * @param builtForCudnn the cuDNN version of the GPU natives, or null
 */
public record Natives(String kind, String builtForCuda, String builtForCudnn) {
    /** TensorFlow's CPU natives ({@code tensorflow-core-native:linux-x86_64}). */
    public static final String CPU = "cpu";
    /** TensorFlow's CUDA natives ({@code tensorflow-core-native:linux-x86_64-gpu}, the Maven profile 'gpu'). */
    public static final String GPU = "gpu";
    /** No TensorFlow natives for this platform on the classpath. */
    public static final String NONE = "none";

    private static final String JNI = "org/tensorflow/internal/c_api/%s/libjnitensorflow.so";

    /** The natives {@code loader} finds; JavaCPP prefers the {@code -gpu} ones when both are there. */
    public static Natives detect(ClassLoader loader) {
        if (loader.getResource(String.format(JNI, "linux-x86_64-gpu")) != null) {
            // TensorFlow 2.18 (TensorFlow Java 1.1.0) is built against CUDA 12.5.1 and cuDNN 9.3.0.
            return new Natives(GPU, "12.5", "9.3");
        }
        return new Natives(loader.getResource(String.format(JNI, "linux-x86_64")) != null ? CPU : NONE,
                null, null);
    }

    /** Whether these are the GPU natives. */
    public boolean gpu() {
        return GPU.equals(kind);
    }
}
