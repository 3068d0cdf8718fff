package org.digitlab.training;

import java.util.Objects;
import org.digitlab.data.BatchSampler;

/**
 * Everything that shapes a training run except the model and data, as plain serialisable data.
 *
 * @param epochs         number of epochs in all (a resumed run continues up to this)
 * @param batchSize      samples per training step
 * @param optimizer      update rule and base learning rate
 * @param schedule       learning-rate schedule
 * @param earlyStopping  early stopping, or null for none
 * @param clipNorm       clip gradients by global norm to this value; 0 = off
 * @param seed           seed for initialisation, batch order, dropout and augmentation
 * @param deterministic  one intra- and inter-op thread, so a run (and a resumed run) is bit-for-bit repeatable
 * @param device         where to run
 * @param augmentShift   maximum random translation in pixels applied to training images; 0 = off
 * @param augmentFlip    mirror each training image left-right with probability 1/2 (Keras'
 *                       {@code RandomFlip("horizontal")}); for data without a handedness, such as clothes
 * @param augmentCrop    pad training images by this many reflected pixels per side, then crop a random window of
 *                       the original size (torchvision's {@code RandomCrop(size, padding, padding_mode="reflect")});
 *                       {@code augmentShift} with mirrored instead of black borders, so at most one of them is set;
 *                       0 = off
 * @param augmentRotate  rotate each training image by a random angle in ±this many degrees (positive is
 *                       counter-clockwise), bilinear, black outside the image; 0 = off
 * @param augmentScale   zoom each training image by a random factor in 1 ± this fraction, with the rotation as one
 *                       affine transform about the image centre; 0 = off
 * @param augmentErase   probability of random erasing (Zhong et al. 2017; torchvision's {@code RandomErasing}): a
 *                       rectangle of 2–33 % of the image with aspect ratio 0.3–3.3 is set to black; 0 = off
 * @param labelSmoothing share ε of each target spread evenly over all K classes (1 − ε + ε/K for the true
 *                       class, ε/K for the others), as in Keras' and PyTorch's cross-entropy; 0 = off
 * @param lastBatch      keep or drop each epoch's last, smaller batch
 * @param keep           which weights the run ends with (the best epoch's by default); null means that default
 * @param stepsPerCall   training steps run by one session call (Keras' {@code steps_per_execution}): fewer calls,
 *                       the same result; listeners then see the steps in groups of this size; 0 means 1
 * @param precision      float32, or mixed bfloat16 arithmetic on CPUs ({@link Precision}); null means float32
 */
