package org.digitlab.app.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.digitlab.app.AppFiles;
import org.digitlab.app.DirectoryLock;
import org.digitlab.app.model.ModelDirectory;
import org.digitlab.app.model.TestReportWriter;
import org.digitlab.data.CannotWriteException;
import org.digitlab.data.OutputFiles;
import org.digitlab.training.Trainer;

/**
 * The directory of one training run ({@code digitlab train --out DIR}) and the files {@code train} writes itself
 * (the test report comes from {@link org.digitlab.app.model.TestReportWriter}, the checkpoints from the trainer).
 * Every file is written to a temp file of its own in the same directory and renamed into place, and {@code model/}
 * is exported to a temp directory first, so a killed run never leaves a half-written output behind. While a run
 * writes it, the directory is locked ({@link DirectoryLock}); a run that never completed an epoch is recognised, so
 * a retry starts over in it instead of being refused.
 */
final class RunDirectory implements AutoCloseable {
    static final String CONFIG = "config.json";
    static final String HISTORY = "history.csv";
    /** What a run writes into its directory: what starting over removes (nothing else of the user's). */
    private static final List<String> RUN_FILES = List.of(CONFIG, Manifest.FILE, HISTORY, TestReportWriter.METRICS,
            TestReportWriter.REPORT, TestReportWriter.CONFUSION, TestReportWriter.PREDICTIONS, TestReportWriter.PLOTS,
            ModelDirectory.SAVED_MODEL, ModelDirectory.MODEL_SPEC, ModelDirectory.NORMALIZATION,
            ModelDirectory.DATASET, ModelDirectory.CHECKSUMS, "checkpoints", TrainingRun.TENSORBOARD);

    /** Where a run directory stands. */
    enum State {
        /** No run files: a new run may start here. */
        EMPTY,
        /** A run that failed or was stopped before its first checkpoint: nothing to resume, a retry starts over. */
        NEVER_COMPLETED,
        /** A run with at least one epoch's checkpoint: {@code --resume} continues it. */
        RESUMABLE
    }

    private final Path dir;
    private final String command;
    private DirectoryLock lock;

    /**
     * @param command what this process does there, recorded in the lock for whoever finds the directory in use
     */
    RunDirectory(Path dir, String command) {
        this.dir = dir;
        this.command = command;
    }

    Path dir() {
        return dir;
    }

    Path resolve(String name) {
        return dir.resolve(name);
    }

    void writeJson(String name, Object value) {
        AppFiles.writeJson(dir.resolve(name), value);
    }

    /** Where the run stands; see {@link State}. */
    State state() {
        if (Trainer.hasCheckpoint(dir)) {
            return State.RESUMABLE;
        }
        return RUN_FILES.stream().anyMatch(name -> Files.exists(dir.resolve(name), LinkOption.NOFOLLOW_LINKS))
                ? State.NEVER_COMPLETED : State.EMPTY;
    }

    /**
     * Creates the directory if needed and locks it for this process, for as long as this object is open; a second
     * call keeps the lock.
     *
     * @throws IllegalArgumentException naming the holder when another process writes the directory
     */
    void lock() {
        if (lock == null) {
            lock = DirectoryLock.acquire(dir, "run directory", command);
        }
    }

    /** Locks the directory and refuses it when it holds a run that {@code --resume} can continue. */
    void refuseResumable() {
        lock();
        if (state() == State.RESUMABLE) {
            throw new IllegalArgumentException("run directory " + dir + " already holds a run; continue it with "
                    + "--resume " + dir + " or choose another --out");
        }
    }

    /**
     * Locks the directory, refuses it when it holds a resumable run, and clears a run there that never completed
     * an epoch (saying so on {@code err}), so a new run can start.
     */
    void prepareForNewRun(PrintWriter err) {
        refuseResumable();
        if (state() == State.NEVER_COMPLETED) {
            err.println("note: " + dir + " held a run that never completed an epoch (it failed or was stopped "
                    + "before its first checkpoint); starting over in it");
            err.flush();
        }
        clear();
    }

    /**
     * With the directory locked: refuses, in one line saying what to do, a directory that holds no run to
     * continue.
     */
    void requireResumable() {
        lock();
        switch (state()) {
            case EMPTY -> throw new IllegalArgumentException("cannot resume " + dir + ": it holds no training run "
                    + "(no checkpoints/); give the directory 'digitlab train --out' wrote");
            case NEVER_COMPLETED -> throw new IllegalArgumentException("cannot resume " + dir + ": its run never "
                    + "completed an epoch (it failed or was stopped before its first checkpoint), so there is nothing"
                    + " to continue; start it again with " + (Files.isRegularFile(dir.resolve(CONFIG))
                    ? "'digitlab train --config " + dir.resolve(CONFIG) + " --out " + dir + "'"
                    : "the command that started it"));
            default -> {
            }
        }
    }

    /** Removes the run files and temp leftovers; the user's own files (and the lock) stay. */
    private void clear() {
        try {
            for (String name : RUN_FILES) {
                OutputFiles.deleteTree(dir.resolve(name));
            }
            try (Stream<Path> entries = Files.list(dir)) {
                for (Path leftover : entries.filter(RunDirectory::isLeftover).toList()) {
                    OutputFiles.deleteTree(leftover);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot clear the failed run in " + dir + ": "
                    + CannotWriteException.reason(e), e);
        }
    }

    private static boolean isLeftover(Path entry) {
        String name = entry.getFileName().toString();
        return name.startsWith(".") && (name.endsWith(OutputFiles.TEMP_SUFFIX) || name.endsWith(".old"));
    }

    /** Lets the lock go. */
    @Override
    public void close() {
        if (lock != null) {
            lock.close();
            lock = null;
        }
    }
}
