package org.digitlab.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/** The raw optimizer ops on a tiny least-squares problem {@code loss = Σ (x·w − y)² / n}. */
class OptimizerOpsTest {
    private static final float[] W0 = {0.5f, -1.0f, 2.0f};

    /** A problem with one weight vector, stepped by the optimizer built from {@code config}. */
    private static final class Problem implements AutoCloseable {
        final Graph graph = new Graph();
        final Session session;
        final Variable<TFloat32> w;
        final Operand<TFloat32> loss;
        final Output<?> grad;
        final OptimizerOps.Built built;
        final Placeholder<TFloat32> rate;
        final float lr;

        Problem(OptimizerConfig config, double clipNorm) {
            lr = (float) config.learningRate();
            Ops tf = Ops.create(graph);
            w = tf.withSubScope("dense").withName("kernel").variable(tf.withInitScope().constant(W0));
            // Rows of x and targets y = x·(1, 2, 3).
            Operand<TFloat32> x = tf.constant(new float[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 1}});
            Operand<TFloat32> y = tf.constant(new float[] {1, 2, 3, 6});
            Operand<TFloat32> pred = tf.reduceSum(tf.math.mul(x, w), tf.constant(1));
            loss = tf.math.mean(tf.math.square(tf.math.sub(pred, y)), tf.constant(0));
            grad = graph.addGradients(loss.asOutput(), new Output<?>[] {w.asOutput()})[0];
            rate = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
            built = OptimizerOps.build(tf, config, List.of(w), List.of(grad.expect(TFloat32.class)), rate, clipNorm);
            session = new Session(graph);
            session.initialize();
        }

        float[] weights() {
            try (Result r = session.runner().fetch(w).run()) {
                TFloat32 t = (TFloat32) r.get(0);
                return new float[] {t.getFloat(0), t.getFloat(1), t.getFloat(2)};
            }
        }

        float[] gradient() {
            try (Result r = session.runner().fetch(grad).run()) {
                TFloat32 t = (TFloat32) r.get(0);
                return new float[] {t.getFloat(0), t.getFloat(1), t.getFloat(2)};
            }
        }

        float loss() {
            try (Result r = session.runner().fetch(loss).run()) {
                return ((TFloat32) r.get(0)).getFloat();
            }
        }

        void step(float lr) {
            try (TFloat32 lrTensor = TFloat32.scalarOf(lr)) {
                session.runner().feed(rate, lrTensor).addTarget(built.step()).run();
            }
        }

