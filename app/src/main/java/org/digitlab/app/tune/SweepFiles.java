package org.digitlab.app.tune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.digitlab.app.AppFiles;
import org.digitlab.app.tune.AshaScheduler.TrialView;
import org.digitlab.data.InvalidDataException;

/**
 * The layout of a sweep directory, the one place where a sweep's state lives:
 * <pre>
 * sweep.json                 the sweep (written once; every worker reads it)
 * trials/NNNN/               trial NNNN's run directory: config.json, checkpoints/, history.csv, model/, …
 * trials/NNNN/rung-K.json    its result at rung K, written once when the job reaching it ends
 * trials/NNNN/lease/         present while a worker trains it: holder.json, beat-WORKER
 * finish-lease/              present while a worker tests the chosen trial and writes the summary
 * test/                      the chosen trial's test report (the only test-set evaluation)
 * summary.csv, summary.md, summary.png
 * logs/worker-N.log          output of the workers {@code tune --workers N} started
 * </pre>
 * Everything is written with a temp file and an atomic rename in the same directory, or created exclusively.
 */
final class SweepFiles {
    static final String SPEC = "sweep.json";
    static final String TRIALS = "trials";
    static final String LEASE = "lease";
    static final String FINISH_LEASE = "finish-lease";
    static final String TEST = "test";
    static final String LOGS = "logs";

    private final Path dir;

    /** What a trial's directory says: its rung results (rung 0 first) and whether its lease is held. */
    record TrialFiles(int trial, List<RungResult> results, boolean leased) {
        /** Copies {@code results}. */
        TrialFiles {
            results = List.copyOf(results);
        }

        /** The latest result, or null. */
        RungResult latest() {
            return results.isEmpty() ? null : results.get(results.size() - 1);
        }
    }

    /** The sweep directory {@code dir}. */
    SweepFiles(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /** {@code 0007}: a trial's directory name and id. */
    static String name(int trial) {
        return String.format(Locale.ROOT, "%04d", trial);
    }

    Path trialDir(int trial) {
        return dir.resolve(TRIALS).resolve(name(trial));
    }

    Path lease(int trial) {
        return trialDir(trial).resolve(LEASE);
    }

    /** Reads {@code sweep.json}; a directory without one is a clear error. */
    SweepSpec readSpec() {
        Path file = dir.resolve(SPEC);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw InvalidDataException.of(file.toString(), "not found: " + dir
                    + " is not a sweep directory (create one with digitlab tune … --dir " + dir + ")");
        }
        return AppFiles.readJson(file, "sweep file", SweepSpec.class);
    }

    /**
     * Writes {@code sweep.json}, or checks that the directory already holds this same sweep.
     *
     * @throws IllegalArgumentException when it holds another sweep, naming the settings that differ
     */
    void create(SweepSpec spec) {
        Path file = dir.resolve(SPEC);
        if (!Files.isRegularFile(file)) {
            AppFiles.writeJson(file, spec);
            return;
        }
        JsonNode wanted;
        try {
            // Through text, so both sides have the same number node types (7 is an int node either way).
            wanted = AppFiles.JSON.readTree(AppFiles.JSON.writeValueAsString(spec));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise the sweep: " + e.getMessage(), e);
        }
        JsonNode saved = AppFiles.readJson(file, "sweep file", JsonNode.class);
        if (!wanted.equals(saved)) {
            throw new IllegalArgumentException(dir + " holds a different sweep (" + differences(saved, wanted)
                    + " differ from " + file + "); rerun it with the same flags or choose another directory");
        }
    }

    /** Every started trial's files, by trial index. */
    Map<Integer, TrialFiles> read() {
        Map<Integer, TrialFiles> trials = new TreeMap<>();
        Path root = dir.resolve(TRIALS);
        if (!Files.isDirectory(root)) {
            return trials;
        }
        try (Stream<Path> entries = Files.list(root)) {
            for (Path trialDir : entries.toList()) {
                String name = trialDir.getFileName().toString();
                if (name.matches("\\d{4,9}") && Files.isDirectory(trialDir)) {
                    int trial = Integer.parseInt(name);
                    trials.put(trial, new TrialFiles(trial, results(trialDir),
                            Files.isDirectory(trialDir.resolve(LEASE))));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
        }
        return trials;
    }

    /** The scheduler's view of {@code trials}. */
    static Map<Integer, TrialView> view(Map<Integer, TrialFiles> trials) {
        Map<Integer, TrialView> view = new TreeMap<>();
        trials.forEach((t, files) -> view.put(t, new TrialView(files.results().stream().map(RungResult::score)
                .toList(), files.latest() != null && files.latest().last(), files.leased())));
        return view;
    }

    /** Writes {@code result} as its trial's {@code rung-K.json}. */
    void write(RungResult result) {
        AppFiles.writeJson(trialDir(result.trial()).resolve(rungFile(result.rung())), result);
    }

    private static String rungFile(int rung) {
        return "rung-" + rung + ".json";
    }

    /** The trial's rung results, rung 0 up to the first one missing. */
    private static List<RungResult> results(Path trialDir) {
        List<RungResult> results = new ArrayList<>();
        for (int k = 0; ; k++) {
            Path file = trialDir.resolve(rungFile(k));
            if (!Files.isRegularFile(file)) {
                return results;
            }
            try {
                results.add(AppFiles.readJson(file, "rung result", RungResult.class));
            } catch (InvalidDataException e) {
                throw new IllegalArgumentException(e.getMessage() + " (delete it to rerun that rung)", e);
            }
        }
    }

    private static String differences(JsonNode saved, JsonNode wanted) {
        List<String> keys = new ArrayList<>();
        wanted.fieldNames().forEachRemaining(key -> {
            if (wanted.get(key) instanceof ObjectNode inner && saved.get(key) instanceof ObjectNode old) {
                inner.fieldNames().forEachRemaining(k -> {
                    if (!inner.get(k).equals(old.get(k))) {
                        keys.add(k);
                    }
                });
            } else if (!wanted.get(key).equals(saved.get(key))) {
                keys.add(key);
            }
        });
        return keys.isEmpty() ? "the settings" : String.join(", ", keys);
    }
}
