package org.digitlab.data.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.digitlab.data.Dataset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageCacheTest {
    @TempDir
    Path root;
    private Path dir;
    private Path cacheDir;
    private ImageFolderOptions options;

    @BeforeEach
    void folder() {
        dir = root.resolve("photos");
        cacheDir = root.resolve("cache");
        for (int i = 0; i < 6; i++) {
            TestImages.writeBytes(TestImages.jpeg(TestImages.pattern(10 + i, 12), i % 2 == 0),
                    dir.resolve((i < 3 ? "cat/" : "dog/") + i + ".jpg"));
        }
        TestImages.writeBytes("not an image".getBytes(), dir.resolve("dog/broken.png"));
        options = ImageFolderOptions.defaults().withSize(new ImageSize(5, 6)).withSkipBad(true).withThreads(2)
                .withCacheDir(cacheDir);
    }

    private static void assertSameData(ImageFolder actual, ImageFolder expected) {
        Dataset a = actual.data();
        Dataset e = expected.data();
        assertThat(a.pixelsAsFloats()).isEqualTo(e.pixelsAsFloats());
        assertThat(a.labels()).isEqualTo(e.labels());
        assertThat(a.classNames()).isEqualTo(e.classNames());
        assertThat(a.shape()).isEqualTo(e.shape());
        for (int i = 0; i < e.size(); i++) {
            assertThat(a.file(i)).isEqualTo(e.file(i));
        }
        assertThat(actual.skipped()).isEqualTo(expected.skipped());
        assertThat(actual.size()).isEqualTo(expected.size());
        assertThat(actual.color()).isEqualTo(expected.color());
    }

    private Path onlyCacheFile() throws IOException {
        try (Stream<Path> files = Files.list(cacheDir)) {
            List<Path> all = files.toList();
            assertThat(all).hasSize(1);
            assertThat(all.get(0).getFileName().toString()).matches("[0-9a-f]{64}\\.bin");
            return all.get(0);
        }
    }

    @Test
    void secondReadComesFromTheCacheAndIsIdentical() throws IOException {
        ImageFolder first = ImageFolderReader.read(dir, options);
        ImageFolder second = ImageFolderReader.read(dir, options);

        assertThat(first.fromCache()).isFalse();
        assertThat(second.fromCache()).isTrue();
        assertSameData(second, first);
        assertThat(second.skipped(SkippedFile.Reason.BAD_IMAGE)).hasSize(1);
        onlyCacheFile();
    }

    @Test
    void cacheHoldsPathsBelowTheFolderSoAnotherSpellingReusesIt() {
        ImageFolderReader.read(dir, options);
        Path other = dir.resolve(".");

        ImageFolder again = ImageFolderReader.read(other, options);

        assertThat(again.fromCache()).isTrue();
        assertThat(again.data().file(0)).isEqualTo(other.resolve("cat/0.jpg").toString());
    }

    @Test
    void damagedCacheFilesAreIgnoredAndRewritten() throws Exception {
        ImageFolder fresh = ImageFolderReader.read(dir, options);
        Path cache = onlyCacheFile();
        byte[] good = Files.readAllBytes(cache);
        List<UnaryOperator<byte[]>> damages = List.of(
                bytes -> new byte[0],
                bytes -> Arrays.copyOf(bytes, 10),
                bytes -> Arrays.copyOf(bytes, bytes.length / 2),
                bytes -> Arrays.copyOf(bytes, bytes.length - 1),
                bytes -> flip(bytes, 0), // magic
                bytes -> flip(bytes, 60), // class names
                bytes -> flip(bytes, bytes.length - 100), // pixels
                bytes -> withHeight(bytes, 1), // lies about the shape, checksum recomputed
                bytes -> withHeight(bytes, 100_000),
                bytes -> withHeight(bytes, -5));

        for (UnaryOperator<byte[]> damage : damages) {
            Files.write(cache, damage.apply(good.clone()));

            ImageFolder again = ImageFolderReader.read(dir, options);

            assertThat(again.fromCache()).isFalse();
            assertSameData(again, fresh);
            assertThat(Files.readAllBytes(cache)).isEqualTo(good);
        }
        assertThat(ImageFolderReader.read(dir, options).fromCache()).isTrue();
    }

    private static byte[] flip(byte[] bytes, int at) {
        bytes[at] ^= 0x5A;
        return bytes;
    }

    /** The cache with another image height (after magic, version and key) and a valid checksum. */
    private static byte[] withHeight(byte[] bytes, int height) {
        ByteBuffer.wrap(bytes).putInt(8 + 4 + 32, height);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(bytes, bytes.length - 32));
            System.arraycopy(digest, 0, bytes, bytes.length - 32, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        return bytes;
    }

    @Test
    void keyChangesWithAFilesTimeOrSizeAndWithTheOptionsButNotTheThreads() throws IOException {
        FolderListing listing = FolderListing.of(dir);
        Path base = ImageCache.of(cacheDir, listing, options).file();
        Path image = dir.resolve("cat/1.jpg");
        FileTime time = Files.getLastModifiedTime(image);

        assertThat(ImageCache.of(cacheDir, FolderListing.of(dir), options).file()).isEqualTo(base);
        assertThat(ImageCache.of(cacheDir, listing, options.withThreads(7)).file()).isEqualTo(base);
        assertThat(ImageCache.of(cacheDir, listing, options.withSize(new ImageSize(6, 5))).file()).isNotEqualTo(base);
        assertThat(ImageCache.of(cacheDir, listing, options.withColor(ImageColor.RGB)).file()).isNotEqualTo(base);
        assertThat(ImageCache.of(cacheDir, listing, options.withSkipBad(false)).file()).isNotEqualTo(base);

        Files.setLastModifiedTime(image, FileTime.fromMillis(time.toMillis() + 2000));
        assertThat(ImageCache.of(cacheDir, FolderListing.of(dir), options).file()).isNotEqualTo(base);

        byte[] bytes = Files.readAllBytes(image);
        Files.write(image, Arrays.copyOf(bytes, bytes.length + 1));
        Files.setLastModifiedTime(image, time);
        assertThat(ImageCache.of(cacheDir, FolderListing.of(dir), options).file()).isNotEqualTo(base);
    }

    @Test
    void changedFileIsDecodedAgain() throws IOException {
        ImageFolderReader.read(dir, options);
        TestImages.write(TestImages.rgb(5, 6, 0x00FF00), "png", dir.resolve("cat/new.png"));

        ImageFolder again = ImageFolderReader.read(dir, options);

        assertThat(again.fromCache()).isFalse();
        assertThat(again.data().size()).isEqualTo(7);
    }

    @Test
    void concurrentRunsWritingTheSameCacheLeaveAValidFile() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<ImageFolder>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                runs.add(pool.submit(() -> ImageFolderReader.read(dir, options)));
            }
            ImageFolder first = runs.get(0).get();
            for (Future<ImageFolder> run : runs) {
                assertSameData(run.get(), first);
            }
        } finally {
            pool.shutdownNow();
        }
        onlyCacheFile();
        assertThat(ImageFolderReader.read(dir, options).fromCache()).isTrue();
    }

    @Test
    void unwritableCacheOnlyCostsTheNextRunADecode() throws IOException {
        Files.writeString(cacheDir, "a file where the cache folder should be");

        ImageFolder first = ImageFolderReader.read(dir, options);
        ImageFolder second = ImageFolderReader.read(dir, options);

        assertThat(first.data().size()).isEqualTo(6);
        assertThat(second.fromCache()).isFalse();
    }
}
