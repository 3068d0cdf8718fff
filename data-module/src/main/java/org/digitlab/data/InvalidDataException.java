package org.digitlab.data;

/**
 * The one exception every bad input ends in: it names the source, where in it the problem is (a line or a
 * byte offset) and what was expected versus found, so a user can fix the file without a stack trace.
 */
public final class InvalidDataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String location;
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

    /** A problem at a 0-based byte offset of the (decompressed) stream. */
    public static InvalidDataException atOffset(Object source, long offset, String problem) {
        return new InvalidDataException(String.valueOf(source), "byte offset " + offset, problem, null);
    }

    public String source() {
        return source;
    }

    /** "line N", "line N, column M", "byte offset N", or empty when the whole source is at fault. */
    public String location() {
        return location;
    }

    public String problem() {
        return problem;
    }
}
