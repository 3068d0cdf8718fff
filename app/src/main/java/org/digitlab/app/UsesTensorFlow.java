package org.digitlab.app;

/**
 * Marks a command that runs TensorFlow: {@link DigitLab} prepares TensorFlow's native runtime (quiet logging, CUDA
 * libraries) before it runs, and leaves it untouched for the others, which then start faster.
 */
public interface UsesTensorFlow {
}
