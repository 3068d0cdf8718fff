package org.digitlab.app.train;

import java.nio.file.Path;
import org.digitlab.app.AppFiles;

/**
 * The files of one training run ({@code digitlab train --out DIR}) that {@code train} writes itself (the test
 * report comes from {@link org.digitlab.app.model.TestReportWriter}, the checkpoints from the trainer). Every file
 * is written to a temp file in the same directory and renamed into place, and {@code model/} is exported to a temp
 * directory first, so a killed run never leaves a half-written output behind.
 */
final class RunDirectory {
    static final String CONFIG = "config.json";
    static final String HISTORY = "history.csv";

    private final Path dir;

    RunDirectory(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    Path resolve(String name) {
        return dir.resolve(name);
    }

    void writeJson(String name, Object value) {
        AppFiles.writeJson(dir.resolve(name), value);
    }
}
