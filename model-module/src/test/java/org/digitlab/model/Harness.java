package org.digitlab.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
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

/** A model in its own graph and session with plain gradient descent, for tests. */
final class Harness implements AutoCloseable {
    final Graph graph = new Graph();
    final Ops tf = Ops.create(graph);
    final Placeholder<TFloat32> images;
    final Placeholder<TInt32> labels;
    final Placeholder<TBool> training;
    final Placeholder<TInt64> seed;
    final ModelGraph model;
    final Operand<TFloat32> loss;
    final Output<?>[] gradients;
    final List<Op> trainStep = new ArrayList<>();
    final Session session;

    Harness(ModelSpec spec, long initSeed, float learningRate) {
        this(spec, initSeed, learningRate, null);
    }

    /** Builds the model under {@code scope} (null: the root scope). */
    Harness(ModelSpec spec, long initSeed, float learningRate, String scope) {
        Ops ms = scope == null ? tf : tf.withSubScope(scope);
        images =
                tf.withName("images")
                        .placeholder(
                                TFloat32.class,
                                Placeholder.shape(Shape.of(-1, spec.height(), spec.width(), spec.channels())));
        labels = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
        training = tf.placeholder(TBool.class, Placeholder.shape(Shape.scalar()));
        seed = tf.placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
        model = ModelGraph.build(ms, spec, images, training, seed, initSeed);
        loss = model.loss(labels);
        List<Variable<TFloat32>> vars = model.trainableVariables();
        Output<?>[] xs = vars.stream().map(Variable::asOutput).toArray(Output<?>[]::new);
        gradients = graph.addGradients(loss.asOutput(), xs);
        Operand<TFloat32> lr = tf.constant(learningRate);
        for (int i = 0; i < vars.size(); i++) {
            @SuppressWarnings("unchecked")
            Operand<TFloat32> g = (Operand<TFloat32>) gradients[i];
            trainStep.add(tf.train.applyGradientDescent(vars.get(i), lr, g));
        }
        trainStep.addAll(model.updateOps());
        session = new Session(graph);
        session.run(model.initializer());
    }

    /** One gradient-descent step in training mode; returns the loss before the step. */
    float step(float[] x, int[] y, long step) {
        try (Feeds f = new Feeds(x, y, true, step)) {
            Session.Runner r = f.feed(session.runner()).fetch(loss);
            trainStep.forEach(r::addTarget);
            try (Result result = r.run()) {
                return ((TFloat32) result.get(0)).getFloat();
            }
        }
    }

    /** Whether every gradient is finite on this batch. */
    boolean gradientsFinite(float[] x, int[] y) {
        for (float[] g : gradients(x, y)) {
            for (float v : g) {
                if (!Float.isFinite(v)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The loss's gradient for each trainable variable on this batch (training mode), flattened. */
    float[][] gradients(float[] x, int[] y) {
        try (Feeds f = new Feeds(x, y, true, 0)) {
            Session.Runner r = f.feed(session.runner());
            for (Output<?> g : gradients) {
                r.fetch(g);
            }
            try (Result result = r.run()) {
                float[][] out = new float[gradients.length][];
                for (int i = 0; i < gradients.length; i++) {
                    out[i] = values((TFloat32) result.get(i));
                }
                return out;
            }
        }
    }

    /** Sets every element of {@code v} to {@code value}. */
    void fill(Variable<TFloat32> v, float value) {
        session.run(tf.assign(v, tf.fill(tf.shape(v), tf.constant(value))));
    }

    float[] run(Operand<TFloat32> what, float[] x, int[] y, boolean isTraining, long step) {
        try (Feeds f = new Feeds(x, y, isTraining, step);
                Result result = f.feed(session.runner()).fetch(what).run()) {
            return values((TFloat32) result.get(0));
        }
    }

    float[] read(Variable<TFloat32> v) {
        try (Result result = session.runner().fetch(v).run()) {
            return values((TFloat32) result.get(0));
        }
    }

    private static float[] values(TFloat32 t) {
        float[] values = new float[(int) t.size()];
        t.copyTo(DataBuffers.of(values, false, false));
        return values;
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }

    private final class Feeds implements AutoCloseable {
        final TFloat32 x;
        final TInt32 y;
        final TBool t;
        final TInt64 s;

        Feeds(float[] pixels, int[] ys, boolean isTraining, long step) {
            ModelSpec spec = model.spec();
            x =
                    TFloat32.tensorOf(
                            Shape.of(ys.length, spec.height(), spec.width(), spec.channels()),
                            DataBuffers.of(pixels, true, false));
            y = TInt32.vectorOf(ys);
            t = TBool.scalarOf(isTraining);
            s = TInt64.vectorOf(42, step);
        }

        Session.Runner feed(Session.Runner r) {
            return r.feed(images, x).feed(labels, y).feed(training, t).feed(seed, s);
        }

        @Override
        public void close() {
            x.close();
            y.close();
            t.close();
            s.close();
        }
    }

    /** Separable synthetic images: class c lights up row band c, plus noise. */
    static float[] images(int n, int h, int w, int c, int classes, int[] labels, long seed) {
        Random random = new Random(seed);
        float[] x = new float[n * h * w * c];
        int band = Math.max(1, h / classes);
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
            for (int r = 0; r < h; r++) {
                boolean lit = r / band == labels[i];
                for (int col = 0; col < w * c; col++) {
                    x[(i * h + r) * w * c + col] = (lit ? 1f : 0f) + (float) random.nextGaussian() * 0.3f;
                }
            }
        }
        return x;
    }
}
