package org.digitlab.model;

/** A model spec (or spec file) that cannot describe a model; the message names the field or file. */
public class InvalidModelSpecException extends IllegalArgumentException {
    /** An exception whose {@code message} names the offending field or file. */
    public InvalidModelSpecException(String message) {
        super(message);
    }

    /** As {@link #InvalidModelSpecException(String)}, caused by {@code cause} (e.g. a parse error). */
    public InvalidModelSpecException(String message, Throwable cause) {
        super(message, cause);
    }
}
