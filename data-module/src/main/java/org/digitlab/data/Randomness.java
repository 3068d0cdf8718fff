package org.digitlab.data;

import java.util.SplittableRandom;

/** Seeded randomness shared by splits and batch sampling, so each draw is a pure function of its seeds. */
final class Randomness {
    /** Salt for {@link StratifiedSplit}, so a split and the batches of a run with the same seed are unrelated. */
    static final long SPLIT = 0x5EED_5B11_7000_0001L;
    /** Salt for {@link BatchSampler}. */
    static final long BATCHES = 0xBA7C_4E50_0000_0002L;
    /** Salt for {@link StratifiedSplit#sample}. */
    static final long SAMPLE = 0x5A3B_1E00_0000_0003L;

    /**
     * A generator for stream {@code stream} (a class, an epoch) of {@code seed} for one use ({@link #SPLIT},
     * {@link #BATCHES}); a pure function of its arguments.
     */
    static SplittableRandom forStream(long seed, long use, long stream) {
        return new SplittableRandom(mix64(mix64(seed ^ use) + stream * 0x9E3779B97F4A7C15L));
    }

    /** Fisher–Yates shuffle of {@code values[from, to)}. */
    static void shuffle(int[] values, int from, int to, SplittableRandom random) {
        for (int i = to - 1; i > from; i--) {
            int j = from + random.nextInt(i - from + 1);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }

    private Randomness() {
    }

    // MurmurHash3's 64-bit finaliser: nearby seeds (1, 2, 3 …) give unrelated streams.
    private static long mix64(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb34fe1a85ec3L;
        return z ^ (z >>> 33);
    }
}
