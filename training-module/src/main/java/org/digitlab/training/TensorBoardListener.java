package org.digitlab.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.summary.SummaryWriter;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * Writes per-epoch scalars as TensorBoard event files, laid out like Keras' {@code TensorBoard} callback so that
 * TensorBoard overlays the two runs: {@code logDir/train} gets {@code epoch_loss}, {@code epoch_accuracy} and
 * {@code epoch_learning_rate}; {@code logDir/validation} gets {@code epoch_loss} and {@code epoch_accuracy} (only
 * for epochs that were validated). The step is the 1-based epoch, so a resumed run continues its curves.
 *
 * <p>Uses TensorFlow's own summary writer ops in a small graph and session of its own. Events are flushed at
 * every epoch end; the writers close when training ends (a later {@code fit} starts new event files) and
 * {@link #close()} frees the native resources — call it even if training failed.
 */
public final class TensorBoardListener implements TrainingListener, AutoCloseable {
    /** Subdirectory for training scalars, as Keras names it. */
    public static final String TRAIN_DIR = "train";
    /** Subdirectory for validation scalars, as Keras names it. */
    public static final String VALIDATION_DIR = "validation";

    private final Graph graph;
    private final Session session;
    private final Placeholder<TInt64> step;
    private final Placeholder<TString> tag;
    private final Placeholder<TFloat32> value;
    private final Writer train;
    private final Writer validation;
    private boolean open;
    private boolean closed;

    /** The ops of one event-file writer; all share the step/tag/value placeholders. */
    private record Writer(Op create, Op write, Op flush, Op close) {
    }

    /**
     * Prepares a listener writing under {@code logDir} (created if missing); event files appear once training
     * begins.
     *
     * @throws UncheckedIOException if the directories cannot be created
     */
    public TensorBoardListener(Path logDir) {
        Objects.requireNonNull(logDir, "logDir");
        Path trainDir = logDir.resolve(TRAIN_DIR);
        Path validationDir = logDir.resolve(VALIDATION_DIR);
        try {
            Files.createDirectories(trainDir);
            Files.createDirectories(validationDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create TensorBoard directory under " + logDir, e);
        }
        graph = new Graph();
        try {
            Ops tf = Ops.create(graph);
            step = tf.placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
            tag = tf.placeholder(TString.class, Placeholder.shape(Shape.scalar()));
            value = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
            train = writer(tf, TRAIN_DIR, trainDir);
            validation = writer(tf, VALIDATION_DIR, validationDir);
            session = new Session(graph);
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    private Writer writer(Ops tf, String name, Path dir) {
        // An explicit shared name keeps the two writer resources apart within this session.
        SummaryWriter handle = tf.summary.summaryWriter(SummaryWriter.sharedName(name));
        return new Writer(
                tf.summary.createSummaryFileWriter(handle, tf.constant(dir.toAbsolutePath().toString()),
                        tf.constant(10), tf.constant(Integer.MAX_VALUE), tf.constant(".v2")),
                tf.summary.writeScalarSummary(handle, step, tag, value),
                tf.summary.flushSummaryWriter(handle),
                tf.summary.closeSummaryWriter(handle));
    }

    @Override
    public void onTrainBegin(int firstEpoch, int epochs, int stepsPerEpoch) {
        ensureOpen();
    }

    @Override
    public void onEpochEnd(EpochMetrics m) {
        ensureOpen();
        write(train, m.epoch(), "epoch_loss", m.trainLoss());
        write(train, m.epoch(), "epoch_accuracy", m.trainAccuracy());
        write(train, m.epoch(), "epoch_learning_rate", m.lr());
        write(validation, m.epoch(), "epoch_loss", m.valLoss());
        write(validation, m.epoch(), "epoch_accuracy", m.valAccuracy());
        run(train.flush());
        run(validation.flush());
    }

    @Override
    public void onTrainEnd(TrainingResult result) {
        closeWriters();
    }

    /** Closes the event files (if still open) and frees the session and graph; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            closeWriters();
        } finally {
            closed = true;
            try {
                session.close();
            } finally {
                graph.close();
            }
        }
    }

    private synchronized void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("TensorBoardListener is closed");
        }
        if (!open) {
            run(train.create());
            run(validation.create());
            open = true;
        }
    }

    private synchronized void closeWriters() {
        if (open) {
            open = false;
            run(train.close());
            run(validation.close());
        }
    }

    private void write(Writer writer, int epoch, String name, double v) {
        if (Double.isNaN(v)) {
            return; // no validation this epoch
        }
        try (TInt64 s = TInt64.scalarOf(epoch);
             TString t = TString.scalarOf(name);
             TFloat32 x = TFloat32.scalarOf((float) v);
             Result ignored = session.runner().feed(step, s).feed(tag, t).feed(value, x)
                     .addTarget(writer.write()).run()) {
            // target only: nothing to fetch
        }
    }

    private void run(Op target) {
        try (Result ignored = session.runner().addTarget(target).run()) {
            // target only: nothing to fetch
        }
    }
}
