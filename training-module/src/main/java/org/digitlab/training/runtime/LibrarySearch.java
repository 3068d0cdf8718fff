package org.digitlab.training.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Finds shared libraries by soname in a list of directories, in order, as the dynamic loader would. */
public final class LibrarySearch {
    /** Where CUDA installs put their libraries when the loader's cache does not name them. */
    static final List<Path> USUAL_PLACES = List.of(Path.of("/usr/local/cuda/lib64"),
            Path.of("/usr/local/cuda/targets/x86_64-linux/lib"), Path.of("/usr/lib/x86_64-linux-gnu"),
            Path.of("/usr/lib64"), Path.of("/lib/x86_64-linux-gnu"), Path.of("/usr/lib/wsl/lib"));

    private LibrarySearch() {
    }

    /**
     * A library found on disk.
     *
     * @param path    where the soname was found (often a symbolic link)
     * @param version the version its real file's name carries ({@code libcudart.so.12.4.127}), or null when the
     *                name says nothing beyond the soname
     */
    public record Found(Path path, LibraryVersion version) {
    }

    /** The first directory of {@code directories} holding {@code soname}, with the version its real file names. */
    public static Optional<Found> find(String soname, List<Path> directories) {
        for (Path dir : directories) {
            Path candidate = dir.resolve(soname);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(new Found(candidate, version(soname, candidate)));
            }
        }
        return Optional.empty();
    }

    /**
     * The directories the dynamic loader searches, in its order: {@code LD_LIBRARY_PATH}'s, then those of the
     * libraries listed by {@code ldconfig -p} (its cache), then {@link #USUAL_PLACES}; each once.
     *
     * @param ldLibraryPath  the variable's value, or null
     * @param ldconfigOutput what {@code ldconfig -p} printed, or "" when it could not run
     */
    public static List<Path> systemDirectories(String ldLibraryPath, String ldconfigOutput) {
        Set<Path> dirs = new LinkedHashSet<>();
        if (ldLibraryPath != null) {
            for (String entry : ldLibraryPath.split(":")) {
                if (!entry.isBlank()) {
                    dirs.add(Path.of(entry));
                }
            }
        }
        for (String line : ldconfigOutput.split("\n")) {
            int arrow = line.indexOf("=> ");
            if (arrow > 0) {
                Path parent = Path.of(line.substring(arrow + 3).trim()).getParent();
                if (parent != null) {
                    dirs.add(parent);
                }
            }
        }
        dirs.addAll(USUAL_PLACES);
        return new ArrayList<>(dirs);
    }

    /** {@link #systemDirectories(String, String)} of this process's {@code LD_LIBRARY_PATH} and loader cache. */
    public static List<Path> systemDirectories() {
        return systemDirectories(System.getenv("LD_LIBRARY_PATH"), ldconfig());
    }

    private static LibraryVersion version(String soname, Path candidate) {
        try {
            Path real = candidate.toRealPath();
            return LibraryVersion.fromFileName(soname, real.getFileName().toString()).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** What {@code ldconfig -p} prints (the loader's cache), or "" when it cannot run. */
    private static String ldconfig() {
        for (String command : List.of("/sbin/ldconfig", "/usr/sbin/ldconfig")) {
            if (!Files.isExecutable(Path.of(command))) {
                continue;
            }
            try {
                Process process = new ProcessBuilder(command, "-p").redirectErrorStream(true).start();
                byte[] out = process.getInputStream().readAllBytes();
                if (process.waitFor(5, TimeUnit.SECONDS) && process.exitValue() == 0) {
                    return new String(out, StandardCharsets.UTF_8);
                }
            } catch (IOException e) {
                return "";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "";
            }
        }
        return "";
    }
}
