package org.digitlab.app;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.digitlab.data.InvalidDataException;
import org.digitlab.training.runtime.TensorFlowRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code digitlab} command: one experiment per invocation. Exit codes: 0 success, 2 bad usage or bad input
 * (one {@code error:} line on stderr), 1 anything unexpected; {@code --verbose} adds debug logging and stack
 * traces.
 */
@Command(name = "digitlab", mixinStandardHelpOptions = true, versionProvider = DigitLab.Version.class,
        description = "Train and evaluate image classifiers (MLPs and CNNs) with TensorFlow Java.",
        subcommands = {
            // Every subcommand is registered here, once.
            InspectCommand.class,
            org.digitlab.app.train.TrainCommand.class,
            org.digitlab.app.train.PresetsCommand.class,
            EvaluateCommand.class,
            PredictCommand.class,
            org.digitlab.app.tune.GridCommand.class,
            org.digitlab.app.tune.TuneCommand.class,
            org.digitlab.app.tune.WorkerCommand.class,
            ModelCommand.class,
            DoctorCommand.class,
        })
public final class DigitLab implements Runnable {
    /** Exit code for bad usage or bad input. */
    public static final int EXIT_USAGE = 2;
    /** Exit code for unexpected failures. */
    public static final int EXIT_FAILURE = 1;

    /** Exceptions that mean "the user's input is wrong": reported as one line with exit code 2. */
    private static final List<Class<? extends Exception>> USER_ERRORS = List.of(
            InvalidDataException.class, IllegalArgumentException.class, UncheckedIOException.class);

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Log debug details and print stack traces of errors.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    /** Runs the command line on {@code args} and exits the JVM with its exit code. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with DigitLab's exit codes and error reporting, ready to {@code execute}. */
    public static CommandLine commandLine() {
        CommandLine line = new CommandLine(new DigitLab());
        line.setExecutionStrategy(DigitLab::execute);
        line.setParameterExceptionHandler(DigitLab::badUsage);
        line.setExecutionExceptionHandler(DigitLab::failed);
        return line;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command");
    }

    private static int execute(ParseResult parsed) {
        // Logback's level is global: restore it so in-process runs (tests) do not leak --verbose.
        ch.qos.logback.classic.Logger root =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        if (isVerbose(parsed)) {
            root.setLevel(Level.DEBUG);
        }
        try {
            ParseResult leaf = leaf(parsed);
            if (leaf.commandSpec().userObject() instanceof UsesTensorFlow && !leaf.isUsageHelpRequested()
                    && !leaf.isVersionHelpRequested()) {
                TensorFlowRuntime.prepare();
            }
            return new CommandLine.RunLast().execute(parsed);
        } finally {
            root.setLevel(before);
        }
    }

    private static int badUsage(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("error: " + e.getMessage() + " (see '" + command.getCommandSpec().qualifiedName()
                + " --help')");
        if (Arrays.asList(args).contains("--verbose")) {
            e.printStackTrace(err);
        }
        err.flush();
        return EXIT_USAGE;
    }

    private static int failed(Exception e, CommandLine command, ParseResult parsed) {
        PrintWriter err = command.getErr();
        boolean userError = USER_ERRORS.stream().anyMatch(type -> type.isInstance(e));
        String message = e.getMessage() == null || e.getMessage().isBlank() ? e.toString() : e.getMessage();
        boolean verbose = isVerbose(parsed);
        err.println("error: " + (userError ? message : e + (verbose ? "" : " (run with --verbose for details)")));
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return userError ? EXIT_USAGE : EXIT_FAILURE;
    }

    private static ParseResult leaf(ParseResult parsed) {
        ParseResult p = parsed;
        while (p.subcommand() != null) {
            p = p.subcommand();
        }
        return p;
    }

    private static boolean isVerbose(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /** The versions Maven filtered into {@code org/digitlab/app/version.properties} at build time. */
    public static Properties versions() {
        Properties properties = new Properties();
        try (InputStream in = DigitLab.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read version.properties", e);
        }
        return properties;
    }

    /** DigitLab's and TensorFlow Java's versions, from {@link #versions()}. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties properties = versions();
            return new String[] {
                "digitlab " + properties.getProperty("digitlab.version", "unknown"),
                "TensorFlow Java " + properties.getProperty("tensorflow.version", "unknown"),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
            };
        }
    }
}
