package org.digitlab.model;

/** A model spec (or spec file) that cannot describe a model; the message names the field or file. */
public class InvalidModelSpecException extends IllegalArgumentException {
    public InvalidModelSpecException(String message) {
        super(message);
    }

    public InvalidModelSpecException(String message, Throwable cause) {
        super(message, cause);
    }
}
