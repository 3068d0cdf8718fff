package org.digitlab.training;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.train.ApplyMomentum;
import org.tensorflow.types.TFloat32;

/**
 * Builds one optimizer step from TensorFlow's raw training kernels, with the learning rate as a graph input.
 * Every update waits for every gradient (so no kernel reads a weight another step already changed), and Adam's
 * β-powers advance strictly after all weight updates: one step is deterministic.
 */
final class OptimizerOps {

    /** The step op and the optimizer's own variables (slots, β-powers), named deterministically for checkpoints. */
    record Built(Op step, List<Variable<?>> slots) {
    }

    private OptimizerOps() {
    }

    /**
     * @param weights   trainable variables, in a fixed order
     * @param gradients their gradients, same order
     * @param rate      scalar learning rate
     * @param clipNorm  clip by global norm; 0 = off
     */
    static Built build(Ops tf, OptimizerConfig config, List<Variable<TFloat32>> weights,
                       List<Operand<TFloat32>> gradients, Operand<TFloat32> rate, double clipNorm) {
        return build(tf, config, weights, gradients, rate, clipNorm, null);
    }

    /**
     * Another step of the optimizer {@code first} built, updating the same slots: for several steps in one session
     * call. {@code tf} should carry a scope of its own and the control dependencies that order the steps.
     */
    static Built buildShared(Ops tf, OptimizerConfig config, List<Variable<TFloat32>> weights,
                             List<Operand<TFloat32>> gradients, Operand<TFloat32> rate, double clipNorm, Built first) {
        Map<String, Variable<?>> slots = new HashMap<>();
        first.slots().forEach(slot -> slots.put(slot.op().name(), slot));
        return build(tf, config, weights, gradients, rate, clipNorm, slots);
    }

    private static Built build(Ops tf, OptimizerConfig config, List<Variable<TFloat32>> weights,
                               List<Operand<TFloat32>> gradients, Operand<TFloat32> rate, double clipNorm,
                               Map<String, Variable<?>> shared) {
        List<Operand<TFloat32>> grads = new ArrayList<>(gradients);
        if (clipNorm > 0) {
            grads = clipByGlobalNorm(tf, grads, clipNorm);
        }
        if (config.weightDecay() > 0 && config.type() != OptimizerConfig.Type.ADAMW) {
            Operand<TFloat32> decay = tf.constant((float) config.weightDecay());
            for (int i = 0; i < grads.size(); i++) {
                grads.set(i, tf.math.add(grads.get(i), tf.math.mul(decay, weights.get(i))));
            }
        }
        // A barrier: identities of every final gradient, which every update depends on.
        List<Op> ready = new ArrayList<>();
        for (int i = 0; i < grads.size(); i++) {
            var identity = tf.identity(grads.get(i));
            ready.add(identity);
            grads.set(i, identity);
        }
        Ops after = tf.withControlDependencies(ready);
        Slots slots = new Slots(tf, tf.withInitScope(), shared);
        List<Op> updates = new ArrayList<>();
        switch (config.type()) {
            case SGD -> {
                for (int i = 0; i < weights.size(); i++) {
                    updates.add(after.train.applyGradientDescent(weights.get(i), rate, grads.get(i)));
                }
            }
            case MOMENTUM -> {
                for (int i = 0; i < weights.size(); i++) {
                    Variable<TFloat32> accum = slots.of(weights.get(i), "momentum");
                    updates.add(after.train.applyMomentum(weights.get(i), accum, rate, grads.get(i),
                            tf.constant((float) config.momentum()), ApplyMomentum.useNesterov(config.nesterov())));
                }
            }
            case RMSPROP -> {
                for (int i = 0; i < weights.size(); i++) {
                    Variable<TFloat32> ms = slots.of(weights.get(i), "ms");
                    Variable<TFloat32> mom = slots.of(weights.get(i), "mom");
                    updates.add(after.train.applyRmsProp(weights.get(i), ms, mom, rate,
                            tf.constant((float) config.rho()), tf.constant((float) config.momentum()),
                            tf.constant((float) config.epsilon()), grads.get(i)));
                }
            }
            case ADAM, ADAMW -> {
                Ops adamOps = after;
                if (config.type() == OptimizerConfig.Type.ADAMW) {
                    // Decoupled decay first (PyTorch's order): w ← w − lr·wd·w, then the Adam step on the result.
                    Operand<TFloat32> keep = tf.math.sub(tf.constant(1f),
                            tf.math.mul(rate, tf.constant((float) config.weightDecay())));
                    List<Op> decays = new ArrayList<>();
                    for (Variable<TFloat32> w : weights) {
                        decays.add(after.assign(w, after.math.mul(w, keep)));
                    }
                    adamOps = tf.withControlDependencies(decays);
                }
                Variable<TFloat32> beta1Power = slots.scalar("beta1_power", (float) config.beta1());
                Variable<TFloat32> beta2Power = slots.scalar("beta2_power", (float) config.beta2());
                Operand<TFloat32> beta1 = tf.constant((float) config.beta1());
                Operand<TFloat32> beta2 = tf.constant((float) config.beta2());
                Operand<TFloat32> epsilon = tf.constant((float) config.epsilon());
                List<Op> adam = new ArrayList<>();
                for (int i = 0; i < weights.size(); i++) {
                    Variable<TFloat32> m = slots.of(weights.get(i), "m");
                    Variable<TFloat32> v = slots.of(weights.get(i), "v");
                    adam.add(adamOps.train.applyAdam(weights.get(i), m, v, beta1Power, beta2Power, rate, beta1,
                            beta2, epsilon, grads.get(i)));
                }
                Ops afterAdam = tf.withControlDependencies(adam);
                updates.add(afterAdam.assign(beta1Power, afterAdam.math.mul(beta1Power, beta1)));
                updates.add(afterAdam.assign(beta2Power, afterAdam.math.mul(beta2Power, beta2)));
            }
        }
        return new Built(tf.withControlDependencies(updates).withName("train_step").noOp(),
                List.copyOf(slots.created));
    }