public record TrainingConfig(int epochs, int batchSize, OptimizerConfig optimizer, ScheduleConfig schedule,
                             EarlyStoppingConfig earlyStopping, double clipNorm, long seed, boolean deterministic,
                             Device device, int augmentShift, boolean augmentFlip, int augmentCrop,
                             double augmentRotate, double augmentScale, double augmentErase, double labelSmoothing,
                             BatchSampler.LastBatch lastBatch, KeepWeights keep, int stepsPerCall,
                             Precision precision) {

    /** Each step of a call is a copy of the step's ops in the graph: beyond this the graph, not the call, costs. */
    public static final int MAX_STEPS_PER_CALL = 256;

    /** Validates; messages name the field. */
    public TrainingConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be ≥ 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be ≥ 1, got " + batchSize);
        }
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(lastBatch, "lastBatch");
        if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
            throw new IllegalArgumentException("clip norm must be ≥ 0 and finite (0 = off), got " + clipNorm);
        }
        if (augmentShift < 0) {
            throw new IllegalArgumentException("augment shift must be ≥ 0 pixels, got " + augmentShift);
        }
        if (augmentCrop < 0) {
            throw new IllegalArgumentException("augment crop must be ≥ 0 pixels, got " + augmentCrop);
        }
        if (augmentCrop > 0 && augmentShift > 0) {
            throw new IllegalArgumentException("augment crop (reflected borders) and augment shift (black borders)"
                    + " are one transform: give one of them, got crop " + augmentCrop + " and shift " + augmentShift);
        }
        if (!(augmentRotate >= 0 && augmentRotate <= 180)) {
            throw new IllegalArgumentException("augment rotate must be in [0, 180] degrees, got " + augmentRotate);
        }
        if (!(augmentScale >= 0 && augmentScale < 1)) {
            throw new IllegalArgumentException("augment scale must be in [0, 1), got " + augmentScale);
        }
        if (!(augmentErase >= 0 && augmentErase <= 1)) {
            throw new IllegalArgumentException("augment erase must be a probability in [0, 1], got " + augmentErase);
        }
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1), got " + labelSmoothing);
        }
        stepsPerCall = stepsPerCall == 0 ? 1 : stepsPerCall;
        if (stepsPerCall < 1 || stepsPerCall > MAX_STEPS_PER_CALL) {
            throw new IllegalArgumentException("steps per call must be between 1 and " + MAX_STEPS_PER_CALL
                    + ", got " + stepsPerCall);
        }
        keep = keep == null ? KeepWeights.bestEpoch() : keep;
        precision = precision == null ? Precision.FLOAT32 : precision;
        if (keep.monitor() != null && earlyStopping != null && keep.monitor() != earlyStopping.monitor()) {
            throw new IllegalArgumentException("keep " + keep + " differs from early stopping's monitor "
                    + earlyStopping.monitor().key() + "; keep best follows it, so give keep best (or last)");
        }
    }

    /**
     * The reference recipe: 5 epochs, batch 64, Adam 1e-3, constant rate, no early stopping, no clipping, seed 42,
     * AUTO device, no augmentation, no label smoothing, keep the last batch, end with the best epoch's weights,
     * float32.
     */
    public static TrainingConfig defaults() {
        return new TrainingConfig(5, 64, OptimizerConfig.adam(1e-3), ScheduleConfig.constant(), null, 0, 42, false,
                Device.AUTO, 0, false, 0, 0, 0, 0, 0, BatchSampler.LastBatch.KEEP, KeepWeights.bestEpoch(), 1,
                Precision.FLOAT32);
    }

    /** This config with {@code n} epochs. */
    public TrainingConfig withEpochs(int n) {
        return new TrainingConfig(n, batchSize, optimizer, schedule, earlyStopping, clipNorm, seed, deterministic,
                device, augmentShift, augmentFlip, augmentCrop, augmentRotate, augmentScale,
                augmentErase, labelSmoothing, lastBatch, keep, stepsPerCall, precision);
    }

    /** This config with {@code n} samples per batch. */
    public TrainingConfig withBatchSize(int n) {
        return new TrainingConfig(epochs, n, optimizer, schedule, earlyStopping, clipNorm, seed, deterministic,
                device, augmentShift, augmentFlip, augmentCrop, augmentRotate, augmentScale,
                augmentErase, labelSmoothing, lastBatch, keep, stepsPerCall, precision);
    }

    /** This config with optimizer {@code o}. */
    public TrainingConfig withOptimizer(OptimizerConfig o) {
        return new TrainingConfig(epochs, batchSize, o, schedule, earlyStopping, clipNorm, seed, deterministic,
                device, augmentShift, augmentFlip, augmentCrop, augmentRotate, augmentScale,
                augmentErase, labelSmoothing, lastBatch, keep, stepsPerCall, precision);
    }

    /** This config with learning-rate schedule {@code s}. */
    public TrainingConfig withSchedule(ScheduleConfig s) {
        return new TrainingConfig(epochs, batchSize, optimizer, s, earlyStopping, clipNorm, seed, deterministic,
                device, augmentShift, augmentFlip, augmentCrop, augmentRotate, augmentScale,
                augmentErase, labelSmoothing, lastBatch, keep, stepsPerCall, precision);
    }

    /** With early stopping {@code e}, or none for null. */
    public TrainingConfig withEarlyStopping(EarlyStoppingConfig e) {
        return new TrainingConfig(epochs, batchSize, optimizer, schedule, e, clipNorm, seed, deterministic, device,
                augmentShift, augmentFlip, augmentCrop, augmentRotate, augmentScale, augmentErase,
                labelSmoothing, lastBatch, keep, stepsPerCall, precision);
    }

    /** This config clipping gradients to global norm {@code c}; 0 = off. */
    public TrainingConfig withClipNorm(double c) {
        return new TrainingConfig(epochs, batchSize, optimizer, schedule, earlyStopping, c, seed, deterministic,
                device, augmentShift, augmentFlip, augmentCrop, augmentRotate, augmentScale,
                augmentErase, labelSmoothing, lastBatch, keep, stepsPerCall, precision);
    }

    /** This config with seed {@code s}. */
    public TrainingConfig withSeed(long s) {
        return new TrainingConfig(epochs, batchSize, optimizer, schedule, earlyStopping, clipNorm, s, deterministic,
                device, augmentShift, augmentFlip, augmentCrop, augmentRotate, augmentScale,
                augmentErase, labelSmoothing, lastBatch, keep, stepsPerCall, precision);
    }

    /** This config with bit-for-bit repeatable, single-threaded execution on or off. */
    public TrainingConfig withDeterministic(boolean d) {
        return new TrainingConfig(epochs, batchSize, optimizer, schedule, earlyStopping, clipNorm, seed, d, device,
                augmentShift, augmentFlip, augmentCrop, augmentRotate, augmentScale, augmentErase,
                labelSmoothing, lastBatch, keep, stepsPerCall, precision);
    }

    /** This config running on {@code d}. */
    public TrainingConfig withDevice(Device d) {
        return new TrainingConfig(epochs, batchSize, optimizer, schedule, earlyStopping, clipNorm, seed,
                deterministic, d, augmentShift, augmentFlip, augmentCrop, augmentRotate, augmentScale,
                augmentErase, labelSmoothing, lastBatch, keep, stepsPerCall, precision);
    }

    /** This config with random shifts of up to {@code pixels} pixels; 0 = off. */
    public TrainingConfig withAugmentShift(int pixels) {
        return new TrainingConfig(epochs, batchSize, optimizer, schedule, earlyStopping, clipNorm, seed,
                deterministic, device, pixels, augmentFlip, augmentCrop, augmentRotate, augmentScale,
                augmentErase, labelSmoothing, lastBatch, keep, stepsPerCall, precision);
    }

    /** This config with random left-right flips on or off. */
    public TrainingConfig withAugmentFlip(boolean flip) {
        return new TrainingConfig(epochs, batchSize, optimizer, schedule, earlyStopping, clipNorm, seed,
                deterministic, device, augmentShift, flip, augmentCrop, augmentRotate, augmentScale,
                augmentErase, labelSmoothing, lastBatch, keep, stepsPerCall, precision);
    }

    /** This config with label smoothing {@code epsilon}, in [0, 1); 0 = off. */
    public TrainingConfig withLabelSmoothing(double epsilon) {
        return new TrainingConfig(epochs, batchSize, optimizer, schedule, earlyStopping, clipNorm, seed,
                deterministic, device, augmentShift, augmentFlip, augmentCrop, augmentRotate,
                augmentScale, augmentErase, epsilon, lastBatch, keep, stepsPerCall, precision);
    }

    /** This config keeping or dropping each epoch's last, smaller batch as {@code l} says. */
    public TrainingConfig withLastBatch(BatchSampler.LastBatch l) {
        return new TrainingConfig(epochs, batchSize, optimizer, schedule, earlyStopping, clipNorm, seed,
                deterministic, device, augmentShift, augmentFlip, augmentCrop, augmentRotate,
                augmentScale, augmentErase, labelSmoothing, l, keep, stepsPerCall, precision);
    }

    /** This config with random crops of the image padded by {@code pixels} reflected pixels; 0 = off. */
    public TrainingConfig withAugmentCrop(int pixels) {
        return new TrainingConfig(epochs, batchSize, optimizer, schedule, earlyStopping, clipNorm, seed,
                deterministic, device, augmentShift, augmentFlip, pixels, augmentRotate, augmentScale, augmentErase,
                labelSmoothing, lastBatch, keep, stepsPerCall, precision);
    }

    /** This config with random rotations of up to ± {@code degrees}; 0 = off. */
    public TrainingConfig withAugmentRotate(double degrees) {
        return new TrainingConfig(epochs, batchSize, optimizer, schedule, earlyStopping, clipNorm, seed,
                deterministic, device, augmentShift, augmentFlip, augmentCrop, degrees, augmentScale, augmentErase,
                labelSmoothing, lastBatch, keep, stepsPerCall, precision);
    }

    /** This config with random zooms by a factor in 1 ± {@code fraction}; 0 = off. */
    public TrainingConfig withAugmentScale(double fraction) {
        return new TrainingConfig(epochs, batchSize, optimizer, schedule, earlyStopping, clipNorm, seed,
                deterministic, device, augmentShift, augmentFlip, augmentCrop, augmentRotate, fraction, augmentErase,
                labelSmoothing, lastBatch, keep, stepsPerCall, precision);
    }

    /** This config erasing a random rectangle of each training image with probability {@code p}; 0 = off. */
    public TrainingConfig withAugmentErase(double p) {
        return new TrainingConfig(epochs, batchSize, optimizer, schedule, earlyStopping, clipNorm, seed,
                deterministic, device, augmentShift, augmentFlip, augmentCrop, augmentRotate, augmentScale, p,
                labelSmoothing, lastBatch, keep, stepsPerCall, precision);
    }

    /** This config ending with the weights {@code k} says. */
    public TrainingConfig withKeep(KeepWeights k) {
        return new TrainingConfig(epochs, batchSize, optimizer, schedule, earlyStopping, clipNorm, seed,
                deterministic, device, augmentShift, augmentFlip, augmentCrop, augmentRotate, augmentScale,
                augmentErase, labelSmoothing, lastBatch, k, stepsPerCall, precision);
    }

    /** This config running {@code k} training steps per session call. */
    public TrainingConfig withStepsPerCall(int k) {
        return new TrainingConfig(epochs, batchSize, optimizer, schedule, earlyStopping, clipNorm, seed,
                deterministic, device, augmentShift, augmentFlip, augmentCrop, augmentRotate, augmentScale,
                augmentErase, labelSmoothing, lastBatch, keep, k, precision);
    }

    /** This config computing in {@code p}. */
    public TrainingConfig withPrecision(Precision p) {
        return new TrainingConfig(epochs, batchSize, optimizer, schedule, earlyStopping, clipNorm, seed,
                deterministic, device, augmentShift, augmentFlip, augmentCrop, augmentRotate, augmentScale,
                augmentErase, labelSmoothing, lastBatch, keep, stepsPerCall, p);
    }
}
