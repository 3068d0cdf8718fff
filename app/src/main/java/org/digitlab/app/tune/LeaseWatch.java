package org.digitlab.app.tune;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One worker's view of other workers' leases over time: a lease has expired when it showed the same state (holder
 * and beat, {@link Lease#state}) at two looks at least a lease apart by this worker's own monotonic clock. No two
 * machines' clocks are ever compared, so skewed clocks cannot expire a live lease.
 */
final class LeaseWatch {
    private final LongSupplier nanoTime;
    private final Map<Path, Seen> seen = new HashMap<>();

    private record Seen(String state, long since) {
    }

    /** A watch on {@code nanoTime} (e.g. {@code System::nanoTime}). */
    LeaseWatch(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /**
     * Records that the lease at {@code dir} shows {@code state} now; returns whether it has shown it, unchanged, for
     * at least {@code leaseSeconds}.
     */
    boolean expired(Path dir, String state, double leaseSeconds) {
        long now = nanoTime.getAsLong();
        Seen before = seen.get(dir);
        if (before == null || !before.state().equals(state)) {
            seen.put(dir, new Seen(state, now));
            return false;
        }
        return now - before.since() >= leaseSeconds * 1e9;
    }

    /** Forgets {@code dir} (its lease was taken over or let go). */
    void forget(Path dir) {
        seen.remove(dir);
    }
}
