package org.digitlab.training;

import org.digitlab.training.runtime.Diagnosis;
import org.digitlab.training.runtime.TensorFlowRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;
import org.tensorflow.types.TFloat32;

/** The device a run uses, resolved once from the requested {@link Device}, and the matching session config. */
record DevicePlan(boolean gpu, String name) {

    static final DeviceSpec GPU_0 = DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.GPU).deviceIndex(0).build();
    private static final Logger LOG = LoggerFactory.getLogger(DevicePlan.class);

    /**
     * Resolves {@code requested}: GPU must be usable (else {@link IllegalStateException}), AUTO takes the GPU when
     * TensorFlow can run an op on it and says why not otherwise. Prepares TensorFlow's runtime first.
     */
    static DevicePlan resolve(Device requested) {
        TensorFlowRuntime.prepare();
        if (requested == Device.CPU) {
            return new DevicePlan(false, "CPU");
        }
        String problem = GpuProbe.PROBLEM;
        if (problem == null) {
            return new DevicePlan(true, "GPU:0");
        }
        if (requested == Device.GPU) {
            throw new IllegalStateException("GPU requested but TensorFlow sees no GPU: " + problem
                    + " (run 'digitlab doctor' to see why; use --device cpu or auto)");
        }
        LOG.info("no usable GPU, running on the CPU: {}", problem);
        return new DevicePlan(false, "CPU");
    }

    /**
     * The session config: GPU memory growth, one thread per pool when deterministic, GPUs hidden on CPU runs, and on
     * the CPU for {@link Precision#MIXED_BFLOAT16} TensorFlow's oneDNN bfloat16 rewrite of the graph (it keeps
     * variables, casts and numerically sensitive ops in float32).
     */
    ConfigProto sessionConfig(boolean deterministic, Precision precision) {
        ConfigProto.Builder config = ConfigProto.newBuilder();
        if (deterministic) {
            config.setIntraOpParallelismThreads(1).setInterOpParallelismThreads(1);
        }
        if (gpu) {
            // Soft placement only for the few ops without GPU kernels; the dataset and gather are pinned to GPU:0.
            config.setAllowSoftPlacement(true).setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true));
        } else {
            config.putDeviceCount("GPU", 0);
            if (precision == Precision.MIXED_BFLOAT16) {
                config.setGraphOptions(GraphOptions.newBuilder().setRewriteOptions(RewriterConfig.newBuilder()
                        .setAutoMixedPrecisionOnednnBfloat16(RewriterConfig.Toggle.ON)));
            }
        }
        return config.build();
    }

    /** Probes the GPU once per JVM, on first use: the set of devices TensorFlow sees does not change. */
    private static final class GpuProbe {
        static final String PROBLEM = gpuProblem();
    }

    /** Null when a float op runs on /GPU:0 with soft placement off, else why it does not. */
    private static String gpuProblem() {
        TensorFlowRuntime.Setup setup = TensorFlowRuntime.prepare();
        String problem = Diagnosis.setupProblem(setup.natives(), TensorFlowRuntime.driver(), setup.cuda());
        if (problem != null) {
            return problem;
        }
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g).withDevice(GPU_0);
            Operand<TFloat32> one = tf.constant(1f);
            Operand<TFloat32> two = tf.math.add(one, one);
            ConfigProto strict = ConfigProto.newBuilder().setAllowSoftPlacement(false)
                    .setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true)).build();
            try (Session s = new Session(g, strict)) {
                s.runner().fetch(two).run().close();
                return null;
            }
        } catch (RuntimeException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            int newline = message.indexOf('\n');
            return newline > 0 ? message.substring(0, newline) : message;
        }
    }
}
