package org.digitlab.training;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.digitlab.data.CannotWriteException;
import org.digitlab.data.Checksums;
import org.digitlab.data.InvalidDataException;
import org.digitlab.data.Normalization;
import org.digitlab.data.OutputFiles;
import org.digitlab.data.UserFiles;
import org.digitlab.model.ModelSpec;
import org.digitlab.model.StrictJson;

/**
 * The checkpoint directory of a run: {@code run.json} (model spec, normalisation, training config) and one
 * directory per kept epoch, {@code epoch-NNNN/} holding the variables, {@code state.json} and, written last,
 * {@code checksums.sha256} (the SHA-256 of each of its files, as {@code sha256sum} writes them). Each epoch
 * directory is written under a temp name and renamed when complete, so a crash never leaves a half checkpoint that
 * resume would pick up, and its checksums are verified before TensorFlow reads it, so a damaged one is named and
 * skipped. {@code run.json} has a {@code checksums.sha256} of its own beside it. The latest epoch, the one before it
 * and the best one are kept.
 */
final class RunFiles {
    static final String RUN_FILE = "run.json";
    static final String STATE_FILE = "state.json";
    static final String WEIGHTS = "weights";
    /** The checksum file of each epoch directory and of {@code run.json}. */
    static final String CHECKSUMS = "checksums.sha256";
    private static final Pattern EPOCH_DIR = Pattern.compile("epoch-(\\d+)");
    /** state.json grows with the history (a few hundred bytes an epoch); this allows some 100,000 epochs. */
    private static final long JSON_LIMIT = 64L << 20;
    private static final ObjectMapper JSON = StrictJson.strict(JsonMapper.builder())
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // Runs written before per-channel normalisation stored one mean and std as plain numbers.
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .build();

    /** What {@code run.json} holds: enough to rebuild the trainer. */
    record Run(ModelSpec spec, Normalization normalization, TrainingConfig config) {
    }

    /**
     * What {@code state.json} holds: where the run stands after {@code epoch} completed epochs.
     *
     * @param stopReason null while the run may continue
     */
    record State(int epoch, long globalStep, History history, ReduceLrOnPlateau.State plateau,
                 EarlyStopping.State best, double trainSeconds, String stopReason) {
    }

    private final Path dir;

    RunFiles(Path runDir) {
        this.dir = runDir.resolve("checkpoints");
    }

    Path dir() {
        return dir;
    }

    boolean hasRun() {
        return Files.isRegularFile(dir.resolve(RUN_FILE));
    }

    /**
     * Writes {@code run.json} and then its checksum; the old checksum goes first, so a crash in between leaves
     * {@code run.json} unverified, never wrongly called damaged.
     */
    void writeRun(Run run) {
        Path checksums = dir.resolve(CHECKSUMS);
        try {
            Files.deleteIfExists(checksums);
        } catch (IOException e) {
            throw CannotWriteException.of(checksums, e);
        }
        writeJson(dir.resolve(RUN_FILE), run);
        Checksums.write(checksums, List.of(RUN_FILE));
    }

    /**
     * Reads {@code run.json}, first checking it against its checksum.
     *
     * @throws InvalidDataException naming the file when it is damaged
     */
    Run readRun() {
        Path checksums = dir.resolve(CHECKSUMS);
        if (Files.exists(checksums)) {
            Checksums.verify(checksums).ifPresent(problem -> {
                throw InvalidDataException.of(dir.resolve(RUN_FILE), "the run's checkpoint record is damaged: "
                        + problem);
            });
        }
        return readJson(dir.resolve(RUN_FILE), "checkpoint run file", Run.class);
    }

    /** Whether an epoch was ever checkpointed here (intact or not). */
    boolean hasEpoch() {
        return !epochDirs().isEmpty();
    }

    /**
     * The newest complete epoch directory whose files match their checksums (empty when none does), and one line
     * for each newer one skipped as damaged, newest first.
     */
    record Latest(Optional<Path> dir, List<String> damaged) {
    }

