package org.digitlab.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.digitlab.data.BatchSampler;
import org.digitlab.data.CannotWriteException;
import org.digitlab.data.Dataset;
import org.digitlab.data.ImageShape;
import org.digitlab.data.Normalization;
import org.digitlab.data.OutputFiles;
import org.digitlab.model.MemoryEstimate;
import org.digitlab.model.ModelSpec;
import org.digitlab.model.SavedModelExport;
import org.digitlab.training.runtime.ProcFiles;
import org.digitlab.training.runtime.TensorFlowRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TInt32;

/**
 * Trains one model, Keras style: configure once, {@link #fit} returns the history, listeners hang off the loop.
 *
 * <pre>{@code
 * try (Trainer trainer = new Trainer(spec, Normalization.standardize(0.1307, 0.3081, 255), config, runDir)) {
 *     TrainingResult result = trainer.fit(train, validation);
 *     EvaluationResult test = trainer.evaluate(testSet);
 * }
 * }</pre>
 *
 * <p>Datasets are passed raw (as loaded); the trainer normalises in-graph with the given {@link Normalization}.
 * Every epoch is checkpointed under {@code runDir/checkpoints} (weights, optimizer slots, schedule, early-stopping
 * state, history); {@link #resume(Path)} continues such a run in place after a crash, exactly when
 * {@link TrainingConfig#deterministic()} is set: all randomness is a pure function of (seed, epoch, step).
 */
