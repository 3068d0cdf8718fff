package org.digitlab.training;

import java.util.Locale;
import java.util.Objects;

/**
 * An optimizer and its hyper-parameters, as plain serialisable data. Defaults follow Keras.
 *
 * <ul>
 *   <li>{@link Type#SGD}: {@code w −= lr·g}.</li>
 *   <li>{@link Type#MOMENTUM}: {@code a = momentum·a + g; w −= lr·a} (PyTorch's SGD with momentum, no dampening), or the
 *       Nesterov form when {@code nesterov}.</li>
 *   <li>{@link Type#ADAM}: bias-corrected Adam, Keras' "epsilon hat" form
 *       {@code w −= lr·√(1−β₂ᵗ)/(1−β₁ᵗ) · m / (√v + ε)}.</li>
 *   <li>{@link Type#ADAMW}: Adam plus decoupled weight decay {@code w −= lr·weightDecay·w} applied before the Adam
 *       step to every trainable variable, kernels and biases alike (PyTorch's and Keras' default).</li>
 *   <li>{@link Type#RMSPROP}: {@code ms = ρ·ms + (1−ρ)·g²; mom = momentum·mom + lr·g/√(ms + ε); w −= mom}, mean square
 *       starting at zero (as in Keras and PyTorch; ε sits inside the root as in TensorFlow).</li>
 * </ul>
 * For every type but ADAMW, {@code weightDecay} is classic L2 coupled into the gradient, {@code g += weightDecay·w}
 * (PyTorch's {@code weight_decay}), again for every trainable variable; 0 turns it off.
 *
 * @param type         the update rule
 * @param learningRate base learning rate (schedules scale or replace it per step)
 * @param momentum     momentum for MOMENTUM and RMSPROP
 * @param nesterov     Nesterov momentum (MOMENTUM only)
 * @param beta1        Adam's first-moment decay
 * @param beta2        Adam's second-moment decay
 * @param epsilon      numerical-stability term for ADAM, ADAMW, RMSPROP
 * @param rho          RMSProp's mean-square decay
 * @param weightDecay  decoupled decay for ADAMW, coupled L2 for the others; 0 = none
 */
public record OptimizerConfig(Type type, double learningRate, double momentum, boolean nesterov, double beta1,
                              double beta2, double epsilon, double rho, double weightDecay) {

    /** Update rules. */
    public enum Type {
        /** Plain stochastic gradient descent. */
        SGD,
        /** SGD with heavy-ball or Nesterov momentum. */
        MOMENTUM,
        /** Bias-corrected Adam. */
        ADAM,
        /** Adam with decoupled weight decay. */
        ADAMW,
        /** RMSProp, with optional momentum. */
        RMSPROP
    }

    /** Validates every field; messages name the field. */
    public OptimizerConfig {
        Objects.requireNonNull(type, "optimizer type");
        positive("learning rate", learningRate);
        inUnitInterval("momentum", momentum, true);
        inUnitInterval("beta1", beta1, false);
        inUnitInterval("beta2", beta2, false);
        inUnitInterval("rho", rho, false);
        positive("epsilon", epsilon);
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("optimizer weight decay must be ≥ 0 and finite, got " + weightDecay);
        }
        if (nesterov && type != Type.MOMENTUM) {
            throw new IllegalArgumentException("nesterov applies only to MOMENTUM, not " + type);
        }
    }

    /** The type with its Keras defaults (momentum 0.9, β 0.9/0.999, ε 1e-7, ρ 0.9; AdamW decay 0.01 as PyTorch). */
    public static OptimizerConfig of(Type type, double learningRate) {
        double momentum = type == Type.MOMENTUM ? 0.9 : 0;
        double weightDecay = type == Type.ADAMW ? 0.01 : 0;
        return new OptimizerConfig(type, learningRate, momentum, false, 0.9, 0.999, 1e-7, 0.9, weightDecay);
    }

    /** Plain stochastic gradient descent. */
    public static OptimizerConfig sgd(double learningRate) {
        return of(Type.SGD, learningRate);
    }

    /** SGD with (optionally Nesterov) momentum. */
    public static OptimizerConfig momentum(double learningRate, double momentum, boolean nesterov) {
        return new OptimizerConfig(Type.MOMENTUM, learningRate, momentum, nesterov, 0.9, 0.999, 1e-7, 0.9, 0);
    }

    /** Adam with Keras defaults. */
    public static OptimizerConfig adam(double learningRate) {
        return of(Type.ADAM, learningRate);
    }

    /** AdamW with decoupled weight decay {@code weightDecay}. */
    public static OptimizerConfig adamW(double learningRate, double weightDecay) {
        return of(Type.ADAMW, learningRate).withWeightDecay(weightDecay);
    }

    /** RMSProp with Keras defaults (ρ 0.9, no momentum). */
    public static OptimizerConfig rmsProp(double learningRate) {
        return of(Type.RMSPROP, learningRate);
    }

    /**
     * Parses a name ({@code sgd}, {@code momentum}, {@code nesterov}, {@code adam}, {@code adamw}, {@code rmsprop};
     * case-insensitive) into that optimizer with its defaults.
     */
    public static OptimizerConfig parse(String name, double learningRate) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "sgd" -> sgd(learningRate);
            case "momentum" -> momentum(learningRate, 0.9, false);
            case "nesterov" -> momentum(learningRate, 0.9, true);
            case "adam" -> adam(learningRate);
            case "adamw" -> of(Type.ADAMW, learningRate);
            case "rmsprop" -> rmsProp(learningRate);
            default -> throw new IllegalArgumentException("unknown optimizer '" + name
                    + "'; expected sgd, momentum, nesterov, adam, adamw or rmsprop");
        };
    }

    /** This config with base learning rate {@code rate}, all else unchanged. */
    public OptimizerConfig withLearningRate(double rate) {
        return new OptimizerConfig(type, rate, momentum, nesterov, beta1, beta2, epsilon, rho, weightDecay);
    }

    /** This config with weight decay {@code decay} (decoupled for ADAMW, coupled L2 otherwise; 0 = none). */
    public OptimizerConfig withWeightDecay(double decay) {
        return new OptimizerConfig(type, learningRate, momentum, nesterov, beta1, beta2, epsilon, rho, decay);
    }

    private static void positive(String field, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("optimizer " + field + " must be positive and finite, got " + value);
        }
    }

    private static void inUnitInterval(String field, double value, boolean zeroAllowed) {
        if (!(value >= 0 && value < 1) || (!zeroAllowed && value == 0)) {
            throw new IllegalArgumentException("optimizer " + field + " must be in " + (zeroAllowed ? "[0, 1)" : "(0, 1)")
                    + ", got " + value);
        }
    }
}
