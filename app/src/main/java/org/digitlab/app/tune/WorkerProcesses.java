package org.digitlab.app.tune;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.digitlab.app.DigitLab;

/**
 * The local worker processes of {@code tune --workers N} (or {@code --gpus}): each is
 * {@code java -cp <this JVM's class path> org.digitlab.app.DigitLab worker SWEEP}, started with this JVM's
 * {@code java}, its output appended to {@code SWEEP/logs/worker-N.log}; with {@code --gpus} each sees only its own
 * GPU ({@code CUDA_VISIBLE_DEVICES}). They stop with this process (a shutdown hook ends them).
 */
final class WorkerProcesses {
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();
    private final Thread stopper = new Thread(this::stop, "stop-workers");

    private WorkerProcesses() {
    }

    /**
     * Starts {@code count} workers on the sweep in {@code dir}; with {@code gpus} (one per worker) each is pinned
     * to its GPU.
     */
    static WorkerProcesses start(Path dir, int count, List<String> gpus, double leaseSeconds) {
        WorkerProcesses workers = new WorkerProcesses();
        Path logDir = dir.resolve(SweepFiles.LOGS);
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + logDir + ": " + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(workers.stopper);
        for (int i = 0; i < count; i++) {
            List<String> command = List.of(java(), "-Djava.awt.headless=true", "-cp",
                    System.getProperty("java.class.path"), DigitLab.class.getName(), "worker",
                    dir.toAbsolutePath().toString(), "--lease-seconds", String.valueOf(leaseSeconds));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            Path log = logDir.resolve("worker-" + i + ".log");
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            if (gpus != null) {
                builder.environment().put("CUDA_VISIBLE_DEVICES", gpus.get(i));
            }
            try {
                workers.processes.add(builder.start());
                workers.logs.add(log);
            } catch (IOException e) {
                workers.stop();
                throw new UncheckedIOException("cannot start worker process " + command.get(0) + ": "
                        + e.getMessage(), e);
            }
        }
        return workers;
    }

    /** The processes, in start order. */
    List<Process> processes() {
        return List.copyOf(processes);
    }

    /**
     * Waits for every worker to end, printing the sweep's progress whenever it changes and each worker's end;
     * returns how many ended with a non-zero exit code.
     */
    int await(SweepSpec spec, SweepFiles files, PrintWriter out) {
        boolean[] ended = new boolean[processes.size()];
        int failed = 0;
        int left = processes.size();
        String last = "";
        while (left > 0) {
            for (int i = 0; i < processes.size(); i++) {
                Process p = processes.get(i);
                if (!ended[i] && !p.isAlive()) {
                    ended[i] = true;
                    left--;
                    int code = p.exitValue();
                    failed += code == 0 ? 0 : 1;
                    out.printf(Locale.ROOT, "worker %d (pid %d) ended%s; log: %s%n", i, p.pid(),
                            code == 0 ? "" : " with exit code " + code + (code == 137
                                    ? " (killed; its trial is taken over once its lease expires)" : ""),
                            logs.get(i));
                }
            }
            String now = SweepStatus.of(spec, files).counts();
            if (!now.equals(last)) {
                out.println(now);
                last = now;
            }
            out.flush();
            if (left > 0) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stop();
                    throw new IllegalStateException("interrupted while waiting for the workers", e);
                }
            }
        }
        Runtime.getRuntime().removeShutdownHook(stopper);
        return failed;
    }

    private void stop() {
        processes.forEach(Process::destroy);
    }

    /** The {@code java} launcher running this JVM. */
    private static String java() {
        Optional<String> command = ProcessHandle.current().info().command();
        return command.orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
