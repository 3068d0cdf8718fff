package org.digitlab.evaluation;

/**
 * Thrown when evaluation input is inconsistent (lengths, label ranges, probability shapes); the message names the
 * argument and index and says what was expected and found.
 */
public final class EvaluationInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message naming the offending argument, index and values. */
    public EvaluationInputException(String message) {
        super(message);
    }
}