        @Override
        public void close() {
            session.close();
            graph.close();
        }
    }

    @ParameterizedTest
    @EnumSource(OptimizerConfig.Type.class)
    void everyOptimizerReducesTheLoss(OptimizerConfig.Type type) {
        try (Problem p = new Problem(OptimizerConfig.of(type, type == OptimizerConfig.Type.SGD ? 0.05 : 0.02), 0)) {
            float before = p.loss();
            for (int i = 0; i < 50; i++) {
                p.step(type == OptimizerConfig.Type.SGD ? 0.05f : 0.02f);
            }
            assertThat(p.loss()).isLessThan(before * 0.5f);
        }
    }

    @Test
    void adamFirstStepIsTheBiasCorrectedClosedForm() {
        OptimizerConfig adam = OptimizerConfig.adam(0.01);
        try (Problem p = new Problem(adam, 0)) {
            float[] g = p.gradient();
            p.step(0.01f);
            float[] w = p.weights();
            for (int i = 0; i < 3; i++) {
                // m̂ = g, v̂ = g² after one step: w₁ = w₀ − lr·g / (|g| + ε̂) ≈ w₀ − lr·sign(g).
                double m = (1 - 0.9) * g[i];
                double v = (1 - 0.999) * g[i] * g[i];
                double lrT = 0.01 * Math.sqrt(1 - 0.999) / (1 - 0.9);
                double expected = W0[i] - lrT * m / (Math.sqrt(v) + 1e-7);
                assertThat((double) w[i]).isCloseTo(expected, within(1e-6));
                assertThat((double) w[i]).isCloseTo(W0[i] - 0.01 * Math.signum(g[i]), within(1e-5));
            }
            // The second step uses β-powers advanced exactly once.
            float[] g2 = p.gradient();
            p.step(0.01f);
            float[] w2 = p.weights();
            for (int i = 0; i < 3; i++) {
                double m = 0.9 * (0.1 * g[i]) + 0.1 * g2[i];
                double v = 0.999 * (0.001 * g[i] * g[i]) + 0.001 * g2[i] * g2[i];
                double lrT = 0.01 * Math.sqrt(1 - 0.999 * 0.999) / (1 - 0.9 * 0.9);
                assertThat((double) w2[i]).isCloseTo(w[i] - lrT * m / (Math.sqrt(v) + 1e-7), within(1e-6));
            }
        }
    }

    @Test
    void adamWDecaysWeightsDecoupledFromTheGradient() {
        try (Problem adam = new Problem(OptimizerConfig.adam(0.01), 0);
             Problem adamW = new Problem(OptimizerConfig.adamW(0.01, 0.5), 0)) {
            float[] plain = stepOnce(adam);
            float[] decayed = stepOnce(adamW);
            for (int i = 0; i < 3; i++) {
                // Same Adam step (its gradient was taken before the decay), plus w₀·lr·wd shrinkage.
                assertThat((double) decayed[i]).isCloseTo(plain[i] - 0.01 * 0.5 * W0[i], within(1e-6));
            }
        }
    }

    @Test
    void sgdWeightDecayIsCoupledL2() {
        try (Problem p = new Problem(OptimizerConfig.sgd(0.1).withWeightDecay(0.2), 0)) {
            float[] g = p.gradient();
            p.step(0.1f);
            float[] w = p.weights();
            for (int i = 0; i < 3; i++) {
                assertThat((double) w[i]).isCloseTo(W0[i] - 0.1 * (g[i] + 0.2 * W0[i]), within(1e-6));
            }
        }
    }

    @Test
    void nesterovMomentumDiffersFromClassicAfterTheFirstStep() {
        try (Problem classic = new Problem(OptimizerConfig.momentum(0.05, 0.9, false), 0);
             Problem nesterov = new Problem(OptimizerConfig.momentum(0.05, 0.9, true), 0)) {
            float[] g = classic.gradient();
            stepOnce(classic);
            float[] n = stepOnce(nesterov);
            for (int i = 0; i < 3; i++) {
                // Nesterov's first step: w −= lr·(g + momentum·g).
                assertThat((double) n[i]).isCloseTo(W0[i] - 0.05 * (g[i] + 0.9 * g[i]), within(1e-6));
            }
        }
    }

    @Test
    void clippingByGlobalNormBoundsTheStep() {
        try (Problem p = new Problem(OptimizerConfig.sgd(1.0), 0.1)) {
            float[] g = p.gradient();
            double norm = Math.sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2]);
            assertThat(norm).isGreaterThan(0.1);
            p.step(1f);
            float[] w = p.weights();
            for (int i = 0; i < 3; i++) {
                assertThat((double) w[i]).isCloseTo(W0[i] - g[i] * 0.1 / norm, within(1e-6));
            }
        }
    }

    @Test
    void slotsAreNamedAfterTheirWeight() {
        try (Problem p = new Problem(OptimizerConfig.adam(0.01), 0)) {
            assertThat(p.built.slots()).extracting(v -> v.op().name()).containsExactlyInAnyOrder(
                    "optimizer.beta1_power", "optimizer.beta2_power", "optimizer.dense.kernel.m",
                    "optimizer.dense.kernel.v");
        }
    }

    private static float[] stepOnce(Problem p) {
        p.step(p.lr);
        return p.weights();
    }
}
