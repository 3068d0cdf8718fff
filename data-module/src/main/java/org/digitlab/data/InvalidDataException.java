package org.digitlab.data;

/**
 * The one exception every bad input ends in: it names the source, where in it the problem is (a line or a
 * byte offset) and what was expected versus found, so a user can fix the file without a stack trace.
 */
public final class InvalidDataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The source at fault (a file, URL or resource), as text. */
    private final String source;
    /** Where in the source; empty when the whole source is at fault. */
    private final String location;
    /** What was expected versus found. */
    private final String problem;

    private InvalidDataException(String source, String location, String problem, Throwable cause) {
        super(source + (location.isEmpty() ? "" : ": " + location) + ": " + problem, cause);
        this.source = source;
        this.location = location;
        this.problem = problem;
    }

    /** A problem with the source as a whole (missing, empty, inconsistent with another file). */
    public static InvalidDataException of(Object source, String problem) {
        return new InvalidDataException(String.valueOf(source), "", problem, null);
    }

    /** A problem with the source as a whole, caused by {@code cause} (e.g. an I/O error). */
    public static InvalidDataException of(Object source, String problem, Throwable cause) {
        return new InvalidDataException(String.valueOf(source), "", problem, cause);
    }

    /** A problem on a 1-based text line. */
    public static InvalidDataException atLine(Object source, long line, String problem) {
        return new InvalidDataException(String.valueOf(source), "line " + line, problem, null);
    }

    /** A problem on a 1-based text line and column. */
    public static InvalidDataException atLine(Object source, long line, int column, String problem) {
        return new InvalidDataException(String.valueOf(source), "line " + line + ", column " + column, problem, null);
    }

    /** A problem at a 1-based line and column, each left out when not known (0), as parsers report them. */
    public static InvalidDataException at(Object source, long line, int column, String problem) {
        if (line <= 0) {
            return of(source, problem);
        }
        return column <= 0 ? atLine(source, line, problem) : atLine(source, line, column, problem);
    }

    /** A problem at a 0-based byte offset of the (decompressed) stream. */
    public static InvalidDataException atOffset(Object source, long offset, String problem) {
        return new InvalidDataException(String.valueOf(source), "byte offset " + offset, problem, null);
    }

    /** The source at fault (a file, URL or resource), as text. */
    public String source() {
        return source;
    }

    /** "line N", "line N, column M", "byte offset N", or empty when the whole source is at fault. */
    public String location() {
        return location;
    }

    /** What was expected versus found, without the source and location the message adds. */
    public String problem() {
        return problem;
    }
}
