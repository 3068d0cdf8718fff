package org.digitlab.evaluation;

/** Escaping of free-text class names for CSV (RFC 4180) and Markdown tables. */
final class Escapes {
    private Escapes() {
    }

    static String csv(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }

    static String markdown(String s) {
        return s.replace("\\", "\\\\").replace("|", "\\|");
    }
}
