/**
 * TensorFlow's native runtime, made ready before its first use: which natives this build carries
 * ({@link org.digitlab.training.runtime.Natives}), the CUDA libraries its GPU natives need, taken from the system
 * or from the bundle on the classpath and loaded in order ({@link org.digitlab.training.runtime.CudaRuntime}),
 * quiet native logging and op determinism ({@link org.digitlab.training.runtime.TensorFlowRuntime}), and the
 * diagnosis behind {@code digitlab doctor} ({@link org.digitlab.training.runtime.Diagnosis}).
 */
package org.digitlab.training.runtime;
