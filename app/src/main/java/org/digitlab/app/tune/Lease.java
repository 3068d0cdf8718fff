package org.digitlab.app.tune;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.digitlab.app.AppFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lease on a job, held as a directory: taken with an exclusive {@code mkdir} (atomic on local file systems and
 * on NFS, where the server decides), described by {@code holder.json}, and renewed by its holder rewriting its own
 * {@code beat-WORKER} file every lease/6 seconds from a background thread. Others judge a lease by whether its
 * beat changes (see {@link LeaseWatch}), never by comparing clocks. A lease that stopped beating is taken over by
 * renaming its directory aside (atomic: one renamer wins) and taking a new one.
 *
 * <p>Fencing: a holder that was only slow, not dead, finds at its next beat or check that {@code holder.json} is
 * gone or names another worker, and then must stop writing: {@link #check} throws {@link Lost}, which the training
 * loop sees at its next step.
 */
final class Lease implements AutoCloseable {
    static final String HOLDER = "holder.json";
    private static final String BEAT = "beat-";
    private static final Logger LOG = LoggerFactory.getLogger(Lease.class);

    /** Thrown where a worker finds that its lease was taken over: it must abandon the job. */
    static final class Lost extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Lost(Path dir) {
            super("lease " + dir + " was taken over by another worker or let go");
        }
    }

    private final Path dir;
    private final Holder holder;
    private final ScheduledFuture<?> heartbeat;
    private long beats;
    private volatile boolean closed;
    private volatile boolean lost;

    private Lease(Path dir, Holder holder, ScheduledExecutorService timer) {
        this.dir = dir;
        this.holder = holder;
        long period = Math.max(50, Math.round(holder.leaseSeconds() * 1000 / 6));
        this.heartbeat = timer.scheduleWithFixedDelay(this::renew, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Takes the lease at {@code dir}, or returns null when another worker holds it.
     *
     * @param timer runs the heartbeat
     */
    static Lease tryAcquire(Path dir, Holder holder, ScheduledExecutorService timer) {
        try {
            Files.createDirectories(dir.getParent());
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create lease " + dir + ": " + e.getMessage(), e);
        }
        AppFiles.writeJson(dir.resolve(HOLDER), holder);
        writeBeat(dir, holder.worker(), 0);
        return new Lease(dir, holder, timer);
    }

    /** The holder of the lease at {@code dir}, or null when there is none (or it is being taken or let go). */
    static Holder holder(Path dir) {
        try {
            return AppFiles.JSON.readValue(dir.resolve(HOLDER).toFile(), Holder.class);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * What an observer compares over time: the holder and its last beat (empty parts while either is missing).
     * It changes with every renewal and every change of holder.
     */
    static String state(Path dir) {
        String holderText = read(dir.resolve(HOLDER));
        Holder h = holder(dir);
        return holderText + "\n" + (h == null ? "" : read(dir.resolve(BEAT + h.worker())));
    }

    /** The holder's last beat time, or null. */
    static Instant lastBeat(Path dir) {
        Holder h = holder(dir);
        String beat = h == null ? "" : read(dir.resolve(BEAT + h.worker())).trim();
        int space = beat.indexOf(' ');
        try {
            return space < 0 ? null : Instant.parse(beat.substring(space + 1));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Takes over the lease at {@code dir} if it still shows {@code observed} (what {@link #state} showed while it
     * did not change for a whole lease): renames it aside and deletes it. Returns whether this call removed it.
     */
    static boolean breakExpired(Path dir, String observed) {
        if (!state(dir).equals(observed)) {
            return false;
        }
        Path aside = dir.resolveSibling(".expired-" + UUID.randomUUID());
        try {
            Files.move(dir, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot take over lease " + dir + ": " + e.getMessage(), e);
        }
        deleteQuietly(aside);
        return true;
    }

    /** Who holds this lease. */
    Holder holder() {
        return holder;
    }

    /**
     * Throws {@link Lost} when the lease was taken over; with {@code reread}, reads {@code holder.json} again first
     * (a file read), otherwise only looks at what the heartbeat found (a field read, cheap enough per step).
     */
    void check(boolean reread) {
        if (!lost && reread && !mine()) {
            lost = true;
        }
        if (lost || closed) {
            throw new Lost(dir);
        }
    }

    /**
     * Stops the heartbeat and lets the lease go (unless it was lost); the directory is renamed aside first. The
     * holder's later {@link #check}s throw {@link Lost}. Idempotent.
     */
    @Override
    public synchronized void close() {
        heartbeat.cancel(false);
        boolean release = !closed && !lost && mine();
        closed = true;
        if (!release) {
            return;
        }
        Path aside = dir.resolveSibling(".released-" + UUID.randomUUID());
        try {
            Files.move(dir, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release lease " + dir + ": " + e.getMessage(), e);
        }
        deleteQuietly(aside);
    }

    private synchronized void renew() {
        if (lost || closed) {
            return;
        }
        try {
            if (!mine()) {
                lost = true;
                LOG.warn("lease {} was taken over; abandoning the job", dir);
                return;
            }
            writeBeat(dir, holder.worker(), ++beats);
        } catch (RuntimeException e) {
            // A failed renewal is retried at the next beat; after a whole lease of them others take the job over.
            LOG.warn("cannot renew lease {}: {}", dir, e.getMessage());
        }
    }

    private boolean mine() {
        Holder now = holder(dir);
        return now != null && now.worker().equals(holder.worker());
    }

    /**
     * Rewrites the beat file in place (same inode): with NFS's close-to-open consistency a reader that opens it
     * after this closes it sees the new content.
     */
    private static void writeBeat(Path dir, String worker, long count) {
        try {
            Files.writeString(dir.resolve(BEAT + worker), count + " " + Instant.now() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(BEAT + worker) + ": " + e.getMessage(), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteQuietly(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.debug("cannot delete {}: {}", root, e.getMessage());
        }
    }
}
