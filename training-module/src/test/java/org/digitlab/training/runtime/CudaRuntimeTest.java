package org.digitlab.training.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.digitlab.training.runtime.CudaRuntime.Choice;
import org.digitlab.training.runtime.CudaRuntime.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CudaRuntimeTest {
    private static final List<CudaLibrary> LIBRARIES = List.of(
            new CudaLibrary("libcudart.so.12", "cudart", LibraryVersion.of(12, 5), CudaLibrary.TENSORFLOW),
            new CudaLibrary("libcublasLt.so.12", "cublas", LibraryVersion.of(12, 5), "libcublas.so.12"),
            new CudaLibrary("libcublas.so.12", "cublas", LibraryVersion.of(12, 5), CudaLibrary.TENSORFLOW),
            new CudaLibrary("libcudnn.so.9", "cudnn", LibraryVersion.of(9, 3), CudaLibrary.TENSORFLOW));
    private static final Set<String> WHOLE_BUNDLE = Set.of("libcudart.so.12", "libcublasLt.so.12",
            "libcublas.so.12", "libcudnn.so.9");

    @TempDir
    Path temp;

    @Test
    void aFamilyWhollyOnTheSystemAndNewEnoughComesFromTheSystemTheRestFromTheBundle() {
        Map<String, LibrarySearch.Found> system = Map.of(
                "libcudart.so.12", found("/usr/local/cuda/lib64/libcudart.so.12", 12, 8, 90),
                "libcublasLt.so.12", found("/usr/local/cuda/lib64/libcublasLt.so.12", 12, 8, 4),
                "libcublas.so.12", found("/usr/local/cuda/lib64/libcublas.so.12", 12, 8, 4));

        List<Choice> plan = CudaRuntime.plan(LIBRARIES, WHOLE_BUNDLE::contains, name -> Optional.ofNullable(
                system.get(name)));

        assertThat(plan).extracting(Choice::source)
                .containsExactly(Source.SYSTEM, Source.SYSTEM, Source.SYSTEM, Source.BUNDLED);
        assertThat(plan.get(3).note()).isNull();
    }

    @Test
    void oneOldMemberSendsItsWholeFamilyToTheBundleAndSaysWhy() {
        Map<String, LibrarySearch.Found> system = Map.of(
                "libcublasLt.so.12", found("/usr/lib/libcublasLt.so.12", 12, 8),
                "libcublas.so.12", found("/usr/lib/libcublas.so.12", 12, 2),
                "libcudnn.so.9", new LibrarySearch.Found(Path.of("/usr/lib/libcudnn.so.9"), null));

        List<Choice> plan = CudaRuntime.plan(LIBRARIES, WHOLE_BUNDLE::contains, name -> Optional.ofNullable(
                system.get(name)));

        assertThat(plan).extracting(Choice::source).containsOnly(Source.BUNDLED);
        assertThat(plan.get(1).note()).contains("/usr/lib/libcublasLt.so.12 (12.8)")
                .contains("libcublas.so.12 there is 12.2, TensorFlow needs 12.5 or newer");
        assertThat(plan.get(3).note()).contains("version of libcudnn.so.9 there is unknown");
    }

    @Test
    void withoutABundleSystemCopiesOfAnyVersionBeatNoneAndTheRestIsMissing() {
        Map<String, LibrarySearch.Found> system = Map.of(
                "libcudart.so.12", found("/usr/lib/libcudart.so.12", 12, 0),
                "libcublas.so.12", found("/usr/lib/libcublas.so.12", 12, 8));

        List<Choice> plan = CudaRuntime.plan(LIBRARIES, name -> false, name -> Optional.ofNullable(
                system.get(name)));

        assertThat(plan).extracting(Choice::source)
                .containsExactly(Source.SYSTEM, Source.MISSING, Source.SYSTEM, Source.MISSING);
        assertThat(plan.get(0).note()).isEqualTo("version 12.0, TensorFlow needs 12.5 or newer");
        assertThat(plan.get(2).note()).isNull();
    }

    @Test
    void extractionWritesTheFileOnceAndReusesItWhileItsSizeMatches() throws IOException {
        Path bundle = bundleWith(Map.of("libcudart.so.12", "version one"));
        URL resource = bundle.resolve(CudaRuntime.BUNDLE_DIR + "libcudart.so.12").toUri().toURL();
        Path cache = temp.resolve("cache");

        Path extracted = CudaRuntime.extract(resource, cache, "libcudart.so.12");
        Files.setLastModifiedTime(extracted, FileTime.fromMillis(0));
        CudaRuntime.extract(resource, cache, "libcudart.so.12");
        assertThat(Files.getLastModifiedTime(extracted).toMillis()).as("reused, not rewritten").isZero();

        Files.writeString(extracted, "truncated");
        CudaRuntime.extract(resource, cache, "libcudart.so.12");
        assertThat(Files.readString(extracted)).isEqualTo("version one");
        try (var files = Files.list(cache)) {
            assertThat(files).as("no temporary file left").containsExactly(extracted);
        }
    }

    @Test
    void loadExtractsTheBundleUnderItsVersionAndRecordsWhatFailedToLoad() throws IOException {
        Path bundle = bundleWith(Map.of("libcudart.so.12", "not an ELF file"));
        Path pom = bundle.resolve("META-INF/maven/org.bytedeco/cuda/pom.properties");
        Files.createDirectories(pom.getParent());
        Files.writeString(pom, "version=12.6-9.5-1.5.11\n");
        List<CudaLibrary> libraries = LIBRARIES.subList(0, 2);

        CudaRuntime.Result result;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {bundle.toUri().toURL()}, null)) {
            result = CudaRuntime.load(libraries, loader, List.of(temp.resolve("no-system")), temp.resolve("cache"));
        }

        assertThat(result.bundleVersion()).isEqualTo("12.6-9.5-1.5.11");
        assertThat(result.cacheDir()).isEqualTo(temp.resolve("cache/12.6-9.5-1.5.11"));
        CudaRuntime.Library cudart = result.libraries().get(0);
        assertThat(cudart.source()).isEqualTo(Source.BUNDLED);
        assertThat(cudart.path()).isEqualTo(result.cacheDir().resolve("libcudart.so.12")).hasContent("not an ELF file");
        assertThat(cudart.found()).isTrue();
        assertThat(cudart.loaded()).isFalse();
        assertThat(cudart.error()).isNotBlank();
        assertThat(result.libraries().get(1).source()).as("not in the bundle, not on the system")
                .isEqualTo(Source.MISSING);
        assertThat(result.problems()).hasSize(2);
    }

    private Path bundleWith(Map<String, String> files) throws IOException {
        Path root = temp.resolve("bundle");
        Path dir = Files.createDirectories(root.resolve(CudaRuntime.BUNDLE_DIR));
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.writeString(dir.resolve(file.getKey()), file.getValue());
        }
        return root;
    }

    private static LibrarySearch.Found found(String path, int... version) {
        return new LibrarySearch.Found(Path.of(path), LibraryVersion.of(version));
    }
}
