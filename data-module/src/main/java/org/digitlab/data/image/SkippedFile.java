package org.digitlab.data.image;

import java.util.Objects;

/**
 * A file of an image folder that was not read, and why.
 *
 * @param file   the file, spelt as the folder was given plus its path below it
 * @param reason why it was left out
 * @param detail the decoder's complaint for {@link Reason#BAD_IMAGE}, else empty
 */
public record SkippedFile(String file, Reason reason, String detail) {
    /** Why a file was left out. */
    public enum Reason {
        /** Its extension is not one of {@link ImageFiles#IMAGE_EXTENSIONS}. */
        NOT_AN_IMAGE,
        /** It lies directly in the folder, not in a class folder, so it has no class. */
        OUTSIDE_CLASS_FOLDER,
        /** It could not be decoded (corrupt, truncated, unsupported) and skipping bad images was asked for. */
        BAD_IMAGE
    }

    /** Checks nothing is null. */
    public SkippedFile {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }
}
