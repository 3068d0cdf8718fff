package org.digitlab.training;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Locale;
import java.util.Objects;

/**
 * A learning-rate schedule as plain serialisable data. All schedules start from the optimizer's learning rate.
 *
 * <p>Text form for {@link #parse(String)} (epochs count from 0 in the formulas):
 * <ul>
 *   <li>{@code constant}</li>
 *   <li>{@code step:N[:gamma]} — ×gamma (default 0.1) every N epochs</li>
 *   <li>{@code exp:gamma} — ×gamma per epoch</li>
 *   <li>{@code cosine[:warmup_epochs[:min_lr]]} — per-step linear warm-up (default 0 epochs, fractions allowed), then
 *       cosine annealing to min_lr (default 0) at the last epoch</li>
 *   <li>{@code onecycle[:max_lr]} — PyTorch's OneCycleLR per step, peaking at max_lr (default: the optimizer's
 *       rate)</li>
 *   <li>{@code plateau[:factor[:patience[:min_lr]]]} — reduce-on-plateau on val_loss: ×factor (default 0.5) after
 *       patience (default 2) epochs without an improvement of more than 1e-4 over the best, never below min_lr
 *       (default 0); shorter-run defaults than Keras' 0.1 / 10</li>
 * </ul>
 *
 * @param kind         which schedule
 * @param stepEpochs   STEP: epochs between decays
 * @param gamma        STEP, EXPONENTIAL: decay factor
 * @param warmupEpochs COSINE: warm-up length in epochs
 * @param minRate      COSINE: final rate; PLATEAU: lower bound
 * @param maxRate      ONE_CYCLE: peak rate, 0 = the optimizer's rate
 * @param factor       PLATEAU: multiplier applied on a plateau
 * @param patience     PLATEAU: epochs without improvement before reducing
 * @param cooldown     PLATEAU: epochs to wait after a reduction before counting again
 * @param minDelta     PLATEAU: improvement over the best that counts
 * @param monitor      PLATEAU: the watched metric
 */
