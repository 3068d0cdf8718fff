package org.digitlab.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM for tests that need another process (an OS file lock held elsewhere) or limits set on a process
 * ({@code prlimit}): runs a main class of DigitLab or of the tests on this JVM's class path.
 */
public final class ChildJvm {
    private final Process process;

    private ChildJvm(Process process) {
        this.process = process;
    }

    /** What a child printed and returned. */
    public record Result(int exitCode, String out, String err) {
    }

    /**
     * Starts {@code main} with {@code args}, the command line prefixed by {@code prefix} (e.g. {@code prlimit
     * --fsize=N}); standard error goes to this JVM's.
     */
    public static ChildJvm start(Class<?> main, List<String> prefix, String... args) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command(main, prefix, args));
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        return new ChildJvm(builder.start());
    }

    /** Reads the child's standard output until {@code line} and returns the (still running) process. */
    public Process awaitLine(String line) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        for (String read = reader.readLine(); read != null; read = reader.readLine()) {
            if (read.equals(line)) {
                return process;
            }
        }
        throw new IOException("the child process ended without printing '" + line + "'");
    }

    /** Runs {@code main} to its end (at most two minutes), its output kept in files under {@code dir}. */
    public static Result run(Path dir, Class<?> main, List<String> prefix, String... args)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "child", ".out");
        Path err = Files.createTempFile(dir, "child", ".err");
        Process process = new ProcessBuilder(command(main, prefix, args)).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException("the child process did not end within two minutes");
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static List<String> command(Class<?> main, List<String> prefix, String... args) {
        List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // No hsperfdata file: a file-size limit on the child must hit what DigitLab writes, not the JVM's own.
        command.add("-XX:-UsePerfData");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return command;
    }
}
