package org.digitlab.training.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CUDA libraries TensorFlow's GPU natives need, loaded into this process before TensorFlow looks them up (a
 * library already loaded is found by its soname). Each family of libraries comes from the system when all of it
 * is there and new enough, else from the bundle on the classpath ({@code org.bytedeco:cuda}'s
 * {@code linux-x86_64-redist} jar under the Maven profile 'gpu'), extracted once into
 * {@code ~/.cache/digitlab/cuda/VERSION/} and reused.
 */
public final class CudaRuntime {
    /** Where the bundle's libraries lie on the classpath. */
    static final String BUNDLE_DIR = "org/bytedeco/cuda/linux-x86_64/";
    private static final String BUNDLE_POM = "META-INF/maven/org.bytedeco/cuda/pom.properties";
    private static final Logger LOG = LoggerFactory.getLogger(CudaRuntime.class);

    private CudaRuntime() {
    }

    /** Where a library comes from. */
    public enum Source {
        /** Already installed on this machine. */
        SYSTEM,
        /** Extracted from the bundle on the classpath. */
        BUNDLED,
        /** Neither: TensorFlow will not find it and runs on the CPU. */
        MISSING
    }

    /**
     * One library: where it comes from and whether it loaded.
     *
     * @param path    the file loaded (or to load), null when missing
     * @param version the version its file name carries, null when unknown or bundled
     * @param note    why this source was chosen over the other, or null
     * @param error   why loading failed, or null
     */
    public record Library(CudaLibrary library, Source source, Path path, LibraryVersion version, String note,
                          String error) {
        /** Whether a copy was found. */
        public boolean found() {
            return source != Source.MISSING;
        }

        /** Whether it is loaded into this process. */
        public boolean loaded() {
            return found() && error == null;
        }
    }

    /**
     * What loading found and did.
     *
     * @param bundleVersion the bundle's version ({@code 12.6-9.5-1.5.11}), or null when there is no bundle
     * @param cacheDir      where the bundle is extracted, or null
     */
    public record Result(String bundleVersion, Path cacheDir, List<Library> libraries) {
        /** Copies the list. */
        public Result {
            libraries = List.copyOf(libraries);
        }

        /** The libraries that are missing or failed to load. */
        public List<Library> problems() {
            return libraries.stream().filter(l -> !l.loaded()).toList();
        }
    }

    /** A planned source for one library, before extraction and loading. */
    record Choice(CudaLibrary library, Source source, LibrarySearch.Found system, String note) {
    }

    /**
     * Finds, extracts and loads every library of {@code libraries} in order, from {@code loader}'s bundle
     * (extracted into {@code cacheRoot/VERSION/}) or the system's library directories {@code systemDirs}. A
     * library that fails to load is recorded, not thrown.
     */
    public static Result load(List<CudaLibrary> libraries, ClassLoader loader, List<Path> systemDirs,
                              Path cacheRoot) {
        List<Choice> plan = plan(libraries, name -> loader.getResource(BUNDLE_DIR + name) != null,
                name -> LibrarySearch.find(name, systemDirs));
        String bundleVersion = bundleVersion(loader);
        Path cacheDir = bundleVersion == null ? null : cacheRoot.resolve(bundleVersion);
        List<Library> result = new ArrayList<>();
        for (Choice choice : plan) {
            result.add(loadOne(choice, loader, cacheDir));
        }
        return new Result(bundleVersion, cacheDir, result);
    }

