package org.digitlab.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.digitlab.data.CannotWriteException;
import org.digitlab.data.Dataset;
import org.digitlab.data.ImageShape;
import org.digitlab.data.InvalidDataException;
import org.digitlab.data.Normalization;
import org.digitlab.model.ModelGraph;
import org.digitlab.model.ModelSpec;
import org.digitlab.model.VariableCheckpoint;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TType;

/**
 * The whole training graph and its session: the dataset held in variables (loaded once), a step that gathers a
 * batch by fed indices, augments and normalises it in-graph, runs the model and applies the optimizer — one
 * {@code Session.run} per step. All randomness comes from a fed [2] int64 seed, so a step is a pure function of
 * (weights, seed, step).
 */
final class TrainingGraph implements AutoCloseable {

    private final Graph graph;
    private final Session session;
    private final ImageShape shape;
    private final boolean bytePixels;
    private final long seed;
    private final Placeholder<? extends TType> imagesFeed;
    private final Placeholder<TInt64> labelsFeed;
    private final Op load;
    private final Placeholder<TInt32> indices;
    private final Placeholder<TBool> training;
    private final Placeholder<TInt64> randomSeed;
    private final Placeholder<TFloat32> learningRate;
    private final ModelGraph model;
    private final Op trainStep;
    private final Operand<TFloat32> loss;
    private final Operand<TFloat32> correct;
    private final Op saveBest;
    private final Op restoreBest;
    private final VariableCheckpoint checkpoint;
    private final int numOutputs;
    /** Training steps one session call runs ({@link TrainingConfig#stepsPerCall()}), and their feeds and ops. */
    private final int stepsPerCall;
    private final Placeholder<TInt32> chunkIndices;
    private final Placeholder<TInt64> chunkSeeds;
    private final Placeholder<TFloat32> chunkRates;
    private final Op chunkTrain;
    private final Operand<TFloat32> chunkLoss;
    private final Operand<TFloat32> chunkCorrect;

    // Feeds reused by every step, which only rewrites their values (and the caller's index tensor).
    private final TBool trainingTrue;
    private final TBool trainingFalse;
    private final TInt64 seedTensor;
    private final TFloat32 rateTensor;
    private List<Dataset> loaded = List.of();
    private int[] loadedOffsets = new int[0];

    /**
     * @param shape      the model's input shape
     * @param bytePixels store pixels as uint8 (4× smaller) rather than float32
     * @param device     where the dataset and the gather go, and the session config
     */
    TrainingGraph(ModelSpec spec, Normalization normalization, TrainingConfig config, ImageShape shape,
                  boolean bytePixels, DevicePlan device) {
        this.shape = shape;
        this.bytePixels = bytePixels;
        this.seed = config.seed();
        this.graph = new Graph();
        try {
            Ops tf = Ops.create(graph);
            Ops data = device.gpu() ? tf.withDevice(DevicePlan.GPU_0) : tf;
            Shape imageShape = Shape.of(-1, shape.height(), shape.width(), shape.channels());
            Class<? extends TType> pixelType = bytePixels ? TUint8.class : TFloat32.class;
            imagesFeed = tf.withName("load_images").placeholder(pixelType, Placeholder.shape(imageShape));
            labelsFeed = tf.withName("load_labels").placeholder(TInt64.class, Placeholder.shape(Shape.of(-1)));
            // Unknown shape: each load replaces the contents with another number of samples.
            Variable<? extends TType> images = data.withName("dataset_images").variable(Shape.unknown(), pixelType);
            Variable<TInt64> labels = data.withName("dataset_labels").variable(Shape.unknown(), TInt64.class);
            load = tf.withControlDependencies(List.of(
                    assignUnchecked(data, images, imagesFeed),
                    data.assign(labels, labelsFeed, org.tensorflow.op.core.Assign.validateShape(false))))
                    .withName("load_dataset").noOp();

            indices = tf.withName("batch_indices").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
            training = tf.withName("training").placeholder(TBool.class, Placeholder.shape(Shape.scalar()));
            randomSeed = tf.withName("random_seed").placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
            learningRate = tf.withName("learning_rate").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));

            StepBuilder steps = new StepBuilder(graph, spec, config, normalization, shape, images, labels,
                    training, device);
            Step first = steps.build(tf, indices, randomSeed, learningRate, null);
            model = first.model();
            loss = first.loss();
            correct = first.correct();
            trainStep = first.train();
            OptimizerOps.Built optimizer = first.optimizer();
            numOutputs = (int) model.probabilities().shape().get(1);