    /** The newest intact epoch directory, skipping (and naming) damaged ones; see {@link Latest}. */
    Latest latestIntact() {
        List<Path> dirs = epochDirs();
        dirs.sort(Comparator.comparingInt(RunFiles::epochOf).reversed());
        List<String> damaged = new ArrayList<>();
        for (Path epochDir : dirs) {
            Path checksums = epochDir.resolve(CHECKSUMS);
            // Checkpoints written before checksums have none; TensorFlow is their only check.
            Optional<String> problem = Files.exists(checksums) ? Checksums.verify(checksums) : Optional.empty();
            if (problem.isEmpty()) {
                return new Latest(Optional.of(epochDir), List.copyOf(damaged));
            }
            damaged.add(problem.get());
        }
        return new Latest(Optional.empty(), List.copyOf(damaged));
    }

    State readState(Path epochDir) {
        return readJson(epochDir.resolve(STATE_FILE), "checkpoint state file", State.class);
    }

    /**
     * Writes epoch {@code state.epoch()}: {@code saveWeights} fills the given prefix, then the state, then the
     * checksums, then the directory is renamed into place. Older epochs except the one before it and
     * {@code keepEpoch} are deleted afterwards, so a damaged latest checkpoint has an intact one to fall back to.
     */
    void writeEpoch(State state, java.util.function.Consumer<Path> saveWeights, int keepEpoch) {
        Path target = dir.resolve(String.format("epoch-%04d", state.epoch()));
        Path tmp = OutputFiles.tempSibling(target);
        try {
            Files.createDirectories(tmp);
            saveWeights.accept(tmp.resolve(WEIGHTS));
            writeJson(tmp.resolve(STATE_FILE), state);
            Checksums.write(tmp.resolve(CHECKSUMS), Checksums.filesUnder(tmp, tmp));
            OutputFiles.deleteTree(target);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
        } catch (IOException | UncheckedIOException e) {
            throw CannotWriteException.of(target, "checkpoint", e);
        } finally {
            OutputFiles.deleteQuietly(tmp);
        }
        int previous = epochDirs().stream().mapToInt(RunFiles::epochOf).filter(e -> e < state.epoch()).max()
                .orElse(0);
        for (Path old : epochDirs()) {
            int epoch = epochOf(old);
            if (epoch != state.epoch() && epoch != previous && epoch != keepEpoch) {
                try {
                    OutputFiles.deleteTree(old);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete old checkpoint " + old + ": "
                            + CannotWriteException.reason(e), e);
                }
            }
        }
    }

    /** Removes leftovers of an interrupted checkpoint write. */
    void deleteIncomplete() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.filter(p -> p.getFileName().toString().endsWith(OutputFiles.TEMP_SUFFIX))
                    .toList()) {
                OutputFiles.deleteTree(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + dir + ": " + CannotWriteException.reason(e), e);
        }
    }

    private List<Path> epochDirs() {
        if (!Files.isDirectory(dir)) {
            return new ArrayList<>();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return new ArrayList<>(entries.filter(p -> Files.isDirectory(p)
                    && EPOCH_DIR.matcher(p.getFileName().toString()).matches()
                    && Files.isRegularFile(p.resolve(STATE_FILE))).toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static int epochOf(Path epochDir) {
        Matcher m = EPOCH_DIR.matcher(epochDir.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException("not an epoch directory: " + epochDir);
        }
        return Integer.parseInt(m.group(1));
    }

    private static void writeJson(Path file, Object value) {
        try {
            OutputFiles.writeString(file, JSON.writeValueAsString(value));
        } catch (IOException e) {
            throw CannotWriteException.of(file, e);
        }
    }

    /** Reads {@code file} through the user-file guard; damage ends in one line naming the file and the key. */
    private static <T> T readJson(Path file, String what, Class<T> type) {
        String text = UserFiles.readText(file, what, JSON_LIMIT);
        try {
            return StrictJson.readValue(JSON, text, type);
        } catch (JsonProcessingException e) {
            StrictJson.Problem problem = StrictJson.problem(e, JSON, text);
            throw InvalidDataException.at(file, problem.line(), problem.column(), problem.message());
        }
    }
}
