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
import org.digitlab.data.InvalidDataException;
import org.digitlab.data.Normalization;
import org.digitlab.data.UserFiles;
import org.digitlab.model.ModelSpec;
import org.digitlab.model.StrictJson;

/**
 * The checkpoint directory of a run: {@code run.json} (model spec, normalisation, training config) and one
 * directory per kept epoch, {@code epoch-NNNN/} holding the variables and {@code state.json}. Each epoch directory
 * is written as {@code epoch-NNNN.tmp/} and renamed when complete, so a crash never leaves a half checkpoint that
 * resume would pick up.
 */
final class RunFiles {
    static final String RUN_FILE = "run.json";
    static final String STATE_FILE = "state.json";
    static final String WEIGHTS = "weights";
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

    void writeRun(Run run) {
        writeJson(dir.resolve(RUN_FILE), run);
    }

    Run readRun() {
        return readJson(dir.resolve(RUN_FILE), "checkpoint run file", Run.class);
    }

    /** The newest complete epoch directory, if any. */
    Optional<Path> latest() {
        return epochDirs().stream().max(Comparator.comparingInt(RunFiles::epochOf));
    }

    State readState(Path epochDir) {
        return readJson(epochDir.resolve(STATE_FILE), "checkpoint state file", State.class);
    }

    /**
     * Writes epoch {@code state.epoch()}: {@code saveWeights} fills the given prefix, then the state, then the
     * directory is renamed into place. Older epochs except {@code keepEpoch} are deleted afterwards.
     */
    void writeEpoch(State state, java.util.function.Consumer<Path> saveWeights, int keepEpoch) {
        String name = String.format("epoch-%04d", state.epoch());
        Path tmp = dir.resolve(name + ".tmp");
        Path target = dir.resolve(name);
        try {
            deleteTree(tmp);
            Files.createDirectories(tmp);
            saveWeights.accept(tmp.resolve(WEIGHTS));
            writeJson(tmp.resolve(STATE_FILE), state);
            deleteTree(target);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
            for (Path old : epochDirs()) {
                int epoch = epochOf(old);
                if (epoch != state.epoch() && epoch != keepEpoch) {
                    deleteTree(old);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + target + ": " + e.getMessage(), e);
        }
    }

    /** Removes leftovers of an interrupted checkpoint write. */
    void deleteIncomplete() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList()) {
                deleteTree(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + dir + ": " + e.getMessage(), e);
        }
    }

    private List<Path> epochDirs() {
        if (!Files.isDirectory(dir)) {
            return List.of();
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
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), value);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
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

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
