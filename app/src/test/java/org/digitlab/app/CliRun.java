package org.digitlab.app;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** What one in-process run of {@code digitlab} printed and returned, for tests. */
public record CliRun(int exitCode, String out, String err) {

    /** Runs {@code digitlab args…} in this JVM, capturing standard output and error. */
    public static CliRun of(String... args) {
        CommandLine line = DigitLab.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        int code = line.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