public record ScheduleConfig(Kind kind, int stepEpochs, double gamma, double warmupEpochs, double minRate,
                             double maxRate, double factor, int patience, int cooldown, double minDelta,
                             Monitor monitor) {

    /** Schedule families. */
    public enum Kind {
        /** The optimizer's rate throughout. */
        CONSTANT,
        /** ×{@code gamma} every {@code stepEpochs} epochs. */
        STEP,
        /** ×{@code gamma} per epoch. */
        EXPONENTIAL,
        /** Per-step linear warm-up, then cosine annealing to {@code minRate} at the last epoch. */
        COSINE,
        /** PyTorch's OneCycleLR per step, peaking at {@code maxRate} (0 = the optimizer's rate). */
        ONE_CYCLE,
        /** Reduce-on-plateau, driven by the monitored validation metric (see {@link ReduceLrOnPlateau}). */
        PLATEAU
    }

    /** Validates the fields the kind uses; messages name the field. */
    public ScheduleConfig {
        Objects.requireNonNull(kind, "schedule kind");
        Objects.requireNonNull(monitor, "schedule monitor");
        switch (kind) {
            case STEP -> {
                if (stepEpochs < 1) {
                    throw new IllegalArgumentException("step schedule needs epochs ≥ 1 between decays, got " + stepEpochs);
                }
                checkGamma(gamma);
            }
            case EXPONENTIAL -> checkGamma(gamma);
            case COSINE -> {
                if (!(warmupEpochs >= 0) || Double.isInfinite(warmupEpochs)) {
                    throw new IllegalArgumentException("cosine warm-up epochs must be ≥ 0, got " + warmupEpochs);
                }
                checkNonNegative("cosine min_lr", minRate);
            }
            case ONE_CYCLE -> checkNonNegative("one-cycle max_lr", maxRate);
            case PLATEAU -> {
                if (!(factor > 0 && factor < 1)) {
                    throw new IllegalArgumentException("plateau factor must be in (0, 1), got " + factor);
                }
                if (patience < 0 || cooldown < 0) {
                    throw new IllegalArgumentException("plateau patience and cooldown must be ≥ 0, got "
                            + patience + " and " + cooldown);
                }
                checkNonNegative("plateau min_lr", minRate);
                checkNonNegative("plateau min_delta", minDelta);
            }
            case CONSTANT -> {
            }
        }
    }

    /** The optimizer's learning rate, unchanged for the whole run. */
    public static ScheduleConfig constant() {
        return new ScheduleConfig(Kind.CONSTANT, 1, 1, 0, 0, 0, 0.5, 0, 0, 0, Monitor.VAL_LOSS);
    }

    /** ×gamma every {@code everyEpochs} epochs. */
    public static ScheduleConfig step(int everyEpochs, double gamma) {
        return new ScheduleConfig(Kind.STEP, everyEpochs, gamma, 0, 0, 0, 0.5, 0, 0, 0, Monitor.VAL_LOSS);
    }

    /** ×gamma per epoch. */
    public static ScheduleConfig exponential(double gamma) {
        return new ScheduleConfig(Kind.EXPONENTIAL, 1, gamma, 0, 0, 0, 0.5, 0, 0, 0, Monitor.VAL_LOSS);
    }

    /** Linear warm-up for {@code warmupEpochs}, then cosine annealing to {@code minRate}. */
    public static ScheduleConfig cosine(double warmupEpochs, double minRate) {
        return new ScheduleConfig(Kind.COSINE, 1, 1, warmupEpochs, minRate, 0, 0.5, 0, 0, 0, Monitor.VAL_LOSS);
    }

    /** One-cycle peaking at {@code maxRate} (0 = the optimizer's rate). */
    public static ScheduleConfig oneCycle(double maxRate) {
        return new ScheduleConfig(Kind.ONE_CYCLE, 1, 1, 0, 0, maxRate, 0.5, 0, 0, 0, Monitor.VAL_LOSS);
    }

    /** Reduce-on-plateau on val_loss with min_delta 1e-4 and no cooldown. */
    public static ScheduleConfig plateau(double factor, int patience, double minRate) {
        return new ScheduleConfig(Kind.PLATEAU, 1, 1, 0, minRate, 0, factor, patience, 0, 1e-4, Monitor.VAL_LOSS);
    }

    /** Parses the text form described in the class comment; the message names the bad part. */
    public static ScheduleConfig parse(String text) {
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split(":", -1);
        String name = parts[0];
        int maxArgs = switch (name) {
            case "constant" -> 0;
            case "exp", "exponential", "onecycle", "one-cycle" -> 1;
            case "step", "cosine" -> 2;
            case "plateau" -> 3;
            default -> throw new IllegalArgumentException("unknown schedule '" + text
                    + "'; expected constant, step:N[:gamma], exp:gamma, cosine[:warmup[:min_lr]], onecycle[:max_lr]"
                    + " or plateau[:factor[:patience[:min_lr]]]");
        };
        if (parts.length - 1 > maxArgs) {
            throw new IllegalArgumentException("schedule '" + text + "': " + name + " takes at most " + maxArgs
                    + " argument(s), got " + (parts.length - 1));
        }
        return switch (name) {
            case "constant" -> constant();
            case "step" -> {
                if (parts.length < 2) {
                    throw new IllegalArgumentException("schedule '" + text + "': step needs N, as in step:10:0.5");
                }
                yield step((int) number(text, parts, 1, "epochs", 0), number(text, parts, 2, "gamma", 0.1));
            }
            case "exp", "exponential" -> {
                if (parts.length < 2) {
                    throw new IllegalArgumentException("schedule '" + text + "': exp needs gamma, as in exp:0.95");
                }
                yield exponential(number(text, parts, 1, "gamma", 0));
            }
            case "cosine" -> cosine(number(text, parts, 1, "warmup epochs", 0), number(text, parts, 2, "min_lr", 0));
            case "onecycle", "one-cycle" -> oneCycle(number(text, parts, 1, "max_lr", 0));
            default -> plateau(number(text, parts, 1, "factor", 0.5), (int) number(text, parts, 2, "patience", 2),
                    number(text, parts, 3, "min_lr", 0));
        };
    }

    /** The text form, as accepted by {@link #parse(String)} (plateau's monitor, cooldown and min_delta excepted). */
    public String toText() {
        return switch (kind) {
            case CONSTANT -> "constant";
            case STEP -> "step:" + stepEpochs + ":" + gamma;
            case EXPONENTIAL -> "exp:" + gamma;
            case COSINE -> "cosine:" + warmupEpochs + ":" + minRate;
            case ONE_CYCLE -> maxRate > 0 ? "onecycle:" + maxRate : "onecycle";
            case PLATEAU -> "plateau:" + factor + ":" + patience + ":" + minRate;
        };
    }

    /** Whether this is the stateful reduce-on-plateau schedule (driven by validation, see {@link ReduceLrOnPlateau}). */
    @JsonIgnore
    public boolean isPlateau() {
        return kind == Kind.PLATEAU;
    }

    /**
     * The pure schedule for a run of {@code totalEpochs} epochs starting from {@code baseRate}. For PLATEAU this is
     * the constant starting rate; the reductions come from {@link ReduceLrOnPlateau}.
     */
    public LearningRateSchedule schedule(double baseRate, int totalEpochs) {
        return switch (kind) {
            case CONSTANT, PLATEAU -> LearningRateSchedule.constant(baseRate);
            case STEP -> LearningRateSchedule.step(baseRate, stepEpochs, gamma);
            case EXPONENTIAL -> LearningRateSchedule.exponential(baseRate, gamma);
            case COSINE -> LearningRateSchedule.cosine(baseRate, totalEpochs, warmupEpochs, minRate);
            case ONE_CYCLE -> LearningRateSchedule.oneCycle(maxRate > 0 ? maxRate : baseRate, totalEpochs);
        };
    }

    private static double number(String text, String[] parts, int index, String what, double fallback) {
        if (index >= parts.length || parts[index].isEmpty()) {
            return fallback;
        }
        try {
            double value = Double.parseDouble(parts[index]);
            if (!Double.isFinite(value)) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("schedule '" + text + "': " + what + " must be a number, got '"
                    + parts[index] + "'", e);
        }
    }

    private static void checkGamma(double gamma) {
        if (!(gamma > 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("schedule gamma must be positive, got " + gamma);
        }
    }

    private static void checkNonNegative(String field, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(field + " must be ≥ 0 and finite, got " + value);
        }
    }
}
