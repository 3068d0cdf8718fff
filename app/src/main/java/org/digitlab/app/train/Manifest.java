package org.digitlab.app.train;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.digitlab.app.AppFiles;
import org.digitlab.app.DigitLab;
import org.digitlab.data.Checksums;
import org.digitlab.data.Dataset;
import org.digitlab.data.InvalidDataException;
import org.digitlab.data.UserFiles;
import org.tensorflow.TensorFlow;

/**
 * {@code manifest.json} of a run: what produced it (DigitLab, TensorFlow and Java versions, device, seed), when
 * (start and end, ISO-8601 UTC; the end is null while the run goes on), and from which data: the SHA-256 of every
 * data file read, and a fingerprint of the data as decoded (SHA-256 over class names, labels and pixels of the
 * train, validation and test sets), which also covers sources that are no single file (image folders). A resume
 * checks both against the data it reads; when it was allowed to continue on changed data, {@code data_changes}
 * keeps what the run had started from.
 */
final class Manifest {
    static final String FILE = "manifest.json";
    private static final String CLASSPATH = "classpath:";
    private static final String FILES = "data_files";
    private static final String FINGERPRINT = "data_fingerprint";
    private static final String CHANGES = "data_changes";

    private Manifest() {
    }

    /**
     * What a resume found when it compared its data with the manifest.
     *
     * @param changes  one line per difference, naming the file (empty when the data is unchanged)
     * @param warning  why nothing could be compared, or null
     * @param recorded the manifest's {@code data_files} and {@code data_fingerprint}, for {@code data_changes}
     */
    record DataCheck(List<String> changes, String warning, Map<String, Object> recorded) {
    }

    /** Writes the manifest of a run that trained on {@code data} from {@code started} until now. */
    static void write(Path dir, ExperimentConfig experiment, DataSplits data, String device, Instant started) {
        write(dir, experiment, data, device, started, Instant.now(), null);
    }

    /**
     * Writes the manifest; {@code finished} is null while the run goes on, and {@code change} (or null) is added to
     * the {@code data_changes} already recorded in {@code dir}.
     */
    static void write(Path dir, ExperimentConfig experiment, DataSplits data, String device, Instant started,
                      Instant finished, Map<String, Object> change) {
        List<Object> changes = new ArrayList<>(previousChanges(dir));
        if (change != null) {
            changes.add(change);
        }
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("digitlab_version", DigitLab.versions().getProperty("digitlab.version", "unknown"));
        manifest.put("tensorflow_version", TensorFlow.version());
        manifest.put("java_version", System.getProperty("java.version"));
        manifest.put("device", device);
        manifest.put("seed", experiment.seed());
        manifest.put("started", started.toString());
        manifest.put("finished", finished == null ? null : finished.toString());
        manifest.put("preset", experiment.preset());
        manifest.put("data", data.name());
        manifest.put(FILES, hashes(data.sources()));
        manifest.put(FINGERPRINT, fingerprint(data));
        if (!changes.isEmpty()) {
            manifest.put(CHANGES, changes);
        }
        AppFiles.writeJson(dir.resolve(FILE), manifest);
    }

