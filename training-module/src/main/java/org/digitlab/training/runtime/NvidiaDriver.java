package org.digitlab.training.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The NVIDIA driver as this machine shows it: its version (from {@code /proc/driver/nvidia/version}, else from
 * the name of {@code libcuda.so.1}'s real file), the newest CUDA version it runs, and the GPUs it sees.
 *
 * @param version     the driver version ({@code 550.54.15}), or null when there is no driver
 * @param cudaVersion the newest CUDA version the driver supports ({@code 12.4}), or null when unknown
 * @param gpus        the GPUs the driver sees, by name
 * @param error       why the driver could not be asked, or null
 */
public record NvidiaDriver(String version, String cudaVersion, List<String> gpus, String error) {
    private static final Path PROC_VERSION = Path.of("/proc/driver/nvidia/version");

    /** Copies the list. */
    public NvidiaDriver {
        gpus = List.copyOf(gpus);
    }

    /** What this machine's driver says; {@code version} is null when there is none. */
    public static NvidiaDriver probe(List<Path> libraryDirectories) {
        String version = procVersion().orElseGet(() -> LibrarySearch.find("libcuda.so.1", libraryDirectories)
                .map(found -> found.version() == null ? null : found.version().toString()).orElse(null));
        Optional<NativeCalls.DriverQuery> query = NativeCalls.queryDriver();
        if (query.isEmpty()) {
            return new NvidiaDriver(version, null, List.of(), version == null ? null
                    : "libcuda.so.1 cannot be loaded");
        }
        NativeCalls.DriverQuery q = query.get();
        return new NvidiaDriver(version, q.cudaVersion(), q.gpus(), q.error());
    }

    private static Optional<String> procVersion() {
        try {
            return Files.isReadable(PROC_VERSION) ? ProcFiles.nvidiaDriverVersion(Files.readString(PROC_VERSION))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Whether a driver is installed. */
    public boolean present() {
        return version != null || cudaVersion != null;
    }
}