            stepsPerCall = config.stepsPerCall();
            if (stepsPerCall > 1) {
                // K steps unrolled, each on its own forward pass of the same variables, each waiting for the one
                // before: one session call then does exactly what K single steps would.
                chunkIndices = tf.withName("chunk_indices").placeholder(TInt32.class,
                        Placeholder.shape(Shape.of(stepsPerCall, -1)));
                chunkSeeds = tf.withName("chunk_seeds").placeholder(TInt64.class,
                        Placeholder.shape(Shape.of(stepsPerCall, 2)));
                chunkRates = tf.withName("chunk_rates").placeholder(TFloat32.class,
                        Placeholder.shape(Shape.of(stepsPerCall)));
                List<Operand<TFloat32>> losses = new ArrayList<>();
                List<Operand<TFloat32>> corrects = new ArrayList<>();
                Op previous = null;
                for (int k = 0; k < stepsPerCall; k++) {
                    Ops sk = tf.withSubScope("chunk_step_" + k);
                    if (previous != null) {
                        sk = sk.withControlDependencies(List.of(previous));
                    }
                    Operand<TInt32> at = sk.constant(k);
                    Step step = steps.build(sk, sk.gather(chunkIndices, at, sk.constant(0)),
                            sk.gather(chunkSeeds, at, sk.constant(0)), sk.gather(chunkRates, at, sk.constant(0)),
                            first);
                    losses.add(step.loss());
                    corrects.add(step.correct());
                    previous = step.train();
                }
                chunkTrain = previous;
                chunkLoss = tf.stack(losses);
                chunkCorrect = tf.stack(corrects);
            } else {
                chunkIndices = null;
                chunkSeeds = null;
                chunkRates = null;
                chunkTrain = null;
                chunkLoss = null;
                chunkCorrect = null;
            }

            List<Variable<?>> modelVars = new ArrayList<>(model.trainableVariables());
            modelVars.addAll(model.stateVariables());
            List<Variable<?>> saved = new ArrayList<>(modelVars);
            saved.addAll(optimizer.slots());
            List<Op> toBest = new ArrayList<>();
            List<Op> fromBest = new ArrayList<>();
            if (config.keep().best()) {
                Ops init = tf.withInitScope();
                for (Variable<?> v : modelVars) {
                    Variable<TFloat32> w = castFloat(v);
                    Variable<TFloat32> best = tf.withName("best." + w.op().name().replace('/', '.'))
                            .variable(init.zeros(init.constant(w.shape().asArray()), TFloat32.class));
                    toBest.add(tf.assign(best, w));
                    fromBest.add(tf.assign(w, best));
                    saved.add(best);
                }
            }
            saveBest = tf.withControlDependencies(toBest).withName("save_best").noOp();
            restoreBest = tf.withControlDependencies(fromBest).withName("restore_best").noOp();
            checkpoint = VariableCheckpoint.build(tf, saved);

