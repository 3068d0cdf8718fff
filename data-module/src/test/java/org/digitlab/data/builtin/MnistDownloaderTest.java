package org.digitlab.data.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.digitlab.data.InvalidDataException;
import org.digitlab.data.idx.IdxWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from a local HTTP server only: {@code /missing/} answers 404, {@code /corrupt/} wrong bytes. */
class MnistDownloaderTest {
    private static final String FILE = "train-labels-idx1-ubyte.gz";
    private static final byte[] CONTENT = "the real bytes".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path temp;

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    /** What {@code /good/NAME} serves. */
    private final Map<String, byte[]> served = new HashMap<>();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            String path = exchange.getRequestURI().getPath();
            byte[] body = null;
            if (path.startsWith("/good/")) {
                body = served.get(path.substring("/good/".length()));
            } else if (path.startsWith("/corrupt/")) {
                body = "corrupted bytes".getBytes(StandardCharsets.US_ASCII);
            }
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                if (body != null) {
                    out.write(body);
                }
            }
        });
        server.start();
        served.put(FILE, CONTENT);
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void fallsBackToTheNextMirrorWhenOneAnswers404() throws IOException {
        MnistDownloader downloader = downloader(List.of("missing", "good"), Map.of(FILE, sha256(CONTENT)));

        Path file = downloader.fetch(FILE, temp);

        assertThat(file).isEqualTo(temp.resolve(FILE));
        assertThat(Files.readAllBytes(file)).isEqualTo(CONTENT);
        assertThat(requests).hasValue(2);
        assertThat(listing(temp)).containsExactly(FILE);
    }

    @Test
    void fallsBackToTheNextMirrorWhenTheChecksumDoesNotMatch() throws IOException {
        MnistDownloader downloader = downloader(List.of("corrupt", "good"), Map.of(FILE, sha256(CONTENT)));

        Path file = downloader.fetch(FILE, temp);

        assertThat(Files.readAllBytes(file)).isEqualTo(CONTENT);
        assertThat(listing(temp)).containsExactly(FILE);
    }

    @Test
    void failingMirrorsGiveAClearErrorAndLeaveNoFileBehind() throws IOException {
        Path cache = temp.resolve("cache");
        MnistDownloader downloader = downloader(List.of("missing", "corrupt"), Map.of(FILE, sha256(CONTENT)));

        assertThatThrownBy(() -> downloader.fetch(FILE, cache))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining(FILE)
                .hasMessageContaining("HTTP 404")
                .hasMessageContaining("SHA-256 mismatch")
                .hasMessageContaining(cache.toString());
        assertThat(listing(cache)).isEmpty();
    }

    @Test
    void aCachedFileIsUsedWithoutAnyRequest() throws IOException {
        MnistDownloader downloader = downloader(List.of("good"), Map.of(FILE, sha256(CONTENT)));
        downloader.fetch(FILE, temp);
        requests.set(0);

        Path again = downloader.fetch(FILE, temp);

        assertThat(Files.readAllBytes(again)).isEqualTo(CONTENT);
        assertThat(requests).hasValue(0);
    }

    @Test
    void mnistIsDownloadedOnceIntoTheCacheAndThenLoadedFromIt() throws IOException {
        Path source = Files.createDirectory(temp.resolve("source"));
        IdxWriter.write(BuiltinDatasetsTest.tiny(10, 2), source.resolve("train-images-idx3-ubyte.gz"),
                source.resolve("train-labels-idx1-ubyte.gz"), true);
        IdxWriter.write(BuiltinDatasetsTest.tiny(10, 1), source.resolve("t10k-images-idx3-ubyte.gz"),
                source.resolve("t10k-labels-idx1-ubyte.gz"), true);
        Map<String, String> checksums = new HashMap<>();
        for (String name : MnistDownloader.STANDARD_SHA256.keySet()) {
            byte[] bytes = Files.readAllBytes(source.resolve(name));
            served.put(name, bytes);
            checksums.put(name, sha256(bytes));
        }
        MnistDownloader downloader = downloader(List.of("missing", "good"), checksums);
        Path cache = temp.resolve("cache");

        LoadedData first = BuiltinDatasets.mnist(null, cache, downloader);
        requests.set(0);
        LoadedData second = BuiltinDatasets.mnist(null, cache, downloader);

        assertThat(first.train().size()).isEqualTo(20);
        assertThat(first.test().size()).isEqualTo(10);
        assertThat(second.train().labels()).containsExactly(first.train().labels());
        assertThat(requests).hasValue(0);
        assertThat(listing(cache.resolve("mnist"))).containsExactlyInAnyOrderElementsOf(checksums.keySet());
    }

    @Test
    void standardChecksumsCoverTheFourOfficialFiles() {
        assertThat(MnistDownloader.STANDARD_SHA256).containsOnlyKeys("train-images-idx3-ubyte.gz",
                "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");
        assertThat(MnistDownloader.STANDARD_SHA256.values()).allMatch(h -> h.matches("[0-9a-f]{64}"));
    }

    private MnistDownloader downloader(List<String> mirrorNames, Map<String, String> checksums) {
        String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        return new MnistDownloader(mirrorNames.stream().map(m -> URI.create(base + m + "/")).toList(), checksums);
    }

    private static List<String> listing(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aFailureWithoutMessageIsStillExplained() {
        assertThat(MnistDownloader.reason(new java.net.ConnectException()))
                .isEqualTo("ConnectException (no reason given; is the network reachable?)");
        assertThat(MnistDownloader.reason(new java.io.IOException(new java.net.UnknownHostException("mirror.example"))))
                .isEqualTo("java.net.UnknownHostException: mirror.example");
        assertThat(MnistDownloader.reason(new java.io.IOException("HTTP 404"))).isEqualTo("HTTP 404");
    }
}
