package org.digitlab.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded shuffled mini-batches. {@link #epoch(int)} is a pure function of the seed and the epoch number, with no
 * hidden generator state, so a run resumed at epoch {@code e} sees exactly the batches an uninterrupted run would.
 *
 * <p>Plain sampling visits every sample once per epoch in a fresh Fisher–Yates order. Class-balanced sampling
 * instead draws {@code N} samples per epoch with replacement, each class equally likely (a sample's weight is
 * 1 / its class count), for training on imbalanced data.
 */
public final class BatchSampler {

    /** What to do with the last, smaller batch of an epoch. */
    public enum LastBatch {
        /** Keep it: every sample is visited each epoch. */
        KEEP,
        /** Drop it: every batch has exactly the batch size. */
        DROP
    }

    private final int size;
    private final int batchSize;
    private final long seed;
    private final LastBatch lastBatch;
    /** Sample indices grouped by class, and where each non-empty class starts; null unless class-balanced. */
    private final int[] byClass;
    private final int[] classStart;

    private BatchSampler(int size, int[] labels, int batchSize, long seed, LastBatch lastBatch, boolean classBalanced) {
        if (size <= 0) {
            throw new IllegalArgumentException("cannot sample batches from an empty dataset");
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        if (lastBatch == null) {
            throw new IllegalArgumentException("last-batch policy must be given (KEEP or DROP)");
        }
        if (lastBatch == LastBatch.DROP && batchSize > size) {
            throw new IllegalArgumentException("batch size " + batchSize + " exceeds the " + size
                    + " samples; with LastBatch.DROP every epoch would be empty");
        }
        this.size = size;
        this.batchSize = batchSize;
        this.seed = seed;
        this.lastBatch = lastBatch;
        if (classBalanced) {
            int numClasses = Arrays.stream(labels).max().orElse(0) + 1;
            int[] counts = new int[numClasses];
            for (int label : labels) {
                if (label < 0) {
                    throw new IllegalArgumentException("labels must be ≥ 0, got " + label);
                }
                counts[label]++;
            }
            // Only classes that have samples take part, each with its own [start, end) range in byClass.
            int[] starts = new int[numClasses + 1];
            int present = 0;
            for (int c = 0; c < numClasses; c++) {
                if (counts[c] > 0) {
                    starts[present + 1] = starts[present] + counts[c];
                    counts[c] = present++;
                } else {
                    counts[c] = -1;
                }
            }
            this.classStart = Arrays.copyOf(starts, present + 1);
            this.byClass = new int[size];
            int[] fill = Arrays.copyOf(starts, present);
            for (int i = 0; i < size; i++) {
                byClass[fill[counts[labels[i]]]++] = i;
            }
        } else {
            this.classStart = null;
            this.byClass = null;
        }
    }

    /** Shuffled batches over all samples of {@code dataset}, optionally class-balanced by its labels. */
    public static BatchSampler of(Dataset dataset, int batchSize, long seed, LastBatch lastBatch,
                                  boolean classBalanced) {
        return new BatchSampler(dataset.size(), dataset.labels(), batchSize, seed, lastBatch, classBalanced);
    }

    /** Shuffled batches over samples labelled {@code labels} (one per sample), optionally class-balanced. */
    public static BatchSampler of(int[] labels, int batchSize, long seed, LastBatch lastBatch, boolean classBalanced) {
        return new BatchSampler(labels.length, labels, batchSize, seed, lastBatch, classBalanced);
    }

    /** Shuffled batches over sample indices {@code 0 … size−1} (no labels, so no class balancing). */
    public static BatchSampler shuffled(int size, int batchSize, long seed, LastBatch lastBatch) {
        return new BatchSampler(size, null, batchSize, seed, lastBatch, false);
    }

    /** Number of samples per epoch (the dataset size). */
    public int size() {
        return size;
    }

    /** Samples per batch; with {@link LastBatch#KEEP} an epoch's last batch may be smaller. */
    public int batchSize() {
        return batchSize;
    }

    /** The seed every epoch's order is derived from. */
    public long seed() {
        return seed;
    }

    /** What happens to an epoch's last, smaller batch. */
    public LastBatch lastBatch() {
        return lastBatch;
    }

    /** Whether epochs draw class-balanced samples with replacement instead of a permutation. */
    public boolean classBalanced() {
        return byClass != null;
    }

    /** Batches in every epoch: ⌈N / batch⌉ with {@link LastBatch#KEEP}, ⌊N / batch⌋ with {@link LastBatch#DROP}. */
    public int batchesPerEpoch() {
        return lastBatch == LastBatch.KEEP ? (size + batchSize - 1) / batchSize : size / batchSize;
    }

    /**
     * The sample indices of each batch of epoch {@code epochIndex} (0-based), in order.
     *
     * @throws IllegalArgumentException if {@code epochIndex} is negative
     */
    public int[][] epoch(int epochIndex) {
        if (epochIndex < 0) {
            throw new IllegalArgumentException("epoch index must be ≥ 0, got " + epochIndex);
        }
        SplittableRandom random = Randomness.forStream(seed, Randomness.BATCHES, epochIndex);
        int[] order = byClass == null ? permutation(random) : balancedDraw(random);
        int[][] batches = new int[batchesPerEpoch()][];
        for (int b = 0; b < batches.length; b++) {
            int from = b * batchSize;
            batches[b] = Arrays.copyOfRange(order, from, Math.min(from + batchSize, size));
        }
        return batches;
    }

    private int[] permutation(SplittableRandom random) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Randomness.shuffle(order, 0, size, random);
        return order;
    }

    private int[] balancedDraw(SplittableRandom random) {
        int classes = classStart.length - 1;
        int[] draw = new int[size];
        for (int i = 0; i < size; i++) {
            int c = random.nextInt(classes);
            draw[i] = byClass[random.nextInt(classStart[c], classStart[c + 1])];
        }
        return draw;
    }
}
