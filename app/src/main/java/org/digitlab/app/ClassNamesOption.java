package org.digitlab.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.digitlab.data.UserFiles;

/** {@code --class-names}: names given inline ({@code A,B,C}) or one per line in a file. */
final class ClassNamesOption {
    private ClassNamesOption() {
    }

    /** The names {@code value} gives: the lines of the file it names, else its comma-separated parts. */
    static List<String> parse(String value) {
        Path file = Path.of(value);
        boolean looksLikeFile = !value.contains(",") && (value.contains("/") || value.endsWith(".txt"));
        if (Files.exists(file) || looksLikeFile) {
            String text = UserFiles.readText(file, "class-names file", UserFiles.TEXT_LIMIT);
            return text.lines().map(String::trim).filter(line -> !line.isEmpty()).toList();
        }
        return Arrays.stream(value.split(",", -1)).map(String::trim).toList();
    }
}