    /** {@code g · clip / max(‖g‖, clip)} with ‖g‖ the norm of all gradients together (tf.clip_by_global_norm). */
    private static List<Operand<TFloat32>> clipByGlobalNorm(Ops tf, List<Operand<TFloat32>> grads, double clipNorm) {
        Operand<TFloat32> sumSquares = tf.constant(0f);
        for (Operand<TFloat32> g : grads) {
            sumSquares = tf.math.add(sumSquares, tf.reduceSum(tf.math.square(g), allAxes(tf, g)));
        }
        Operand<TFloat32> clip = tf.constant((float) clipNorm);
        Operand<TFloat32> scale = tf.math.div(clip, tf.math.maximum(tf.math.sqrt(sumSquares), clip));
        List<Operand<TFloat32>> clipped = new ArrayList<>();
        for (Operand<TFloat32> g : grads) {
            clipped.add(tf.math.mul(g, scale));
        }
        return clipped;
    }

    private static Operand<org.tensorflow.types.TInt32> allAxes(Ops tf, Operand<TFloat32> g) {
        return tf.range(tf.constant(0), tf.rank(g), tf.constant(1));
    }

    /** The optimizer's variables: created (zeros, or a scalar's start value) or, for a shared step, looked up. */
    private static final class Slots {
        final Ops tf;
        final Ops init;
        final Map<String, Variable<?>> shared;
        final List<Variable<?>> created = new ArrayList<>();

        Slots(Ops tf, Ops init, Map<String, Variable<?>> shared) {
            this.tf = tf;
            this.init = init;
            this.shared = shared;
        }

        Variable<TFloat32> of(Variable<TFloat32> weight, String kind) {
            Shape shape = weight.shape();
            return get(slotName(weight, kind), () -> init.zeros(init.constant(shape.asArray()), TFloat32.class));
        }

        Variable<TFloat32> scalar(String name, float value) {
            return get("optimizer." + name, () -> init.constant(value));
        }

        @SuppressWarnings("unchecked")
        private Variable<TFloat32> get(String name, java.util.function.Supplier<Operand<TFloat32>> initial) {
            if (shared != null) {
                Variable<?> v = shared.get(name);
                if (v == null) {
                    throw new IllegalStateException("the shared optimizer has no variable " + name);
                }
                return (Variable<TFloat32>) v;
            }
            Variable<TFloat32> v = tf.withName(name).variable(initial.get());
            created.add(v);
            return v;
        }
    }

    /** {@code optimizer.<weight name with / as .>.<kind>}: stable across runs, so checkpoints line up. */
    private static String slotName(Variable<TFloat32> weight, String kind) {
        return "optimizer." + weight.op().name().replace('/', '.') + "." + kind;
    }
}
