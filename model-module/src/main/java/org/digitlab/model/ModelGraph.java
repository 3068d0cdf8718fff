package org.digitlab.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * A {@link ModelSpec} turned into TensorFlow graph ops: forward pass, loss, accuracy, variables.
 *
 * <p>Variables are named {@code <type>_<layer index>/<name>} ({@code dense_1/kernel}, {@code
 * batch_norm_2/moving_mean}, head: {@code head/kernel}; inside a residual block {@code residual_3/conv2d_0/kernel}
 * and {@code residual_3/shortcut/kernel}), relative to the scope of the {@link Ops} passed to {@link #build}, so a
 * freshly built graph restores a checkpoint by name. The {@code
 * training} flag switches dropout and batch normalisation as in Keras; both branches are computed and
 * blended arithmetically (no {@code cond}, every op has a gradient). The loss ops ({@link #loss},
 * {@link #dataLoss}, {@link #correct}, ...) add new ops on each call: call them once per labels operand.
 */
public final class ModelGraph {
    /** Mixed into the dropout seed per layer so each layer draws its own mask. */
    private static final long LAYER_SALT = 0x9E3779B97F4A7C15L;
    /** A residual block with id b numbers its layers b · NESTED_IDS + 1, 2, …, clear of the top level's ids. */
    private static final long NESTED_IDS = 1_000_003L;

    private final Ops tf;
    private final ModelSpec spec;
    private final Operand<TFloat32> logits;
    private final Operand<TFloat32> probabilities;
    private final Operand<TInt32> predictions;
    private final Operand<TFloat32> regularization;
    private final Map<String, Variable<TFloat32>> trainable;
    private final Map<String, Variable<TFloat32>> state;
    private final List<Op> updateOps;
    private final List<Op> initializers;
    private final List<Operand<TFloat32>> layerOutputs;

    private ModelGraph(Builder b, Operand<TFloat32> logits) {
        this.tf = b.tf;
        this.layerOutputs = List.copyOf(b.layerOutputs);
        this.spec = b.spec;
        this.logits = logits;
        this.trainable = Collections.unmodifiableMap(b.trainable);
        this.state = Collections.unmodifiableMap(b.state);
        this.updateOps = List.copyOf(b.updateOps);
        this.initializers = List.copyOf(b.initializers);
        this.regularization =
                b.penalties.isEmpty() ? tf.constant(0f) : tf.math.addN(b.penalties);
        if (spec.head().type() == HeadType.BINARY) {
            Operand<TFloat32> p = tf.math.sigmoid(logits);
            probabilities = tf.concat(List.of(tf.math.sub(tf.constant(1f), p), p), tf.constant(1));
            Operand<TFloat32> flat = tf.reshape(logits, tf.constant(new int[] {-1}));
            predictions =
                    tf.dtypes.cast(tf.math.greaterEqual(flat, tf.constant(0f)), TInt32.class);
        } else {
            probabilities = tf.nn.softmax(logits);
            predictions = tf.math.argMax(logits, tf.constant(1), TInt32.class);
        }
    }

    /**
     * Builds the model on {@code images}.
     *
     * @param tf where the ops go; variable names are relative to its scope
     * @param images float32 [N, H, W, C], already normalised
     * @param training true: dropout active, batch-norm on batch statistics
     * @param dropoutSeed int64 [2] seed of the stateless dropout masks, e.g. (run seed, step); a
     *     constant is fine for inference
     * @param initSeed seed of the He/Glorot uniform initial weights; same seed, same weights
     */
    public static ModelGraph build(
            Ops tf,
            ModelSpec spec,
            Operand<TFloat32> images,
            Operand<TBool> training,
            Operand<TInt64> dropoutSeed,
            long initSeed) {
        return new Builder(tf, spec, training, dropoutSeed, initSeed, null).build(images);
    }

    /**
     * Builds another forward pass of {@code shared}'s model on {@code images}, reading the same variables (it
     * creates none and has no initializers): for running several training steps in one session call, each on its
     * own pass.
     *
     * @param tf where the new ops go; a scope of their own keeps their names apart from {@code shared}'s
     */
    public static ModelGraph buildShared(
            Ops tf,
            ModelGraph shared,
            Operand<TFloat32> images,
            Operand<TBool> training,
            Operand<TInt64> dropoutSeed) {
        return new Builder(tf, shared.spec, training, dropoutSeed, 0, shared.checkpointVariables()).build(images);
    }

    /** The spec this graph was built from. */
    public ModelSpec spec() {
        return spec;
    }

    /** [N, K] logits, or [N, 1] for a binary head. */
    public Operand<TFloat32> logits() {
        return logits;
    }

    /** [N, K] class probabilities; a binary head gives [1 - p, p]. */
    public Operand<TFloat32> probabilities() {
        return probabilities;
    }

    /** int32 [N] predicted class: argmax, or p >= 0.5 for a binary head. */
    public Operand<TInt32> predictions() {
        return predictions;
    }

    /**
     * Scalar training objective: mean cross-entropy plus the L2 penalties. Like Keras' {@code loss} and
     * {@code val_loss}, which both include regularisation.
     */
    public Operand<TFloat32> loss(Operand<TInt32> labels) {
        return loss(labels, 0);
    }

    /**
     * {@link #loss(Operand)} against targets smoothed by {@code labelSmoothing} ε, as Keras' cross-entropy losses
     * do: the true class gets 1 − ε + ε/K and every other class ε/K (K = 2 for a binary head).
     */
    public Operand<TFloat32> loss(Operand<TInt32> labels, double labelSmoothing) {
        return tf.math.add(dataLoss(labels, labelSmoothing), regularization);
    }

    /** Scalar mean cross-entropy without regularisation. */
    public Operand<TFloat32> dataLoss(Operand<TInt32> labels) {
        return dataLoss(labels, 0);
    }

    /** Scalar mean cross-entropy against targets smoothed by {@code labelSmoothing}, without regularisation. */
    public Operand<TFloat32> dataLoss(Operand<TInt32> labels, double labelSmoothing) {
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1), got " + labelSmoothing);
        }
        int classes = spec.head().numClasses();
        float off = (float) (labelSmoothing / classes);
        float on = (float) (1 - labelSmoothing) + off;
        if (spec.head().type() == HeadType.BINARY) {
            // max(x, 0) - x z + log(1 + exp(-|x|)): stable, and every op has a gradient.
            Operand<TFloat32> hard =
                    tf.reshape(tf.dtypes.cast(labels, TFloat32.class), tf.constant(new int[] {-1, 1}));
            Operand<TFloat32> z = tf.math.add(tf.math.mul(hard, tf.constant(on - off)), tf.constant(off));
            Operand<TFloat32> perExample =
                    tf.math.add(
                            tf.math.sub(tf.nn.relu(logits), tf.math.mul(logits, z)),
                            tf.math.log1p(tf.math.exp(tf.math.neg(tf.math.abs(logits)))));
            return tf.math.mean(perExample, tf.constant(new int[] {0, 1}));
        }
        // -Σ targets · log_softmax(logits), as PyTorch computes it: the fused SoftmaxCrossEntropyWithLogits kernel
        // refuses op determinism on GPUs (--deterministic), and its sparse twin has no gradient in TF Java.
        Operand<TFloat32> targets =
                tf.oneHot(labels, tf.constant(classes), tf.constant(on), tf.constant(off));
        Operand<TFloat32> perExample = tf.math.neg(
                tf.reduceSum(tf.math.mul(targets, tf.nn.logSoftmax(logits)), tf.constant(1)));
        return tf.math.mean(perExample, tf.constant(0));
    }

    /** Scalar sum of the per-layer {@code l2 * sum(kernel^2)} penalties (0 when none). */
    public Operand<TFloat32> regularization() {
        return regularization;
    }

    /** float32 [N]: 1 where the prediction equals the label, else 0. */
    public Operand<TFloat32> correct(Operand<TInt32> labels) {
        return tf.dtypes.cast(tf.math.equal(predictions, labels), TFloat32.class);
    }

    /** float32 scalar: number of correct predictions in the batch. */
    public Operand<TFloat32> correctCount(Operand<TInt32> labels) {
        return tf.reduceSum(correct(labels), tf.constant(0));
    }

    /** float32 scalar: fraction of correct predictions in the batch. */
    public Operand<TFloat32> accuracy(Operand<TInt32> labels) {
        return tf.math.mean(correct(labels), tf.constant(0));
    }

    /** Output of {@code spec().layers().get(index)}, [N, H, W, C] or [N, F]; for inspection and features. */
    public Operand<TFloat32> layerOutput(int index) {
        return layerOutputs.get(index);
    }

    /** Weights to train, in layer order (kernel, bias; gamma, beta; head last). */
    public List<Variable<TFloat32>> trainableVariables() {
        return List.copyOf(trainable.values());
    }

    /** Batch-norm moving means and variances: part of the model, not trained by gradients. */
    public List<Variable<TFloat32>> stateVariables() {
        return List.copyOf(state.values());
    }

    /** Trainable then state variables keyed by their scope-relative names; what a checkpoint holds. */
    public Map<String, Variable<TFloat32>> checkpointVariables() {
        Map<String, Variable<TFloat32>> all = new LinkedHashMap<>(trainable);
        all.putAll(state);
        return Collections.unmodifiableMap(all);
    }

    /** Batch-norm moving-average updates; run them with every training step. Empty without batch-norm. */
    public List<Op> updateOps() {
        return updateOps;
    }

    /** Ops assigning the seeded initial values to every model variable. */
    public List<Op> initializers() {
        return initializers;
    }

    /** One op running all {@link #initializers()}. */
    public Op initializer() {
        return tf.withControlDependencies(initializers).noOp();
    }

    private static final class Builder {
        final Ops tf;
        final ModelSpec spec;
        final Operand<TFloat32> trainingF;
        final Operand<TFloat32> inferenceF;
        final Operand<TInt64> dropoutSeed;
        final long initSeed;
        final Map<String, Variable<TFloat32>> trainable = new LinkedHashMap<>();
        final Map<String, Variable<TFloat32>> state = new LinkedHashMap<>();
        final List<Operand<TFloat32>> penalties = new ArrayList<>();
        final List<Op> updateOps = new ArrayList<>();
        final List<Op> initializers = new ArrayList<>();
        final List<Operand<TFloat32>> layerOutputs = new ArrayList<>();
        /** Variables of an earlier pass to read instead of creating new ones, by name; null to create them. */
        final Map<String, Variable<TFloat32>> shared;
        int initStream;

        Builder(
                Ops tf, ModelSpec spec, Operand<TBool> training, Operand<TInt64> dropoutSeed, long initSeed,
                Map<String, Variable<TFloat32>> shared) {
            this.shared = shared;
            this.tf = tf;
            this.spec = spec;
            this.trainingF = tf.dtypes.cast(training, TFloat32.class);
            this.inferenceF = tf.math.sub(tf.constant(1f), trainingF);
            this.dropoutSeed = dropoutSeed;
            this.initSeed = initSeed;
        }

        ModelGraph build(Operand<TFloat32> images) {
            List<long[]> shapes = spec.layerShapes();
            Operand<TFloat32> x = images;
            for (int i = 0; i < spec.layers().size(); i++) {
                LayerSpec layer = spec.layers().get(i);
                String name = layer.typeId() + "_" + i;
                x = layer(tf.withSubScope(name), name, layer, i + 1, x, shapes.get(i));
                layerOutputs.add(x);
            }
            long features = shapes.get(shapes.size() - 1)[0];
            Head head = spec.head();
            Operand<TFloat32> logits =
                    dense(tf.withSubScope("head"), "head", x, features, head.logits(), false, head.l2());
            return new ModelGraph(this, logits);
        }

        /**
         * One layer in its own scope {@code ls}; {@code path} prefixes its variables' names and {@code id}, unique
         * per layer, salts its dropout masks.
         */
        private Operand<TFloat32> layer(
                Ops ls, String path, LayerSpec layer, long id, Operand<TFloat32> x, long[] in) {
            if (layer instanceof LayerSpec.Dense d) {
                Operand<TFloat32> y =
                        dense(ls, path, x, in[0], d.units(), d.activation().prefersHeInit(), d.l2());
                return activate(ls, y, d.activation());
            }
            if (layer instanceof LayerSpec.Conv2D c) {
                long cin = in[2];
                long k = c.kernel();
                Operand<TFloat32> kernel =
                        weight(ls, path, "kernel", Shape.of(k, k, cin, c.filters()),
                                k * k * cin, k * k * c.filters(), c.activation().prefersHeInit());
                penalise(ls, kernel, c.l2());
                long s = c.stride();
                Operand<TFloat32> y = ls.nn.conv2d(x, kernel, List.of(1L, s, s, 1L), c.padding().name());
                if (c.bias()) {
                    y = ls.nn.biasAdd(y, ls.identity(constantVariable(ls, path, "bias", c.filters(), 0f, trainable)));
                }
                return activate(ls, y, c.activation());
            }
            if (layer instanceof LayerSpec.MaxPool p) {
                return ls.nn.maxPool(
                        x,
                        ls.constant(new int[] {1, p.pool(), p.pool(), 1}),
                        ls.constant(new int[] {1, p.stride(), p.stride(), 1}),
                        "VALID");
            }
            if (layer instanceof LayerSpec.AvgPool p) {
                long pool = p.pool();
                long stride = p.stride();
                return ls.nn.avgPool(x, List.of(1L, pool, pool, 1L), List.of(1L, stride, stride, 1L), "VALID");
            }
            if (layer instanceof LayerSpec.GlobalAvgPool) {
                return ls.math.mean(x, ls.constant(new int[] {1, 2}));
            }
            if (layer instanceof LayerSpec.Flatten) {
                long size = 1;
                for (long d : in) {
                    size *= d;
                }
                return ls.reshape(x, ls.constant(new long[] {-1, size}));
            }
            if (layer instanceof LayerSpec.Dropout d) {
                return d.rate() == 0 ? x : dropout(ls, x, d.rate(), id);
            }
            if (layer instanceof LayerSpec.BatchNorm b) {
                return batchNorm(ls, path, x, in, b);
            }
            if (layer instanceof LayerSpec.ActivationLayer a) {
                return activate(ls, x, a.activation());
            }
            if (layer instanceof LayerSpec.Residual r) {
                return residual(ls, path, r, id, x, in);
            }
            throw new IllegalStateException("unsupported layer " + layer);
        }

        /** activation(F(x) + shortcut(x)), the shortcut projecting x by a 1×1 convolution and batch norm if needed. */
        private Operand<TFloat32> residual(
                Ops ls, String path, LayerSpec.Residual block, long id, Operand<TFloat32> x, long[] in) {
            List<LayerSpec> layers = block.layers();
            List<long[]> shapes = ModelSpec.shapes("", layers, in);
            Operand<TFloat32> y = x;
            for (int j = 0; j < layers.size(); j++) {
                LayerSpec layer = layers.get(j);
                String name = layer.typeId() + "_" + j;
                long nestedId = id * NESTED_IDS + j + 1;
                y = layer(ls.withSubScope(name), path + "/" + name, layer, nestedId, y, shapes.get(j));
            }
            long[] out = shapes.get(shapes.size() - 1);
            Operand<TFloat32> shortcut = x;
            if (!Arrays.equals(in, out)) {
                Ops ss = ls.withSubScope("shortcut");
                String sp = path + "/shortcut";
                long s = ModelSpec.stride(layers);
                Operand<TFloat32> kernel =
                        weight(ss, sp, "kernel", Shape.of(1, 1, in[2], out[2]), in[2], out[2], true);
                LayerSpec.BatchNorm settings = new LayerSpec.BatchNorm();
                for (LayerSpec layer : layers) {
                    if (layer instanceof LayerSpec.BatchNorm b) {
                        settings = b;
                    }
                }
                shortcut = batchNorm(ss, sp, ss.nn.conv2d(x, kernel, List.of(1L, s, s, 1L), "SAME"), out, settings);
            }
            return activate(ls, ls.math.add(shortcut, y), block.activation());
        }

        private Operand<TFloat32> dense(
                Ops ls, String name, Operand<TFloat32> x, long in, long units, boolean he, double l2) {
            Operand<TFloat32> kernel = weight(ls, name, "kernel", Shape.of(in, units), in, units, he);
            Operand<TFloat32> bias =
                    ls.identity(constantVariable(ls, name, "bias", units, 0f, trainable));
            penalise(ls, kernel, l2);
            return ls.nn.biasAdd(ls.linalg.matMul(x, kernel), bias);
        }

        /** Inverted dropout; the mask is a pure function of (dropoutSeed, layer id). */
        private Operand<TFloat32> dropout(Ops ls, Operand<TFloat32> x, double rate, long id) {
            Operand<TInt64> seed =
                    ls.bitwise.bitwiseXor(dropoutSeed, ls.constant(new long[] {LAYER_SALT * id, 0}));
            Operand<TFloat32> uniform = ls.random.statelessRandomUniform(ls.shape(x), seed);
            Operand<TFloat32> keep =
                    ls.math.mul(
                            ls.dtypes.cast(ls.math.greaterEqual(uniform, ls.constant((float) rate)), TFloat32.class),
                            ls.constant((float) (1 / (1 - rate))));
            // training ? keep : 1
            Operand<TFloat32> mask = ls.math.add(ls.math.mul(trainingF, keep), inferenceF);
            return ls.math.mul(x, mask);
        }

        private Operand<TFloat32> batchNorm(
                Ops ls, String name, Operand<TFloat32> x, long[] in, LayerSpec.BatchNorm b) {
            long channels = in[in.length - 1];
            Operand<TFloat32> gamma =
                    ls.identity(constantVariable(ls, name, "gamma", channels, 1f, trainable));
            Operand<TFloat32> beta =
                    ls.identity(constantVariable(ls, name, "beta", channels, 0f, trainable));
            Variable<TFloat32> movingMean =
                    constantVariable(ls, name, "moving_mean", channels, 0f, state);
            Variable<TFloat32> movingVariance =
                    constantVariable(ls, name, "moving_variance", channels, 1f, state);
            boolean flat = in.length == 1;
            // The fused kernel (FusedBatchNormV3, which has a gradient) wants NHWC input.
            Operand<TFloat32> x4 = flat ? ls.reshape(x, ls.constant(new long[] {-1, 1, 1, channels})) : x;
            Float epsilon = (float) b.epsilon();
            FusedBatchNorm<TFloat32, TFloat32> batchStats =
                    ls.nn.fusedBatchNorm(x4, gamma, beta, ls.identity(movingMean),
                            ls.identity(movingVariance), FusedBatchNorm.epsilon(epsilon),
                            FusedBatchNorm.isTraining(true));
            FusedBatchNorm<TFloat32, TFloat32> movingStats =
                    ls.nn.fusedBatchNorm(x4, gamma, beta, ls.identity(movingMean),
                            ls.identity(movingVariance), FusedBatchNorm.epsilon(epsilon),
                            FusedBatchNorm.isTraining(false));
            // Training never runs in inference mode, so the inference branch needs no gradient: skipping it saves a
            // batch-norm backward pass per layer and step.
            Operand<TFloat32> y =
                    ls.math.add(ls.math.mul(trainingF, batchStats.y()),
                            ls.math.mul(inferenceF, ls.stopGradient(movingStats.y())));
            // moving -= (1 - momentum) * (moving - batch), i.e. Keras' moving average.
            Operand<TFloat32> rate = ls.constant((float) (1 - b.momentum()));
            updateOps.add(ls.assignSub(movingMean,
                    ls.math.mul(ls.math.sub(movingMean, batchStats.batchMean()), rate)));
            updateOps.add(ls.assignSub(movingVariance,
                    ls.math.mul(ls.math.sub(movingVariance, batchStats.batchVariance()), rate)));
            return flat ? ls.reshape(y, ls.constant(new long[] {-1, channels})) : y;
        }

        private Operand<TFloat32> activate(Ops ls, Operand<TFloat32> x, Activation activation) {
            return switch (activation) {
                case LINEAR -> x;
                case RELU -> ls.nn.relu(x);
                case SIGMOID -> ls.math.sigmoid(x);
                case TANH -> ls.math.tanh(x);
                case ELU -> ls.nn.elu(x);
                case GELU -> ls.math.mul(
                        ls.math.mul(ls.constant(0.5f), x),
                        ls.math.add(ls.constant(1f),
                                ls.math.erf(ls.math.mul(x, ls.constant((float) (1 / Math.sqrt(2)))))));
            };
        }

        /**
         * A kernel with seeded uniform init, He (limit sqrt(6 / fanIn)) or Glorot (limit sqrt(6 / (fanIn
         * + fanOut))). Returned as an Identity read, like every variable the forward pass uses: some C++
         * gradients (Square's) crash the JVM when their input is a ref-typed variable.
         */
        private Operand<TFloat32> weight(
                Ops ls, String layer, String name, Shape shape, long fanIn, long fanOut, boolean he) {
            if (shared != null) {
                return ls.identity(reuse(layer + "/" + name, trainable));
            }
            Variable<TFloat32> v = ls.withName(name).variable(shape, TFloat32.class);
            trainable.put(layer + "/" + name, v);
            float limit = (float) Math.sqrt(6.0 / (he ? fanIn : fanIn + fanOut));
            Operand<TFloat32> uniform =
                    ls.random.statelessRandomUniform(
                            ls.constant(shape), ls.constant(new long[] {initSeed, initStream++}));
            Operand<TFloat32> value =
                    ls.math.sub(ls.math.mul(uniform, ls.constant(2 * limit)), ls.constant(limit));
            initializers.add(ls.assign(v, value));
            return ls.identity(v);
        }

        private Variable<TFloat32> constantVariable(
                Ops ls, String layer, String name, long size, float value,
                Map<String, Variable<TFloat32>> into) {
            if (shared != null) {
                return reuse(layer + "/" + name, into);
            }
            Variable<TFloat32> v = ls.withName(name).variable(Shape.of(size), TFloat32.class);
            into.put(layer + "/" + name, v);
            initializers.add(
                    ls.assign(v, ls.fill(ls.constant(new long[] {size}), ls.constant(value))));
            return v;
        }

        /** The shared variable {@code key}, recorded in {@code into} as this pass's own. */
        private Variable<TFloat32> reuse(String key, Map<String, Variable<TFloat32>> into) {
            Variable<TFloat32> v = shared.get(key);
            if (v == null) {
                throw new IllegalStateException("the shared model has no variable " + key);
            }
            into.put(key, v);
            return v;
        }

        private void penalise(Ops ls, Operand<TFloat32> kernel, double l2) {
            if (l2 > 0) {
                Operand<TFloat32> squares = ls.reshape(ls.math.square(kernel), ls.constant(new int[] {-1}));
                penalties.add(
                        ls.math.mul(ls.constant((float) l2), ls.reduceSum(squares, ls.constant(0))));
            }
        }
    }
}