public final class Trainer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    private static final int EVAL_BATCH = 500;

    private final ModelSpec spec;
    private final Normalization normalization;
    private final TrainingConfig config;
    private final RunFiles files;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private final Path resumeFrom;
    /** Whether a resume raised the epoch count, so a run that stopped early may continue. */
    private boolean extended;
    /** Newer checkpoints a resume skipped because they are damaged, one line each. */
    private List<String> skipped = List.of();
    private DevicePlan device;
    private TrainingGraph graph;
    private RunFiles.State state;

    /**
     * A trainer for a new run writing checkpoints under {@code runDir/checkpoints}. Logs one line per epoch through
     * SLF4J ({@link LoggingListener}); add a {@link ProgressBarListener} for a terminal.
     *
     * A run in {@code runDir} that never completed an epoch (it failed or was stopped before its first checkpoint)
     * is started over.
     *
     * @throws IllegalStateException if {@code runDir} already holds a run with a checkpoint (use
     *                               {@link #resume(Path)})
     */
    public Trainer(ModelSpec spec, Normalization normalization, TrainingConfig config, Path runDir) {
        this(spec, normalization, config, runDir, null);
        if (files.hasEpoch()) {
            throw new IllegalStateException("run directory " + runDir + " already holds a run (" + files.dir()
                    + "); resume it with Trainer.resume or choose a new directory");
        }
    }

    /**
     * Whether {@code runDir} holds a checkpoint of a completed epoch (intact or damaged): a run there can be resumed,
     * while one without never completed an epoch and is started over by {@link #Trainer(ModelSpec, Normalization,
     * TrainingConfig, Path)}.
     */
    public static boolean hasCheckpoint(Path runDir) {
        return new RunFiles(runDir).hasEpoch();
    }

    private Trainer(ModelSpec spec, Normalization normalization, TrainingConfig config, Path runDir,
                    Path resumeFrom) {
        this.spec = Objects.requireNonNull(spec, "model spec");
        this.normalization = Objects.requireNonNull(normalization, "normalization");
        this.config = Objects.requireNonNull(config, "training config");
        this.files = new RunFiles(Objects.requireNonNull(runDir, "run directory"));
        this.resumeFrom = resumeFrom;
        MemoryEstimate.of(spec, config.batchSize()).check(physicalMemory(), "this machine's memory",
                config.batchSize());
        this.state = new RunFiles.State(0, 0, History.empty(), null, new EarlyStopping.State(null, 0, 0), 0, null);
        listeners.add(new LoggingListener());
    }

    /** Continues the run in {@code runDir} from its last complete epoch, with the config it was started with. */
    public static Trainer resume(Path runDir) {
        return resume(runDir, 0);
    }

    /**
     * Continues the run in {@code runDir} from its newest intact checkpoint: each checkpoint's files are checked
     * against the checksums written with them before TensorFlow reads them, and a damaged one is skipped (with a
     * warning; see {@link #skippedCheckpoints()}) for the one before it. {@code epochs} > 0 replaces the configured
     * number of epochs in all (extending a finished run), 0 keeps it.
     *
     * @throws IllegalArgumentException if {@code runDir} holds no run, if every checkpoint is damaged, or if
     *                                  {@code epochs} is fewer than the epochs already completed
     */
    public static Trainer resume(Path runDir, int epochs) {
        RunFiles files = new RunFiles(runDir);
        if (!files.hasRun()) {
            throw new IllegalArgumentException("cannot resume: " + files.dir().resolve(RunFiles.RUN_FILE)
                    + " not found (is " + runDir + " a training run directory?)");
        }
        files.deleteIncomplete();
        RunFiles.Run run = files.readRun();
        RunFiles.Latest latest = files.latestIntact();
        if (latest.dir().isEmpty() && !latest.damaged().isEmpty()) {
            throw new IllegalArgumentException("cannot resume " + runDir + ": every checkpoint is damaged ("
                    + String.join("; ", latest.damaged()) + "); start the run again in a new directory");
        }
        RunFiles.State state = latest.dir().map(files::readState).orElse(null);
        if (state != null && epochs > 0 && epochs < state.epoch()) {
            throw new IllegalArgumentException("cannot resume " + runDir + " with " + epochs + " epochs in all: it "
                    + "has completed " + state.epoch() + " already (its history and model have " + state.epoch()
                    + "); give at least " + state.epoch() + " epochs, or none to keep " + run.config().epochs());
        }
        TrainingConfig config = epochs > 0 ? run.config().withEpochs(epochs) : run.config();
        Trainer trainer = new Trainer(run.spec(), run.normalization(), config, runDir, latest.dir().orElse(null));
        trainer.extended = config.epochs() != run.config().epochs();
        trainer.skipped = latest.damaged();
        for (String damaged : latest.damaged()) {
            LOG.warn("{}; resuming from {} instead", damaged, latest.dir()
                    .map(dir -> "the checkpoint before it, " + dir.getFileName()).orElse("the start"));
        }
        if (state != null) {
            trainer.state = state;
            LOG.info("resuming {} after epoch {} (global step {})", runDir, state.epoch(), state.globalStep());
        }
        return trainer;
    }

    /**
     * The newer checkpoints {@link #resume(Path, int)} skipped because their files did not match their checksums,
     * one line each naming the damaged file; empty for a new run or when the newest checkpoint was intact.
     */
    public List<String> skippedCheckpoints() {
        return skipped;
    }

    /** Adds a listener, called after those added before. */
    public Trainer addListener(TrainingListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** The architecture being trained. */
    public ModelSpec spec() {
        return spec;
    }

    /** The normalisation applied in-graph to the raw pixels of every batch. */
    public Normalization normalization() {
        return normalization;
    }

    /** The config in force; after a resume with a new epoch count, that count. */
    public TrainingConfig config() {
        return config;
    }

    /** Epochs completed so far (including those before a resume). */
    public int epochsCompleted() {
        return state.epoch();
    }

    /**
     * Trains from the current epoch up to {@link TrainingConfig#epochs()}, validating after every epoch.
     *
     * @param train      raw training data
     * @param validation raw validation data, or null (then early stopping and reduce-on-plateau are unavailable)
     * @throws NonFiniteLossException if a step's loss is NaN or infinite
     */
    public TrainingResult fit(Dataset train, Dataset validation) {
        return fit(train, validation, config.epochs());
    }

    /**
     * Trains from the current epoch up to epoch {@code stopAfterEpoch} (at most {@link TrainingConfig#epochs()})
     * and pauses there: the run stays resumable, and {@link #resume(Path)} followed by {@code fit} carries it on
     * exactly as if it had not paused. The schedule is always the one of the whole {@code epochs}-epoch run, so a
     * run trained in pieces (e.g. to the rungs of successive halving) gets the rates of an uninterrupted one.
     * A paused result's {@link TrainingResult#stopReason()} reads {@code "paused after epoch k of n"}, and the
     * best epoch's weights (when the config keeps them) are restored only when the run ends: a paused run keeps its
     * last epoch's weights, the ones it continues from.
     *
     * @param stopAfterEpoch the last epoch (1-based, counting epochs before a resume) to train in this call
     * @throws NonFiniteLossException if a step's loss is NaN or infinite
     */
    public TrainingResult fit(Dataset train, Dataset validation, int stopAfterEpoch) {
        if (stopAfterEpoch < 1) {
            throw new IllegalArgumentException("stopAfterEpoch must be ≥ 1, got " + stopAfterEpoch);
        }
        int lastEpoch = Math.min(stopAfterEpoch, config.epochs());
        prepare(train, validation, null);
        files.writeRun(new RunFiles.Run(spec, normalization, config));
        int[] offsets = validation == null ? graph.load(train) : graph.load(train, validation);

        BatchSampler sampler = BatchSampler.of(train, config.batchSize(), config.seed(), config.lastBatch(), false);
        int stepsPerEpoch = sampler.batchesPerEpoch();
        LearningRateSchedule schedule = config.schedule().schedule(config.optimizer().learningRate(), config.epochs());
        ReduceLrOnPlateau plateau = null;
        if (config.schedule().isPlateau()) {
            plateau = new ReduceLrOnPlateau(config.schedule(), config.optimizer().learningRate());
            if (state.plateau() != null) {
                plateau.restore(state.plateau());
            }
        }
        EarlyStoppingConfig stopping = config.earlyStopping();
        EarlyStopping best = stopping != null
                ? new EarlyStopping(stopping.monitor(), stopping.minDelta(), stopping.patience())
                : new EarlyStopping(config.keep().monitor(null), 0, 0);
        best.restore(state.best());
        boolean restoreBest = config.keep().restoresBest(validation != null);

        int firstEpoch = state.epoch() + 1;
        listeners.forEach(l -> l.onTrainBegin(firstEpoch, config.epochs(), stepsPerEpoch));
        String stopReason = state.epoch() >= config.epochs() || (state.stopReason() != null && !extended)
                ? finishedReason(state) : null;
        int fullSize = config.batchSize();
        int lastSize = train.size() % fullSize == 0 || config.lastBatch() == BatchSampler.LastBatch.DROP
                ? fullSize : train.size() % fullSize;
        try (TInt32 fullBatch = TInt32.tensorOf(Shape.of(fullSize));
             TInt32 lastBatch = TInt32.tensorOf(Shape.of(lastSize))) {
            for (int epoch = firstEpoch; epoch <= lastEpoch && stopReason == null; epoch++) {
                double startRate = plateau != null ? plateau.rate() : schedule.rate(epoch - 1, 0, stepsPerEpoch);
                for (TrainingListener l : listeners) {
                    l.onEpochBegin(epoch, startRate);
                }
                long start = System.nanoTime();
                EpochTotals totals = trainEpoch(epoch, sampler.epoch(epoch - 1), schedule, plateau, fullBatch,
                        lastBatch);
                double seconds = (System.nanoTime() - start) / 1e9;
                EvaluationResult val = validation == null ? null
                        : graph.evaluate(offsets[1], validation.size(), EVAL_BATCH);
                EpochMetrics metrics = new EpochMetrics(epoch, totals.loss(), totals.accuracy(),
                        val == null ? Double.NaN : val.loss(), val == null ? Double.NaN : val.accuracy(),
                        totals.lastRate(), seconds);
                if (plateau != null && plateau.onEpochEnd(config.schedule().monitor().value(metrics))) {
                    LOG.info("epoch {}: {} plateaued, learning rate reduced to {}", epoch,
                            config.schedule().monitor().key(), plateau.rate());
                }
                if (validation != null && best.onEpochEnd(epoch, best.monitor().value(metrics)) && restoreBest) {
                    graph.saveBestWeights();
                }
                if (stopping != null && best.shouldStop()) {
                    stopReason = best.stopReason();
                } else if (epoch == config.epochs()) {
                    stopReason = "completed " + epoch + " epochs";
                }
                state = new RunFiles.State(epoch, totals.globalStep(), state.history().plus(metrics),
                        plateau == null ? null : plateau.state(), best.state(), state.trainSeconds() + seconds,
                        stopReason);
                files.writeEpoch(state, graph::save, best.state().bestEpoch());
                for (TrainingListener l : listeners) {
                    l.onEpochEnd(metrics);
                }
            }
        }
        boolean paused = stopReason == null;
        int keptEpoch = state.epoch();
        if (paused) {
            stopReason = "paused after epoch " + state.epoch() + " of " + config.epochs();
        } else if (restoreBest && best.state().bestEpoch() > 0 && best.state().bestEpoch() != state.epoch()) {
            graph.restoreBestWeights();
            keptEpoch = best.state().bestEpoch();
            LOG.info("restored the weights of epoch {} (best {})", keptEpoch, best.monitor().key());
        }
        TrainingResult result = new TrainingResult(state.history(),
                validation == null ? state.epoch() : best.state().bestEpoch(), keptEpoch,
                restoreBest && !paused ? "best " + best.monitor().key() : "last", stopReason, device.name(),
                state.trainSeconds());
        listeners.forEach(l -> l.onTrainEnd(result));
        return result;
    }

    /**
     * Checks what {@link #fit} (and, given {@code test}, {@link #evaluate}) would check — shapes, pixel ranges,
     * empty sets, a validation set where early stopping or reduce-on-plateau need one — and builds the graph, so a
     * caller can fail before it writes anything. {@link #fit} does the same, once.
     *
     * @param validation the validation set, or null
     * @param test       a set to be evaluated later, or null
     * @throws IllegalArgumentException naming the set that does not fit
     */
    public void prepare(Dataset train, Dataset validation, Dataset test) {
        checkCompatible(train, "training");
        if (validation != null) {
            checkCompatible(validation, "validation");
        } else if (config.earlyStopping() != null || config.schedule().isPlateau()) {
            throw new IllegalArgumentException("early stopping and reduce-on-plateau need a validation set");
        }
        if (test != null) {
            checkCompatible(test, "test");
        }
        ensureGraph(train.isBytePixels() && (validation == null || validation.isBytePixels()));
    }

    /** An epoch's batch-size-weighted mean loss and accuracy, its last rate, and the global step after it. */
    private record EpochTotals(double loss, double accuracy, double lastRate, long globalStep) {
    }

    /** Runs one epoch's steps; the step's RNG stream is the global step, so each step is a pure function of it. */
    private EpochTotals trainEpoch(int epoch, int[][] batches, LearningRateSchedule schedule,
                                   ReduceLrOnPlateau plateau, TInt32 fullBatch, TInt32 lastBatch) {
        double lossSum = 0;
        double correctSum = 0;
        long seen = 0;
        double rate = Double.NaN;
        long globalStep = state.globalStep();
        int k = graph.stepsPerCall();
        int fullSize = (int) fullBatch.shape().get(0);
        int step = 0;
        while (step < batches.length) {
            // K full batches go in one call; what is left (fewer, or the smaller last batch) goes one by one.
            int calls = step + k <= batches.length && batches[step + k - 1].length == fullSize ? k : 1;
            float[] losses;
            float[] corrects;
            float[] rates = new float[calls];
            for (int j = 0; j < calls; j++) {
                rate = plateau != null ? plateau.rate() : schedule.rate(epoch - 1, step + j, batches.length);
                rates[j] = (float) rate;
            }
            if (calls > 1) {
                int[] indices = new int[calls * fullSize];
                for (int j = 0; j < calls; j++) {
                    System.arraycopy(batches[step + j], 0, indices, j * fullSize, fullSize);
                }
                try (TInt32 chunk = TInt32.tensorOf(Shape.of(calls, fullSize), DataBuffers.of(indices, true, false))) {
                    float[][] out = graph.trainSteps(chunk, globalStep, rates);
                    losses = out[0];
                    corrects = out[1];
                }
            } else {
                int[] indices = batches[step];
                TInt32 batch = indices.length == fullSize ? fullBatch : lastBatch;
                batch.copyFrom(DataBuffers.of(indices, true, false));
                float[] out = graph.trainStep(batch, globalStep, rates[0]);
                losses = new float[] {out[0]};
                corrects = new float[] {out[1]};
            }
            for (int j = 0; j < calls; j++, step++, globalStep++) {
                int size = batches[step].length;
                if (!Float.isFinite(losses[j])) {
                    throw new NonFiniteLossException(epoch, step + 1, batches.length, losses[j], rates[j]);
                }
                lossSum += (double) losses[j] * size;
                correctSum += corrects[j];
                seen += size;
                for (TrainingListener l : listeners) {
                    l.onBatchEnd(epoch, step + 1, batches.length, losses[j], corrects[j] / size);
                }
            }
        }
        return new EpochTotals(lossSum / seen, correctSum / seen, rate, globalStep);
    }

    /** Loss and accuracy of the current model on {@code data} (inference mode). */
    public EvaluationResult evaluate(Dataset data) {
        checkCompatible(data, "evaluation");
        ensureGraph(data.isBytePixels());
        int from = graph.offsetOf(data);
        return graph.evaluate(from, data.size(), EVAL_BATCH);
    }

    /** Class probabilities of every sample of {@code data} (inference mode), one row per sample. */
    public float[][] predictProbabilities(Dataset data) {
        checkCompatible(data, "prediction");
        ensureGraph(data.isBytePixels());
        int from = graph.offsetOf(data);
        return graph.probabilities(from, data.size(), EVAL_BATCH);
    }

    /**
     * Exports the current weights as a SavedModel ({@code serving_default}: normalised float images → probabilities;
     * see {@link SavedModelExport}).
     */
    public void exportSavedModel(Path dir) {
        if (graph == null) {
            throw new IllegalStateException("nothing to export: the trainer has not been fitted or restored");
        }
        // The weights go beside the export, not to the system's temp directory: one disk to fill, one to name.
        Path tmp = OutputFiles.tempSibling(dir);
        try {
            Path prefix = tmp.resolve(RunFiles.WEIGHTS);
            graph.save(prefix);
            SavedModelExport.export(spec, prefix, dir);
        } catch (IOException | UncheckedIOException e) {
            throw CannotWriteException.of(dir, "SavedModel", e);
        } finally {
            OutputFiles.deleteQuietly(tmp);
        }
    }

    /** The device the graph runs on ("CPU" or "GPU:0"), resolving it if no graph exists yet. */
    public String device() {
        if (device == null) {
            device = DevicePlan.resolve(config.device());
        }
        return device.name();
    }

    @Override
    public void close() {
        if (graph != null) {
            graph.close();
            graph = null;
        }
    }

    private void ensureGraph(boolean bytePixels) {
        if (graph != null) {
            return;
        }
        device();
        TensorFlowRuntime.opDeterminism(config.deterministic());
        LOG.info("building the graph ({} parameters) on {} ({})", spec.parameterCount(), device.name(),
                config.deterministic() ? "deterministic, 1 thread per pool" : "all cores");
        logPrecision();
        graph = new TrainingGraph(spec, normalization, config, inputShape(), bytePixels && !device.gpu(), device);
        if (resumeFrom != null) {
            graph.restore(resumeFrom.resolve(RunFiles.WEIGHTS));
        }
    }

    /** Says what mixed bfloat16 does on this device, warning where it cannot help. */
    private void logPrecision() {
        if (config.precision() != Precision.MIXED_BFLOAT16) {
            return;
        }
        if (device.gpu()) {
            LOG.warn("precision mixed_bfloat16 is TensorFlow's CPU (oneDNN) rewrite: on {} the run computes in"
                    + " float32", device.name());
        } else if (!ProcFiles.bfloat16(ProcFiles.cpuinfo())) {
            LOG.warn("precision mixed_bfloat16: this CPU has no bfloat16 instructions (AVX512_BF16 or AMX_BF16), so"
                    + " it brings no speed-up here and may slow the run; --precision float32 avoids that");
        } else {
            LOG.info("precision mixed_bfloat16: convolutions and matrix products in bfloat16 (oneDNN), weights,"
                    + " optimizer and loss in float32");
        }
    }

    private void checkCompatible(Dataset data, String role) {
        Objects.requireNonNull(data, role + " dataset");
        if (!data.shape().equals(inputShape())) {
            throw new IllegalArgumentException(role + " images are " + data.shape() + " but the model expects "
                    + inputShape());
        }
        if (data.size() == 0) {
            throw new IllegalArgumentException(role + " dataset is empty");
        }
        normalization.checkChannels(data.shape().channels());
        if (data.pixelMax() != (float) normalization.pixelMax()) {
            throw new IllegalArgumentException(role + " pixels have full intensity " + data.pixelMax()
                    + " but the normalization expects " + normalization.pixelMax()
                    + " (pass the raw dataset; the trainer normalises in-graph)");
        }
    }

    private static double physicalMemory() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean bean ? bean.getTotalMemorySize()
                : Double.MAX_VALUE;
    }

    private ImageShape inputShape() {
        return new ImageShape(spec.height(), spec.width(), spec.channels());
    }

    private static String finishedReason(RunFiles.State state) {
        return state.stopReason() != null ? state.stopReason() : "completed " + state.epoch() + " epochs";
    }
}