            session = new Session(graph, device.sessionConfig(config.deterministic(), config.precision()));
        } catch (RuntimeException | Error e) {
            graph.close();
            throw e;
        }
        try {
            session.initialize();
            for (Op init : model.initializers()) {
                session.run(init);
            }
        } catch (RuntimeException | Error e) {
            session.close();
            graph.close();
            throw e;
        }
        trainingTrue = TBool.scalarOf(true);
        trainingFalse = TBool.scalarOf(false);
        seedTensor = TInt64.vectorOf(seed, 0);
        rateTensor = TFloat32.scalarOf(0f);
    }

    /** Number of probability columns the model outputs. */
    int numOutputs() {
        return numOutputs;
    }

    /**
     * Makes {@code parts} the data the indices refer to, concatenated in order, unless they already are; returns
     * each part's first index.
     */
    int[] load(Dataset... parts) {
        List<Dataset> wanted = List.of(parts);
        if (sameInstances(wanted, loaded)) {
            return loadedOffsets;
        }
        long total = 0;
        for (Dataset d : parts) {
            if (!d.shape().equals(shape)) {
                throw new IllegalArgumentException("dataset images are " + d.shape() + " but the model expects "
                        + shape);
            }
            total += d.size();
        }
        if (total * shape.pixelsPerImage() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("datasets of " + total + " images are too large to load at once");
        }
        int n = (int) total;
        int perImage = shape.pixelsPerImage();
        int[] offsets = new int[parts.length];
        long[] labels = new long[n];
        float[] image = new float[perImage];
        byte[] bytes = bytePixels ? new byte[n * perImage] : null;
        float[] floats = bytePixels ? null : new float[n * perImage];
        int at = 0;
        for (int p = 0; p < parts.length; p++) {
            Dataset d = parts[p];
            if (bytePixels && !d.isBytePixels()) {
                throw new IllegalArgumentException("the model was set up for byte pixels but a dataset holds float "
                        + "pixels; pass raw (unnormalised) datasets of one kind");
            }
            offsets[p] = at;
            for (int i = 0; i < d.size(); i++, at++) {
                labels[at] = d.label(i);
                d.copyImage(i, image, 0);
                if (bytePixels) {
                    for (int k = 0; k < perImage; k++) {
                        bytes[at * perImage + k] = (byte) image[k];
                    }
                } else {
                    System.arraycopy(image, 0, floats, at * perImage, perImage);
                }
            }
        }
        Shape feedShape = Shape.of(n, shape.height(), shape.width(), shape.channels());
        try (Tensor pixels = bytePixels ? TUint8.tensorOf(feedShape, DataBuffers.of(bytes, true, false))
                : TFloat32.tensorOf(feedShape, DataBuffers.of(floats, true, false));
             TInt64 labelTensor = TInt64.tensorOf(Shape.of(n), DataBuffers.of(labels, true, false))) {
            session.runner().feed(imagesFeed, pixels).feed(labelsFeed, labelTensor).addTarget(load).run();
        }
        loaded = wanted;
        loadedOffsets = offsets;
        return offsets;
    }

    /** The first index of {@code data} among the loaded samples, loading it alone if it is not loaded. */
    int offsetOf(Dataset data) {
        for (int i = 0; i < loaded.size(); i++) {
            if (loaded.get(i) == data) {
                return loadedOffsets[i];
            }
        }
        return load(data)[0];
    }

    /**
     * One training step on the loaded samples {@code batch} (a reused tensor of indices) with RNG stream
     * {@code globalStep}.
     *
     * @return {loss, correct count}
     */
    float[] trainStep(TInt32 batch, long globalStep, float rate) {
        seedTensor.setLong(globalStep, 1);
        rateTensor.setFloat(rate);
        try (Result r = session.runner()
                .feed(indices, batch).feed(training, trainingTrue).feed(randomSeed, seedTensor)
                .feed(learningRate, rateTensor)
                .addTarget(trainStep).fetch(loss).fetch(correct).run()) {
            return new float[] {((TFloat32) r.get(0)).getFloat(), ((TFloat32) r.get(1)).getFloat()};
        }
    }

    /** Training steps one {@link #trainSteps} call runs; 1 when the graph runs one step per call. */
    int stepsPerCall() {
        return stepsPerCall;
    }

    /**
     * {@link #stepsPerCall()} training steps in one session call: step k on the loaded samples of row k of
     * {@code batches} ([K, B] indices, full batches), with RNG stream {@code firstStep + k} and rate
     * {@code rates[k]}.
     *
     * @return {losses[K], correct counts[K]}
     */
    float[][] trainSteps(TInt32 batches, long firstStep, float[] rates) {
        long[] seeds = new long[2 * stepsPerCall];
        for (int k = 0; k < stepsPerCall; k++) {
            seeds[2 * k] = seed;
            seeds[2 * k + 1] = firstStep + k;
        }
        try (TInt64 seedFeed = TInt64.tensorOf(Shape.of(stepsPerCall, 2), DataBuffers.of(seeds, true, false));
             TFloat32 rateFeed = TFloat32.tensorOf(Shape.of(stepsPerCall), DataBuffers.of(rates, true, false));
             Result r = session.runner().feed(chunkIndices, batches).feed(chunkSeeds, seedFeed)
                     .feed(chunkRates, rateFeed).feed(training, trainingTrue)
                     .addTarget(chunkTrain).fetch(chunkLoss).fetch(chunkCorrect).run()) {
            float[] losses = new float[stepsPerCall];
            float[] corrects = new float[stepsPerCall];
            ((TFloat32) r.get(0)).copyTo(DataBuffers.of(losses, false, false));
            ((TFloat32) r.get(1)).copyTo(DataBuffers.of(corrects, false, false));
            return new float[][] {losses, corrects};
        }
    }

    /** Mean loss and accuracy (inference mode) over loaded samples {@code [from, from + count)}. */
    EvaluationResult evaluate(int from, int count, int batchSize) {
        double lossSum = 0;
        double correctSum = 0;
        for (int start = 0; start < count; start += batchSize) {
            int size = Math.min(batchSize, count - start);
            try (TInt32 batch = range(from + start, size);
                 Result r = inference(batch).fetch(loss).fetch(correct).run()) {
                lossSum += (double) ((TFloat32) r.get(0)).getFloat() * size;
                correctSum += ((TFloat32) r.get(1)).getFloat();
            }
        }
        return new EvaluationResult(lossSum / count, correctSum / count, count);
    }

    /** Class probabilities (inference mode) of loaded samples {@code [from, from + count)}. */
    float[][] probabilities(int from, int count, int batchSize) {
        float[][] out = new float[count][numOutputs];
        for (int start = 0; start < count; start += batchSize) {
            int size = Math.min(batchSize, count - start);
            try (TInt32 batch = range(from + start, size);
                 Result r = inference(batch).fetch(model.probabilities()).run()) {
                TFloat32 p = (TFloat32) r.get(0);
                for (int i = 0; i < size; i++) {
                    for (int k = 0; k < numOutputs; k++) {
                        out[start + i][k] = p.getFloat(i, k);
                    }
                }
            }
        }
        return out;
    }

    /** Copies the model's weights (and batch-norm statistics) into the best-weights shadow. */
    void saveBestWeights() {
        session.run(saveBest);
    }

    /** Puts the best-weights shadow back into the model. */
    void restoreBestWeights() {
        session.run(restoreBest);
    }

    /** Saves weights, optimizer slots and best-weights shadows under {@code prefix}. */
    void save(Path prefix) {
        try {
            checkpoint.save(session, prefix);
        } catch (IOException e) {
            throw CannotWriteException.of(prefix, "checkpoint", e);
        }
    }

    /**
     * Restores what {@link #save} wrote.
     *
     * @throws InvalidDataException in one line when TensorFlow cannot read it (a damaged checkpoint that has no
     *                              checksum to catch it first)
     */
    void restore(Path prefix) {
        try {
            checkpoint.restore(session, prefix);
        } catch (IOException e) {
            throw InvalidDataException.of(prefix, "cannot read checkpoint (damaged?): "
                    + CannotWriteException.reason(e), e);
        }
    }

    @Override
    public void close() {
        trainingTrue.close();
        trainingFalse.close();
        seedTensor.close();
        rateTensor.close();
        session.close();
        graph.close();
    }

    private Session.Runner inference(TInt32 batch) {
        // Dropout masks are computed (then ignored) in inference too, so the seed is fed.
        return session.runner().feed(indices, batch).feed(training, trainingFalse).feed(randomSeed, seedTensor);
    }

    private static TInt32 range(int from, int size) {
        int[] idx = new int[size];
        for (int i = 0; i < size; i++) {
            idx[i] = from + i;
        }
        return TInt32.tensorOf(Shape.of(size), DataBuffers.of(idx, true, false));
    }

    private static Operand<TFloat32> normalize(Ops tf, Operand<TFloat32> raw, Normalization n) {
        if (n.kind() == Normalization.Kind.NONE) {
            return raw;
        }
        // (x / pixelMax − mean) / std as one multiply-add per channel, coefficients computed in double.
        int channels = n.channels();
        float[] scale = new float[channels];
        float[] shift = new float[channels];
        boolean shifted = false;
        for (int c = 0; c < channels; c++) {
            scale[c] = (float) (1 / (n.pixelMax() * n.std().get(c)));
            shift[c] = (float) (-n.mean().get(c) / n.std().get(c));
            shifted |= shift[c] != 0;
        }
        // One statistic for all channels stays a scalar; per-channel ones broadcast over the last (channel) axis.
        Operand<TFloat32> scaled = tf.math.mul(raw, channels == 1 ? tf.constant(scale[0]) : tf.constant(scale));
        return !shifted ? scaled : tf.math.add(scaled, channels == 1 ? tf.constant(shift[0]) : tf.constant(shift));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Op assignUnchecked(Ops tf, Variable<? extends TType> variable, Operand<? extends TType> value) {
        return tf.assign((Operand) variable, (Operand) value, org.tensorflow.op.core.Assign.validateShape(false));
    }

    @SuppressWarnings("unchecked")
    private static Variable<TFloat32> castFloat(Variable<?> v) {
        if (v.type() != TFloat32.class) {
            throw new IllegalStateException("model variable " + v.op().name() + " is not float32");
        }
        return (Variable<TFloat32>) v;
    }

    private static List<Variable<TFloat32>> castWeights(List<? extends Variable<?>> vars) {
        List<Variable<TFloat32>> out = new ArrayList<>();
        vars.forEach(v -> out.add(castFloat(v)));
        return out;
    }

    private static boolean sameInstances(List<Dataset> a, List<Dataset> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * One training step's ops: the model's forward pass on the gathered (augmented, normalised) batch, the loss,
     * and the update of the weights and batch-norm statistics.
     *
     * @param train the op running the whole update
     */
    private record Step(ModelGraph model, Operand<TFloat32> loss, Operand<TFloat32> correct, Op train,
                        OptimizerOps.Built optimizer) {
    }

    /** Builds training steps on the dataset variables: the first creates the model, later ones share it. */
    private static final class StepBuilder {
        private final Graph graph;
        private final ModelSpec spec;
        private final TrainingConfig config;
        private final Normalization normalization;
        private final ImageShape shape;
        private final Variable<? extends TType> images;
        private final Variable<TInt64> labels;
        private final Placeholder<TBool> training;
        private final DevicePlan device;

        StepBuilder(Graph graph, ModelSpec spec, TrainingConfig config, Normalization normalization,
                    ImageShape shape, Variable<? extends TType> images, Variable<TInt64> labels,
                    Placeholder<TBool> training, DevicePlan device) {
            this.graph = graph;
            this.spec = spec;
            this.config = config;
            this.normalization = normalization;
            this.shape = shape;
            this.images = images;
            this.labels = labels;
            this.training = training;
            this.device = device;
        }

        /** A step in {@code tf}'s scope; {@code first} null builds the model and optimizer, else shares theirs. */
        Step build(Ops tf, Operand<TInt32> indices, Operand<TInt64> seed, Operand<TFloat32> rate, Step first) {
            Ops data = device.gpu() ? tf.withDevice(DevicePlan.GPU_0) : tf;
            Operand<TFloat32> batch = data.dtypes.cast(data.gather(images, indices, data.constant(0)),
                    TFloat32.class);
            Operand<TInt32> batchLabels =
                    data.dtypes.cast(data.gather(labels, indices, data.constant(0)), TInt32.class);
            if (Augmentation.enabled(config)) {
                batch = Augmentation.apply(tf, batch, shape, training, seed, config);
            }
            batch = normalize(tf, batch, normalization);
            ModelGraph model = first == null ? ModelGraph.build(tf, spec, batch, training, seed,
                    config.seed()) : ModelGraph.buildShared(tf, first.model(), batch, training, seed);
            Operand<TFloat32> loss = model.loss(batchLabels, config.labelSmoothing());
            Operand<TFloat32> correct = model.correctCount(batchLabels);

            List<Variable<TFloat32>> weights = castWeights(model.trainableVariables());
            List<Output<?>> weightOutputs = new ArrayList<>();
            weights.forEach(w -> weightOutputs.add(w.asOutput()));
            Output<?>[] grads = graph.addGradients(loss.asOutput(), weightOutputs.toArray(new Output<?>[0]));
            List<Operand<TFloat32>> gradients = new ArrayList<>();
            for (int i = 0; i < grads.length; i++) {
                if (grads[i] == null) {
                    throw new IllegalStateException("no gradient reaches variable " + weights.get(i).op().name());
                }
                gradients.add(grads[i].expect(TFloat32.class));
            }
            OptimizerOps.Built optimizer = first == null
                    ? OptimizerOps.build(tf, config.optimizer(), weights, gradients, rate, config.clipNorm())
                    : OptimizerOps.buildShared(tf, config.optimizer(), weights, gradients, rate, config.clipNorm(),
                            first.optimizer());
            List<Op> modelUpdates = new ArrayList<>(model.updateOps());
            modelUpdates.add(optimizer.step());
            Op train = tf.withControlDependencies(modelUpdates).withName("train").noOp();
            return new Step(model, loss, correct, train, first == null ? optimizer : first.optimizer());
        }
    }
}