    /**
     * Compares {@code data} with what the manifest in {@code dir} recorded when the run started: every data file's
     * SHA-256, then the fingerprint of the decoded data.
     */
    static DataCheck check(Path dir, DataSplits data) {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return new DataCheck(List.of(), file + " is missing (a run from before DigitLab recorded it at the "
                    + "start): cannot check that the data is the one the run started with", null);
        }
        JsonNode manifest;
        try {
            manifest = AppFiles.JSON.readTree(UserFiles.readText(file, "run manifest", UserFiles.TEXT_LIMIT));
        } catch (IOException e) {
            throw InvalidDataException.of(file, "cannot read the run manifest (damaged?): "
                    + e.getMessage().lines().findFirst().orElse("") + "; give --allow-data-change to resume without"
                    + " checking the data");
        }
        Map<String, String> recorded = new LinkedHashMap<>();
        manifest.path(FILES).forEach(entry -> recorded.put(entry.path("file").asText(), entry.path("sha256").asText()));
        List<String> changes = new ArrayList<>();
        Map<String, String> now = new LinkedHashMap<>();
        hashes(data.sources()).forEach(entry -> now.put(entry.get("file"), entry.get("sha256")));
        now.forEach((source, sha) -> {
            String before = recorded.get(source);
            if (before == null) {
                changes.add("data file " + source + " was not read when the run started (" + file + " lists "
                        + (recorded.isEmpty() ? "none" : String.join(", ", recorded.keySet())) + ")");
            } else if (!before.equals(sha)) {
                changes.add("data file " + source + " changed since the run started: its SHA-256 is " + sha
                        + ", " + file + " recorded " + before);
            }
        });
        recorded.keySet().stream().filter(source -> !now.containsKey(source)).forEach(source -> changes.add(
                "data file " + source + ", which the run started on (" + file + "), is no longer read"));
        String fingerprint = manifest.path(FINGERPRINT).asText(null);
        if (changes.isEmpty() && fingerprint != null && !fingerprint.equals(fingerprint(data))) {
            changes.add("the data of " + data.name() + " changed since the run started: its class names, labels or "
                    + "pixels differ from those fingerprinted in " + file);
        }
        Map<String, Object> before = new LinkedHashMap<>();
        before.put(FILES, AppFiles.JSON.convertValue(manifest.path(FILES), new TypeReference<List<Object>>() { }));
        before.put(FINGERPRINT, fingerprint);
        return new DataCheck(changes, null, before);
    }

    /** {@code [{"file": …, "sha256": …}, …]} in the order the files were read. */
    static List<Map<String, String>> hashes(List<String> sources) {
        return sources.stream()
                .map(source -> Map.of("file", source, "sha256", sha256(source)))
                .toList();
    }

    /** SHA-256 (lower-case hex) of a file, or of a {@code classpath:/…} resource. */
    static String sha256(String source) {
        try (InputStream in = open(source)) {
            return Checksums.sha256(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash data file " + source + ": " + UserFiles.reason(e), e);
        }
    }

    /**
     * SHA-256 (lower-case hex) over the class names, image shape, labels and pixels of the train, validation and
     * test sets: equal exactly when the run sees the same data.
     */
    static String fingerprint(DataSplits data) {
        MessageDigest digest = Checksums.sha256();
        for (Dataset set : new Dataset[] {data.train(), data.validation(), data.test()}) {
            if (set == null) {
                digest.update((byte) 0);
                continue;
            }
            digest.update((String.join("\n", set.classNames()) + "\n" + set.shape() + "\n" + set.pixelMax() + "\n"
                    + set.size() + "\n").getBytes(StandardCharsets.UTF_8));
            int pixels = set.shape().pixelsPerImage();
            float[] image = new float[pixels];
            ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * pixels);
            for (int i = 0; i < set.size(); i++) {
                set.copyImage(i, image, 0);
                buffer.clear();
                buffer.putInt(set.label(i));
                buffer.asFloatBuffer().put(image);
                digest.update(buffer.array(), 0, buffer.capacity());
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static List<Object> previousChanges(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            JsonNode changes = AppFiles.JSON.readTree(UserFiles.readText(file, "run manifest", UserFiles.TEXT_LIMIT))
                    .path(CHANGES);
            return changes.isArray() ? AppFiles.JSON.convertValue(changes, new TypeReference<List<Object>>() { })
                    : List.of();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static InputStream open(String source) throws IOException {
        if (!source.startsWith(CLASSPATH)) {
            return Files.newInputStream(Path.of(source));
        }
        InputStream in = Manifest.class.getResourceAsStream(source.substring(CLASSPATH.length()));
        if (in == null) {
            throw new IOException("resource missing from the classpath");
        }
        return in;
    }
}
