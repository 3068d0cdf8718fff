package org.digitlab.data.builtin;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.digitlab.data.Checksums;
import org.digitlab.data.InvalidDataException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads files once into a cache directory from a list of mirrors, like torchvision's MNIST: each file is
 * fetched into a temporary file beside its final place, its SHA-256 checked, and only then renamed into place, so
 * an interrupted or corrupt download never leaves a file that looks complete. A failing mirror (HTTP error,
 * network error, wrong checksum) moves on to the next one.
 */
public final class MnistDownloader {
    private static final Logger LOG = LoggerFactory.getLogger(MnistDownloader.class);

    /** The mirrors torchvision uses, in its order: the PyTorch S3 copy first, then the original site. */
    public static final List<URI> STANDARD_MIRRORS = List.of(
            URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
            URI.create("http://yann.lecun.com/exdb/mnist/"));

    /**
     * SHA-256 of the four original MNIST files, from TensorFlow Datasets'
     * {@code tensorflow_datasets/url_checksums/mnist.txt} (github.com/tensorflow/datasets).
     */
    public static final Map<String, String> STANDARD_SHA256 = orderedMap(
            "train-images-idx3-ubyte.gz", "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
            "train-labels-idx1-ubyte.gz", "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
            "t10k-images-idx3-ubyte.gz", "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
            "t10k-labels-idx1-ubyte.gz", "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6");

    private final List<URI> mirrors;
    private final Map<String, String> sha256;
    private final HttpClient client;

    /**
     * @param mirrors base URIs (ending in {@code /}) tried in order
     * @param sha256  expected SHA-256 (hex) of each file name; only these files can be fetched
     */
    public MnistDownloader(List<URI> mirrors, Map<String, String> sha256) {
        if (mirrors.isEmpty()) {
            throw new IllegalArgumentException("at least one mirror is needed");
        }
        this.mirrors = List.copyOf(mirrors);
        this.sha256 = Map.copyOf(sha256);
        this.client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /** The standard MNIST mirrors and checksums. */
    public static MnistDownloader standard() {
        return new MnistDownloader(STANDARD_MIRRORS, STANDARD_SHA256);
    }

    /**
     * The cached copy of {@code fileName} in {@code directory}, downloaded first if it is not there yet.
     *
     * @throws InvalidDataException naming every mirror's failure when no mirror delivers the expected bytes
     */
    public Path fetch(String fileName, Path directory) {
        String expected = sha256.get(fileName);
        if (expected == null) {
            throw new IllegalArgumentException("no checksum known for '" + fileName + "'");
        }
        Path target = directory.resolve(fileName);
        if (Files.isRegularFile(target)) {
            return target;
        }
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw InvalidDataException.of(directory, "cannot create the cache directory: " + e, e);
        }
        List<String> failures = new ArrayList<>();
        for (URI mirror : mirrors) {
            URI uri = mirror.resolve(fileName);
            try {
                downloadVerified(uri, expected, target);
                return target;
            } catch (IOException e) {
                LOG.warn("download of {} failed: {}", uri, reason(e));
                failures.add(uri + ": " + reason(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw InvalidDataException.of(uri, "download interrupted", e);
            }
        }
        throw InvalidDataException.of(fileName, "could not download from any mirror (" + String.join("; ", failures)
                + "); download the file yourself into " + directory + " or pass a directory that holds it");
    }

    private void downloadVerified(URI uri, String expectedSha256, Path target)
            throws IOException, InterruptedException {
        LOG.info("downloading {}", uri);
        Path part = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".part");
        try {
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofMinutes(5)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            MessageDigest digest = Checksums.sha256();
            try (InputStream body = new DigestInputStream(response.body(), digest)) {
                if (response.statusCode() != 200) {
                    throw new IOException("HTTP " + response.statusCode());
                }
                Files.copy(body, part, StandardCopyOption.REPLACE_EXISTING);
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equalsIgnoreCase(expectedSha256)) {
                throw new IOException("SHA-256 mismatch: expected " + expectedSha256 + ", found " + actual);
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /**
     * Why a download failed, in words: the first message along the chain of causes (a refused connection has
     * none), else the exception's kind, e.g. "ConnectException".
     */
    static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t == e ? t.getMessage() : e.getClass().getSimpleName() + ": " + t.getMessage();
            }
        }
        return e.getClass().getSimpleName() + " (no reason given; is the network reachable?)";
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }
}
