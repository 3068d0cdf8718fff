package org.digitlab.app.train;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.digitlab.app.AppFiles;
import org.digitlab.app.DigitLab;
import org.digitlab.data.UserFiles;
import org.tensorflow.TensorFlow;

/**
 * {@code manifest.json} of a run: what produced it (DigitLab, TensorFlow and Java versions, device, seed), when
 * (start and end, ISO-8601 UTC), and from which data (the SHA-256 of every data file read), so a result can be
 * traced back exactly.
 */
final class Manifest {
    static final String FILE = "manifest.json";
    private static final String CLASSPATH = "classpath:";

    private Manifest() {
    }

    /** Writes the manifest of a run that trained on {@code data} from {@code started} until now. */
    static void write(Path dir, ExperimentConfig experiment, DataSplits data, String device, Instant started) {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("digitlab_version", DigitLab.versions().getProperty("digitlab.version", "unknown"));
        manifest.put("tensorflow_version", TensorFlow.version());
        manifest.put("java_version", System.getProperty("java.version"));
        manifest.put("device", device);
        manifest.put("seed", experiment.seed());
        manifest.put("started", started.toString());
        manifest.put("finished", Instant.now().toString());
        manifest.put("preset", experiment.preset());
        manifest.put("data", data.name());
        manifest.put("data_files", hashes(data.sources()));
        AppFiles.writeJson(dir.resolve(FILE), manifest);
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
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            in.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), digest));
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash data file " + source + ": " + UserFiles.reason(e), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
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