    /**
     * Chooses each library's source: a family comes from the system when every member is there with a known
     * version at least its minimum; else from the bundle when the bundle holds the whole family; else each member
     * from wherever it is found (a system copy of unknown or older version beats none).
     */
    static List<Choice> plan(List<CudaLibrary> libraries, Predicate<String> inBundle,
                             Function<String, Optional<LibrarySearch.Found>> onSystem) {
        Map<String, List<CudaLibrary>> families = libraries.stream()
                .collect(Collectors.groupingBy(CudaLibrary::family));
        List<Choice> plan = new ArrayList<>();
        for (CudaLibrary library : libraries) {
            List<CudaLibrary> family = families.get(library.family());
            LibrarySearch.Found system = onSystem.apply(library.soname()).orElse(null);
            if (family.stream().allMatch(member -> newEnough(member, onSystem))) {
                plan.add(new Choice(library, Source.SYSTEM, system, null));
            } else if (family.stream().allMatch(member -> inBundle.test(member.soname()))) {
                plan.add(new Choice(library, Source.BUNDLED, system, system == null ? null
                        : "the system's " + describe(system) + " is not used: " + whySystemNotUsed(family, onSystem)));
            } else if (system != null) {
                plan.add(new Choice(library, Source.SYSTEM, system, newEnough(library, onSystem) ? null
                        : "version " + (system.version() == null ? "unknown" : system.version().toString())
                        + ", TensorFlow needs " + library.minimum() + " or newer"));
            } else {
                plan.add(new Choice(library, Source.MISSING, null, null));
            }
        }
        return plan;
    }

    /**
     * Copies {@code resource} to {@code dir/name} unless a file of the same size is already there: through a
     * temporary file in {@code dir} and an atomic rename, so a concurrent or killed extraction never leaves half a
     * library under the real name.
     */
    static Path extract(URL resource, Path dir, String name) throws IOException {
        Path target = dir.resolve(name);
        URLConnection connection = resource.openConnection();
        long size = connection.getContentLengthLong();
        if (Files.isRegularFile(target) && Files.size(target) == size) {
            connection.getInputStream().close();
            return target;
        }
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + name + "." + UUID.randomUUID() + ".tmp");
        try (InputStream in = connection.getInputStream()) {
            Files.copy(in, tmp);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }

    /** {@code $XDG_CACHE_HOME/digitlab/cuda}, by default {@code ~/.cache/digitlab/cuda}. */
    public static Path cacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("digitlab").resolve("cuda");
    }

    private static Library loadOne(Choice choice, ClassLoader loader, Path cacheDir) {
        CudaLibrary library = choice.library();
        if (choice.source() == Source.MISSING) {
            return new Library(library, Source.MISSING, null, null, null, null);
        }
        Path path;
        LibraryVersion version = null;
        if (choice.source() == Source.SYSTEM) {
            path = choice.system().path();
            version = choice.system().version();
        } else {
            try {
                path = extract(loader.getResource(BUNDLE_DIR + library.soname()), cacheDir, library.soname());
            } catch (IOException e) {
                return new Library(library, Source.BUNDLED, null, null, choice.note(),
                        "cannot extract into " + cacheDir + ": " + e.getMessage());
            }
        }
        try {
            System.load(path.toAbsolutePath().toString());
            LOG.debug("loaded {} ({}) from {}", library.soname(), choice.source(), path);
            return new Library(library, choice.source(), path, version, choice.note(), null);
        } catch (UnsatisfiedLinkError e) {
            return new Library(library, choice.source(), path, version, choice.note(), e.getMessage());
        }
    }

    private static boolean newEnough(CudaLibrary library, Function<String, Optional<LibrarySearch.Found>> onSystem) {
        return onSystem.apply(library.soname())
                .map(found -> found.version() != null && found.version().atLeast(library.minimum()))
                .orElse(false);
    }

    private static String whySystemNotUsed(List<CudaLibrary> family,
                                           Function<String, Optional<LibrarySearch.Found>> onSystem) {
        for (CudaLibrary member : family) {
            Optional<LibrarySearch.Found> found = onSystem.apply(member.soname());
            if (found.isEmpty()) {
                return member.soname() + " of the same family is missing there";
            }
            if (found.get().version() == null) {
                return "the version of " + member.soname() + " there is unknown";
            }
            if (!found.get().version().atLeast(member.minimum())) {
                return member.soname() + " there is " + found.get().version() + ", TensorFlow needs "
                        + member.minimum() + " or newer";
            }
        }
        return "the bundle is complete";
    }

    private static String describe(LibrarySearch.Found found) {
        return found.path() + (found.version() == null ? "" : " (" + found.version() + ")");
    }

    private static String bundleVersion(ClassLoader loader) {
        try (InputStream in = loader.getResourceAsStream(BUNDLE_POM)) {
            if (in == null) {
                return null;
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            return null;
        }
    }
}
